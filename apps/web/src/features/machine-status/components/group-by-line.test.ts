import { describe, expect, it } from 'vitest';
import type { TMachineStatus } from '@takt/contracts';
import { groupByLine } from './group-by-line.ts';

function machine(path: string, state: TMachineStatus['state']): TMachineStatus {
  const [site = '', area = '', line = ''] = path.split('/');
  const ref = (code: string) => ({
    id: `00000000-0000-4000-8000-${code.padStart(12, '0').slice(-12)}`,
    code,
    name: code.toUpperCase(),
  });
  return {
    machineId: crypto.randomUUID(),
    path,
    name: path,
    site: ref(site),
    area: ref(area),
    line: ref(`${site}${line}`),
    state,
    since: null,
    reason: null,
    productCode: null,
    workOrderNumber: null,
    goodCountLastHour: 0,
    rejectCountLastHour: 0,
  };
}

describe('groupByLine', () => {
  it('groups machines by site then line, in order, and counts states per line', () => {
    const groups = groupByLine([
      machine('p1/asm/l1/a', 'PRODUCING'),
      machine('p1/asm/l1/b', 'DOWN'),
      machine('p1/asm/l2/c', null),
      machine('p2/pack/l1/d', 'PRODUCING'),
    ]);
    expect(groups.map((s) => s.title)).toEqual(['P1', 'P2']);
    expect(groups[0]?.lines.map((l) => l.machines.length)).toEqual([2, 1]);
    expect(groups[0]?.lines[0]?.stateCounts).toEqual({ PRODUCING: 1, DOWN: 1 });
    expect(groups[0]?.lines[1]?.stateCounts).toEqual({ UNKNOWN: 1 });
    expect(groups[0]?.lines[0]?.title).toBe('ASM · P1L1');
  });

  it('returns nothing for no machines', () => {
    expect(groupByLine([])).toEqual([]);
  });
});
