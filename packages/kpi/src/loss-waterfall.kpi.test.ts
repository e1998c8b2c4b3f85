// Loss waterfall: seconds and parts for a product mix, negative performance loss, no ideal cycle time.
import { describe, expect, it } from 'vitest';
import { emptyComponents, type TKpiComponents } from './kpi-components.ts';
import { computeLossWaterfall } from './loss-waterfall.kpi.ts';

describe('computeLossWaterfall', () => {
  // 1000 parts of A (ideal 2 s, 50 rejects) and 500 of B (ideal 4 s, 10 rejects) in 4000 s of run time
  // out of 5000 s planned. Mix-weighted ideal cycle time = (2000 + 2000) / 1500 = 8/3 s per part.
  const mix: TKpiComponents = {
    ...emptyComponents(),
    plannedBusyTimeSec: 5000,
    runTimeSec: 4000,
    unplannedDownTimeSec: 1000,
    downTimeSec: 600,
    setupTimeSec: 400,
    goodCount: 1440,
    rejectCount: 60,
    countWithIdealCycleTime: 1500,
    idealProductionTimeSec: 2 * 1000 + 4 * 500,
    goodIdealTimeSec: 2 * 950 + 4 * 490,
  };

  it('steps down from planned to fully productive time in seconds', () => {
    const { seconds, availabilityLossSec } = computeLossWaterfall(mix);
    expect(seconds).toEqual({
      plannedProductionTime: 5000,
      availabilityLoss: 1000,
      runTime: 4000,
      performanceLoss: 0,
      netRunTime: 4000,
      qualityLoss: 2 * 50 + 4 * 10,
      fullyProductiveTime: 3860,
    });
    expect(availabilityLossSec).toEqual({ downSec: 600, idleSec: 0, setupSec: 400, offlineSec: 0 });
  });

  it('converts to parts at the mix-weighted ideal cycle time', () => {
    const { parts, weightedIdealCycleTimeSec } = computeLossWaterfall(mix);
    expect(weightedIdealCycleTimeSec).toBeCloseTo(8 / 3, 12);
    expect(parts?.plannedProductionTime).toBeCloseTo(1875, 9);
    expect(parts?.availabilityLoss).toBeCloseTo(375, 9);
    expect(parts?.netRunTime).toBeCloseTo(1500, 9);
    // 140 s of ideal time on rejects is worth 52.5 mix-average parts (60 actual rejects, mostly cheap A parts).
    expect(parts?.qualityLoss).toBeCloseTo(52.5, 9);
  });

  it('reports a negative performance loss when faster than ideal, so the steps still add up', () => {
    const fast = { ...mix, idealProductionTimeSec: 4400, goodIdealTimeSec: 4300 };
    const { seconds } = computeLossWaterfall(fast);
    expect(seconds.performanceLoss).toBe(-400);
    expect(
      seconds.plannedProductionTime - seconds.availabilityLoss - seconds.performanceLoss - seconds.qualityLoss,
    ).toBe(seconds.fullyProductiveTime);
  });

  it('has no parts view when no counted part has an ideal cycle time', () => {
    const unknown = { ...mix, countWithIdealCycleTime: 0, idealProductionTimeSec: 0, goodIdealTimeSec: 0 };
    const waterfall = computeLossWaterfall(unknown);
    expect(waterfall.parts).toBeNull();
    expect(waterfall.weightedIdealCycleTimeSec).toBeNull();
    expect(waterfall.seconds.performanceLoss).toBe(4000);
  });
});
