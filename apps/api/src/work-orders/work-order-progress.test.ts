// Progress arithmetic: totals with adjustments, rate over run time, remaining time and projected finish.
import { describe, expect, it } from 'vitest';
import { computeProduction, type ProgressInput } from './work-order-progress.ts';

const NOW_MS = Date.parse('2026-11-25T10:00:00Z');

function input(overrides: Partial<ProgressInput> = {}): ProgressInput {
  return {
    status: 'IN_PROGRESS',
    targetQuantity: 2400,
    counted: { goodCount: 1200, scrapCount: 12, source: 'line-output', outputMachineId: null, runTimeSec: 4 * 3600 },
    adjustment: { goodCount: 0, scrapCount: 0 },
    nowMs: NOW_MS,
    ...overrides,
  };
}

describe('computeProduction', () => {
  it('projects the finish from the run rate while IN_PROGRESS', () => {
    const production = computeProduction(input());
    expect(production).toMatchObject({
      goodCount: 1200,
      scrapCount: 12,
      progress: 0.5,
      runRatePartsPerHour: 300,
      remainingRunTimeSec: 4 * 3600,
      projectedFinishAt: '2026-11-25T14:00:00.000Z',
    });
  });

  it('adds the adjustments to the counted figures and keeps both visible', () => {
    const production = computeProduction(input({ adjustment: { goodCount: -200, scrapCount: 200 } }));
    expect(production).toMatchObject({
      goodCount: 1000,
      scrapCount: 212,
      countedGoodCount: 1200,
      countedScrapCount: 12,
      adjustmentGoodCount: -200,
      adjustmentScrapCount: 200,
      runRatePartsPerHour: 250,
    });
    expect(production.remainingRunTimeSec).toBeCloseTo((1400 / 250) * 3600);
  });

  it('never answers negative totals', () => {
    const production = computeProduction(input({ adjustment: { goodCount: -5000, scrapCount: -50 } }));
    expect(production).toMatchObject({ goodCount: 0, scrapCount: 0, progress: 0, runRatePartsPerHour: 0 });
    expect(production.remainingRunTimeSec).toBeNull();
    expect(production.projectedFinishAt).toBeNull();
  });

  it('has no rate in the first minute of run time, so no projection either', () => {
    const production = computeProduction(
      input({ counted: { goodCount: 3, scrapCount: 0, source: 'line-output', outputMachineId: null, runTimeSec: 59 } }),
    );
    expect(production.runRatePartsPerHour).toBeNull();
    expect(production.remainingRunTimeSec).toBeNull();
    expect(production.projectedFinishAt).toBeNull();
  });

  it('keeps the remaining run time of a PAUSED order but projects no finish', () => {
    const production = computeProduction(input({ status: 'PAUSED' }));
    expect(production.remainingRunTimeSec).toBe(4 * 3600);
    expect(production.projectedFinishAt).toBeNull();
  });

  it('projects "now" once the target is reached, and progress goes past 1', () => {
    const production = computeProduction(
      input({
        counted: { goodCount: 2600, scrapCount: 0, source: 'work-order-tag', outputMachineId: null, runTimeSec: 3600 },
      }),
    );
    expect(production.progress).toBeCloseTo(2600 / 2400);
    expect(production.remainingRunTimeSec).toBe(0);
    expect(production.projectedFinishAt).toBe(new Date(NOW_MS).toISOString());
  });

  it('gives closed and not-started orders no remaining time or projection', () => {
    for (const status of ['DRAFT', 'RELEASED', 'COMPLETED', 'CANCELLED'] as const) {
      const production = computeProduction(input({ status }));
      expect(production.remainingRunTimeSec).toBeNull();
      expect(production.projectedFinishAt).toBeNull();
    }
    expect(computeProduction(input({ status: 'COMPLETED' })).runRatePartsPerHour).toBe(300);
  });
});
