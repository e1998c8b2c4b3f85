// Additive components: every numeric field is summed, missing ideal cycle times merge per (machine, product).
import { describe, expect, it } from 'vitest';
import {
  addComponents,
  emptyComponents,
  mergeMissingIdealCycleTimes,
  NUMERIC_COMPONENTS,
  sumComponents,
} from './kpi-components.ts';

describe('kpi components', () => {
  it('NUMERIC_COMPONENTS lists every numeric field, so addComponents cannot forget one', () => {
    const fields = Object.keys(emptyComponents()).filter((k) => k !== 'missingIdealCycleTime');
    expect([...NUMERIC_COMPONENTS].sort()).toEqual(fields.sort());
  });

  it('adds field by field and merges missing ideal cycle times', () => {
    const a = {
      ...emptyComponents(),
      runTimeSec: 10,
      goodCount: 3,
      missingIdealCycleTime: [{ machineId: 'm2', productId: 'X', totalCount: 5 }],
    };
    const b = {
      ...emptyComponents(),
      runTimeSec: 2.5,
      goodCount: 4,
      missingIdealCycleTime: [
        { machineId: 'm2', productId: 'X', totalCount: 1 },
        { machineId: 'm1', productId: null, totalCount: 2 },
      ],
    };
    const sum = addComponents(a, b);
    expect(sum.runTimeSec).toBe(12.5);
    expect(sum.goodCount).toBe(7);
    expect(sum.missingIdealCycleTime).toEqual([
      { machineId: 'm1', productId: null, totalCount: 2 },
      { machineId: 'm2', productId: 'X', totalCount: 6 },
    ]);
    // Inputs are left untouched.
    expect(a.missingIdealCycleTime).toEqual([{ machineId: 'm2', productId: 'X', totalCount: 5 }]);
  });

  it('sums nothing to the empty record', () => {
    expect(sumComponents([])).toEqual(emptyComponents());
  });

  it('keeps a null product apart from an empty-string product id', () => {
    expect(
      mergeMissingIdealCycleTimes([
        { machineId: 'm', productId: '', totalCount: 1 },
        { machineId: 'm', productId: null, totalCount: 2 },
      ]),
    ).toEqual([
      { machineId: 'm', productId: null, totalCount: 2 },
      { machineId: 'm', productId: '', totalCount: 1 },
    ]);
  });
});
