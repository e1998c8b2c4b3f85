import { describe, expect, it } from 'vitest';
import {
  createMachineModel,
  DEFAULT_MACHINE_MODEL_PARAMS,
  type MachineModelConfig,
  type MachineStateChange,
} from './machine-model.ts';
import { deriveSeed, mulberry32 } from './seeded.prng.ts';

const START_MS = Date.UTC(2026, 0, 5, 6, 0, 0);
const DAY_MS = 24 * 3600 * 1000;
const PRODUCTS = [
  { code: 'P-100', idealCycleTimeSec: 12 },
  { code: 'P-200', idealCycleTimeSec: 20 },
];

function config(overrides: Partial<MachineModelConfig> = {}): MachineModelConfig {
  return {
    seed: deriveSeed(42, 'plant1/assembly/line1/press1'),
    startMs: START_MS,
    products: PRODUCTS,
    downReasonCodes: ['MECH-JAM', 'ELEC-DRIVE'],
    ...overrides,
  };
}

type Run = { changes: MachineStateChange[]; goodCount: number; rejectCount: number; timeByState: Map<string, number> };

/** Runs a model over `durationMs`, advancing in the given steps (cycled), as the simulator's timer would. */
function run(modelConfig: MachineModelConfig, durationMs: number, stepsMs: number[] = [5_000]): Run {
  const model = createMachineModel(modelConfig);
  const result: Run = { changes: [model.current()], goodCount: 0, rejectCount: 0, timeByState: new Map() };
  for (let t = START_MS, i = 0; t < START_MS + durationMs; i += 1) {
    t = Math.min(START_MS + durationMs, t + (stepsMs[i % stepsMs.length] ?? 5_000));
    const advance = model.advanceTo(t);
    result.changes.push(...advance.stateChanges);
    result.goodCount += advance.goodCount;
    result.rejectCount += advance.rejectCount;
  }
  result.changes.forEach((change, index) => {
    const endMs = result.changes[index + 1]?.tsMs ?? START_MS + durationMs;
    result.timeByState.set(change.state, (result.timeByState.get(change.state) ?? 0) + (endMs - change.tsMs));
  });
  return result;
}

const share = (r: Run, state: string, durationMs: number) => (r.timeByState.get(state) ?? 0) / durationMs;

describe('mulberry32', () => {
  it('is deterministic and uniform enough', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 10_000 }, () => a.next());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('derives different seeds for different machines', () => {
    expect(deriveSeed(42, 'a/b/c/m1')).not.toBe(deriveSeed(42, 'a/b/c/m2'));
    expect(deriveSeed(42, 'a/b/c/m1')).toBe(deriveSeed(42, 'a/b/c/m1'));
  });
});

describe('createMachineModel', () => {
  it('is deterministic for a seed', () => {
    const first = run(config(), DAY_MS);
    const second = run(config(), DAY_MS);
    expect(second).toEqual(first);
    expect(first.changes.length).toBeGreaterThan(50);
  });

  it('gives the same timeline and counts whatever the step size', () => {
    const coarse = run(config(), 6 * 3600_000, [60_000]);
    const irregular = run(config(), 6 * 3600_000, [1, 999, 5_000, 17_321, 250]);
    expect(irregular.changes).toEqual(coarse.changes);
    expect([irregular.goodCount, irregular.rejectCount]).toEqual([coarse.goodCount, coarse.rejectCount]);
  });

  it('differs between seeds', () => {
    expect(run(config({ seed: 1 }), DAY_MS).changes).not.toEqual(run(config({ seed: 2 }), DAY_MS).changes);
  });

  it('produces strictly increasing state changes that alternate between producing and stops', () => {
    const { changes } = run(config(), DAY_MS);
    changes.slice(1).forEach((change, index) => {
      const previous = changes[index];
      expect(change.tsMs).toBeGreaterThan(previous?.tsMs ?? 0);
      expect(change.state === 'PRODUCING').toBe(previous?.state !== 'PRODUCING');
    });
    expect(changes.filter((c) => c.state === 'DOWN').every((c) => c.reasonCode !== null)).toBe(true);
    expect(changes.filter((c) => c.state !== 'DOWN').every((c) => c.reasonCode === null)).toBe(true);
  });

  it.each([1, 60])('has a plausible state mix over a simulated day at speed factor %i', (timeScale) => {
    // Speed compresses the stops and runs, so a day of real time holds `timeScale` model days.
    for (let machine = 0; machine < 10; machine += 1) {
      const r = run(config({ seed: deriveSeed(7, `m${machine}`), timeScale }), DAY_MS);
      expect(share(r, 'PRODUCING', DAY_MS)).toBeGreaterThan(0.5);
      expect(share(r, 'PRODUCING', DAY_MS)).toBeLessThan(0.95);
      expect(share(r, 'IDLE', DAY_MS)).toBeGreaterThan(0);
      if (timeScale === 60) {
        expect(share(r, 'DOWN', DAY_MS)).toBeGreaterThan(0);
        expect(share(r, 'CHANGEOVER', DAY_MS)).toBeGreaterThan(0);
      }
    }
  });

  it('counts parts at the ideal cycle time less the speed loss, with about 2 % scrap', () => {
    const oneProduct = [{ code: 'P-100', idealCycleTimeSec: 12 }];
    const r = run(config({ products: oneProduct, timeScale: 10 }), DAY_MS);
    const producingSec = (r.timeByState.get('PRODUCING') ?? 0) / 1000;
    const idealParts = producingSec / 12;
    const total = r.goodCount + r.rejectCount;
    // Mean speed share is (0.85 + 0.98) / 2 ≈ 0.915.
    expect(total / idealParts).toBeGreaterThan(0.85);
    expect(total / idealParts).toBeLessThan(0.98);
    expect(r.rejectCount / total).toBeGreaterThan(0.01);
    expect(r.rejectCount / total).toBeLessThan(0.03);
  });

  it('has breakdowns with about the configured MTTR over many machines', () => {
    const downDurationsMs: number[] = [];
    for (let machine = 0; machine < 20; machine += 1) {
      const r = run(config({ seed: deriveSeed(11, `m${machine}`), timeScale: 60 }), DAY_MS, [60_000]);
      r.changes.forEach((change, index) => {
        const next = r.changes[index + 1];
        if (change.state === 'DOWN' && next) downDurationsMs.push(next.tsMs - change.tsMs);
      });
    }
    const meanSec = (downDurationsMs.reduce((sum, d) => sum + d, 0) / downDurationsMs.length / 1000) * 60;
    expect(downDurationsMs.length).toBeGreaterThan(100);
    expect(meanSec).toBeGreaterThan(DEFAULT_MACHINE_MODEL_PARAMS.mttrSec * 0.8);
    expect(meanSec).toBeLessThan(DEFAULT_MACHINE_MODEL_PARAMS.mttrSec * 1.2);
  });

  it('changes product at each changeover, in list order', () => {
    const { changes } = run(config({ timeScale: 60 }), DAY_MS);
    const changeovers = changes.filter((c) => c.state === 'CHANGEOVER');
    expect(changeovers.length).toBeGreaterThan(5);
    changeovers.slice(1).forEach((change, index) => {
      expect(change.productCode).not.toBe(changeovers[index]?.productCode);
    });
  });

  it('runs without products, making anonymous parts', () => {
    const r = run(config({ products: [], downReasonCodes: [] }), 3600_000);
    expect(r.goodCount).toBeGreaterThan(0);
    expect(r.changes.every((c) => c.productCode === null && c.reasonCode === null)).toBe(true);
  });
});
