import { describe, expect, it } from 'vitest';
import {
  createMachineModel,
  DEFAULT_MACHINE_MODEL_PARAMS,
  type MachineModelConfig,
  type MachineStateChange,
} from './machine-model.ts';
import { createMachineSchedule, type MachineCalendar } from './machine-schedule.ts';
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

describe('createMachineModel on a shift calendar (Europe/Berlin)', () => {
  const ms = (iso: string) => Date.parse(iso);
  const iso = (tsMs: number) => new Date(tsMs).toISOString();
  const BERLIN_DAY_SHIFT: MachineCalendar = {
    timeZone: 'Europe/Berlin',
    shifts: [
      {
        code: 'day',
        startMinute: 6 * 60,
        durationMin: 8 * 60,
        weekdays: [1, 2, 3, 4, 5],
        breaks: [{ name: 'Coffee break', offsetMin: 120, durationMin: 15 }],
      },
    ],
  };
  // No stops, full speed, no scrap: whatever is not PRODUCING comes from the calendar.
  const STEADY = {
    microStopEverySec: 1e9,
    mtbfSec: 1e9,
    runLengthMinSec: 1e9,
    runLengthMaxSec: 1e9,
    microStopMeanSec: 1,
    mttrSec: 1,
    speedShareMin: 1,
    speedShareMax: 1,
    scrapRate: 0,
  };
  const ONE_PRODUCT = [{ code: 'P-100', idealCycleTimeSec: 12 }];

  /** Advances a model from `fromMs` to `toMs` by the simulator's clock, in steps of `stepMs`. */
  function runFrom(modelConfig: Omit<MachineModelConfig, 'startMs'>, fromMs: number, toMs: number, stepMs = 5_000) {
    const model = createMachineModel({ ...modelConfig, startMs: fromMs });
    const changes = [model.current()];
    let goodCount = 0;
    const goodByHour = new Map<string, number>();
    for (let t = fromMs; t < toMs;) {
      t = Math.min(toMs, t + stepMs);
      const advance = model.advanceTo(t);
      changes.push(...advance.stateChanges);
      goodCount += advance.goodCount;
      const hour = iso(t - 1).slice(0, 13);
      goodByHour.set(hour, (goodByHour.get(hour) ?? 0) + advance.goodCount);
    }
    return { model, changes, goodCount, goodByHour };
  }
  const summary = (changes: MachineStateChange[]) =>
    changes.map((c) => [iso(c.tsMs), c.state, c.reasonCode] as const).filter(([, state]) => state !== 'IDLE');

  it('is NO_ORDER at night for a day-shift line, PLANNED_STOP during the break and producing again after', () => {
    const schedule = createMachineSchedule({ calendar: BERLIN_DAY_SHIFT, breakReasonCode: 'PLN-BREAK' });
    const fromMs = ms('2026-01-05T00:00:00+01:00'); // Monday, CET
    const { model, changes, goodCount, goodByHour } = runFrom(
      { seed: 3, products: ONE_PRODUCT, downReasonCodes: [], params: STEADY, schedule },
      fromMs,
      ms('2026-01-06T00:00:00+01:00'),
    );
    expect(summary(changes)).toEqual([
      ['2026-01-04T23:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-05T05:00:00.000Z', 'PRODUCING', null],
      ['2026-01-05T07:00:00.000Z', 'PLANNED_STOP', 'PLN-BREAK'],
      ['2026-01-05T07:15:00.000Z', 'PRODUCING', null],
      ['2026-01-05T13:00:00.000Z', 'NO_ORDER', null],
    ]);
    expect(model.current()).toMatchObject({ state: 'NO_ORDER', productCode: 'P-100' });
    // Parts only in working time: 7 h 45 min at 12 s per part.
    expect(goodCount).toBe((7.75 * 3600) / 12);
    expect(goodByHour.get('2026-01-05T03')).toBe(0);
    expect(goodByHour.get('2026-01-05T07')).toBe((45 * 60) / 12);
    expect(goodByHour.get('2026-01-05T13')).toBe(0);
  });

  it('works through midnight on a night shift and stops at its end on the next day', () => {
    const calendar: MachineCalendar = {
      timeZone: 'Europe/Berlin',
      shifts: [{ code: 'night', startMinute: 22 * 60, durationMin: 8 * 60, weekdays: [5], breaks: [] }],
    };
    const { changes, goodByHour } = runFrom(
      {
        seed: 3,
        products: ONE_PRODUCT,
        downReasonCodes: [],
        params: STEADY,
        schedule: createMachineSchedule({ calendar }),
      },
      ms('2026-01-09T12:00:00+01:00'), // Friday
      ms('2026-01-10T12:00:00+01:00'),
      60_000,
    );
    expect(summary(changes)).toEqual([
      ['2026-01-09T11:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-09T21:00:00.000Z', 'PRODUCING', null],
      ['2026-01-10T05:00:00.000Z', 'NO_ORDER', null],
    ]);
    expect(goodByHour.get('2026-01-09T23')).toBe(300); // 00:00–01:00 local on Saturday
  });

  it('follows the local wall clock across a DST change: 06:00 is 05:00 UTC before and 04:00 UTC after', () => {
    const schedule = createMachineSchedule({ calendar: BERLIN_DAY_SHIFT });
    // Friday 2026-03-27 (CET) to Monday 2026-03-30 (CEST): clocks go forward early on Sunday 29 March.
    const { changes } = runFrom(
      { seed: 3, products: ONE_PRODUCT, downReasonCodes: [], params: STEADY, schedule },
      ms('2026-03-27T00:00:00+01:00'),
      ms('2026-03-31T00:00:00+02:00'),
      60_000,
    );
    expect(summary(changes)).toEqual([
      ['2026-03-26T23:00:00.000Z', 'NO_ORDER', null],
      ['2026-03-27T05:00:00.000Z', 'PRODUCING', null],
      ['2026-03-27T07:00:00.000Z', 'PLANNED_STOP', null],
      ['2026-03-27T07:15:00.000Z', 'PRODUCING', null],
      ['2026-03-27T13:00:00.000Z', 'NO_ORDER', null],
      ['2026-03-30T04:00:00.000Z', 'PRODUCING', null],
      ['2026-03-30T06:00:00.000Z', 'PLANNED_STOP', null],
      ['2026-03-30T06:15:00.000Z', 'PRODUCING', null],
      ['2026-03-30T12:00:00.000Z', 'NO_ORDER', null],
    ]);
  });

  it('keeps the calendar on the clock at any speed factor, and is the same whatever the step size', () => {
    const schedule = () => createMachineSchedule({ calendar: BERLIN_DAY_SHIFT, breakReasonCode: 'PLN-BREAK' });
    const fromMs = ms('2026-01-05T00:00:00+01:00');
    const toMs = fromMs + 7 * DAY_MS;
    const modelConfig = { seed: 9, products: PRODUCTS, downReasonCodes: ['MECH-JAM'], timeScale: 60 };
    const coarse = runFrom({ ...modelConfig, schedule: schedule() }, fromMs, toMs, 60_000);
    const fine = runFrom({ ...modelConfig, schedule: schedule() }, fromMs, toMs, 997);
    expect(fine.changes).toEqual(coarse.changes);
    expect(fine.goodCount).toBe(coarse.goodCount);

    // Stops and runs are 60× faster, the shifts are not: every calendar state begins exactly on a boundary.
    const scheduled = coarse.changes.filter((c) => c.state === 'NO_ORDER' || c.state === 'PLANNED_STOP');
    expect(scheduled.map((c) => iso(c.tsMs)).slice(0, 4)).toEqual([
      '2026-01-04T23:00:00.000Z',
      '2026-01-05T07:00:00.000Z',
      '2026-01-05T13:00:00.000Z',
      '2026-01-06T07:00:00.000Z',
    ]);
    expect(scheduled).toHaveLength(1 + 5 * 2); // the first night, then a break and an end per weekday
    const stochastic = coarse.changes.filter((c) => !scheduled.includes(c));
    expect(new Set(stochastic.map((c) => c.state))).toEqual(new Set(['PRODUCING', 'IDLE', 'DOWN', 'CHANGEOVER']));
    // Nothing happens on the weekend: the last change is the Friday shift's end.
    expect(iso(coarse.changes.at(-1)!.tsMs)).toBe('2026-01-09T13:00:00.000Z');
  });

  it('takes up a paused breakdown again at the next shift start', () => {
    const calendar: MachineCalendar = {
      timeZone: 'Europe/Berlin',
      shifts: [{ code: 'day', startMinute: 6 * 60, durationMin: 8 * 60, weekdays: [1, 2, 3, 4, 5], breaks: [] }],
    };
    const fromMs = ms('2026-01-05T00:00:00+01:00');
    // Long repairs make it likely that a shift ends during one; search the seeds for such a machine.
    for (let seed = 0; seed < 50; seed += 1) {
      const { changes } = runFrom(
        {
          seed,
          products: PRODUCTS,
          downReasonCodes: ['MECH-JAM', 'ELEC-DRIVE'],
          params: { mtbfSec: 2 * 3600, mttrSec: 3 * 3600 },
          schedule: createMachineSchedule({ calendar }),
        },
        fromMs,
        fromMs + 5 * DAY_MS,
        60_000,
      );
      const index = changes.findIndex((c, i) => c.state === 'NO_ORDER' && changes[i - 1]?.state === 'DOWN');
      if (index < 0) continue;
      const [before, off, after] = [changes[index - 1]!, changes[index]!, changes[index + 1]!];
      expect(iso(after.tsMs).slice(11)).toBe('05:00:00.000Z');
      expect(after.tsMs - off.tsMs).toBe(16 * 3600_000);
      expect([after.state, after.reasonCode, after.productCode]).toEqual([
        'DOWN',
        before.reasonCode,
        before.productCode,
      ]);
      return;
    }
    throw new Error('no seed had a breakdown at the end of a shift');
  });
});
