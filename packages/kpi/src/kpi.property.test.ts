// Property tests (fast-check) over random machines: messy state data (gaps, overlaps, open intervals), random
// shifts, breaks and planned downtime, counts with known and unknown ideal cycle times, millisecond boundaries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MACHINE_STATES } from '@takt/contracts';
import {
  addComponents,
  NUMERIC_COMPONENTS,
  sumComponents,
  emptyComponents,
  type TKpiComponents,
} from './kpi-components.ts';
import type { TCountBucket, TStateInterval } from './kpi-input.types.ts';
import { computeLossWaterfall } from './loss-waterfall.kpi.ts';
import { deriveKpis } from './oee.kpi.ts';
import { buildMachineTimeline, computeMachineComponents, type TMachineComponentsInput } from './time-model.ts';

const M = 'm1';
const BASE_MS = Date.UTC(2024, 2, 30, 12, 0, 0, 123);
const HORIZON_MS = 2 * 86_400_000;
const IDEAL_SEC: Record<string, number> = { A: 1.5, B: 0.7, C: 12 };
const idealCycleTimeSec = (_machineId: string, productId: string) => IDEAL_SEC[productId] ?? null;

const offsetArb = fc.integer({ min: -3_600_000, max: HORIZON_MS + 3_600_000 });

const stateIntervalsArb = fc
  .tuple(
    offsetArb,
    fc.array(
      fc.record({
        // Mostly contiguous, sometimes a gap, sometimes an overlap (bad data the model must absorb).
        gapMs: fc.oneof(fc.constant(0), fc.integer({ min: -600_000, max: 3_600_000 })),
        durationMs: fc.integer({ min: 1, max: 6 * 3_600_000 }),
        state: fc.constantFrom(...MACHINE_STATES),
        reasonCode: fc.constantFrom(null, 'JAM', undefined),
        productId: fc.constantFrom(null, 'A', 'B', 'X'),
      }),
      { maxLength: 25 },
    ),
    fc.boolean(),
  )
  .map(([startOffsetMs, specs, isLastOpen]) => {
    const intervals: TStateInterval[] = [];
    let cursorMs = BASE_MS + startOffsetMs;
    specs.forEach((spec, index) => {
      const startMs = cursorMs + spec.gapMs;
      const endMs = startMs + spec.durationMs;
      intervals.push({
        machineId: M,
        state: spec.state,
        startMs,
        endMs: isLastOpen && index === specs.length - 1 ? null : endMs,
        reasonCode: spec.reasonCode,
        productId: spec.productId,
      });
      cursorMs = endMs;
    });
    return intervals;
  });

const windowArb = (maxLengthMs: number) =>
  fc.tuple(offsetArb, fc.integer({ min: 0, max: maxLengthMs })).map(([offsetMs, lengthMs]) => ({
    startMs: BASE_MS + offsetMs,
    endMs: BASE_MS + offsetMs + lengthMs,
  }));

const shiftWindowsArb = fc.array(
  fc
    .tuple(
      windowArb(10 * 3_600_000),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3_600_000 })), {
        maxLength: 3,
      }),
    )
    .map(([w, breakSpecs]) => ({
      ...w,
      breaks: breakSpecs.map(([at, lengthMs]) => {
        const startMs = Math.floor(w.startMs + at * (w.endMs - w.startMs));
        return { startMs, endMs: Math.min(w.endMs, startMs + lengthMs) };
      }),
    })),
  { maxLength: 6 },
);

const countsArb = fc
  .array(
    fc.record({
      offsetMs: offsetArb,
      productId: fc.constantFrom(null, 'A', 'B', 'C', 'X'),
      goodCount: fc.integer({ min: 0, max: 5000 }),
      rejectCount: fc.integer({ min: 0, max: 500 }),
    }),
    { maxLength: 30 },
  )
  .map((specs) =>
    specs.map((s): TCountBucket => ({
      machineId: M,
      bucketStartMs: BASE_MS + s.offsetMs,
      bucketSec: 60,
      productId: s.productId,
      goodCount: s.goodCount,
      rejectCount: s.rejectCount,
    })),
  );

const machineArb = fc.record({
  fromOffsetMs: fc.integer({ min: 0, max: HORIZON_MS / 4 }),
  lengthMs: fc.integer({ min: 0, max: HORIZON_MS }),
  stateIntervals: stateIntervalsArb,
  shiftWindows: shiftWindowsArb,
  plannedDowntimeWindows: fc.array(windowArb(3 * 3_600_000), { maxLength: 3 }),
  counts: countsArb,
});

type TMachine = typeof machineArb extends fc.Arbitrary<infer T> ? T : never;

function inputOf(machine: TMachine, fromMs?: number, toMs?: number): TMachineComponentsInput {
  const wholeFromMs = BASE_MS + machine.fromOffsetMs;
  return {
    machineId: M,
    fromMs: fromMs ?? wholeFromMs,
    toMs: toMs ?? wholeFromMs + machine.lengthMs,
    stateIntervals: machine.stateIntervals,
    counts: machine.counts,
    shiftWindows: machine.shiftWindows,
    plannedDowntimeWindows: machine.plannedDowntimeWindows,
    idealCycleTimeSec,
  };
}

const isClose = (a: number, b: number, relative = 1e-9) =>
  Math.abs(a - b) <= relative * Math.max(1, Math.abs(a), Math.abs(b));

const TIME_FIELDS = NUMERIC_COMPONENTS.filter(
  (k) => k.endsWith('TimeSec') && k !== 'idealProductionTimeSec' && k !== 'goodIdealTimeSec',
);
const COUNT_FIELDS = NUMERIC_COMPONENTS.filter((k) => k.endsWith('Count') || k.startsWith('count'));

/** Equal to the millisecond for times, exactly for counts, to floating tolerance for ideal-time sums. */
function expectSameComponents(actual: TKpiComponents, expected: TKpiComponents): void {
  for (const key of TIME_FIELDS) expect(Math.round(actual[key] * 1000), key).toBe(Math.round(expected[key] * 1000));
  for (const key of COUNT_FIELDS) expect(actual[key], key).toBe(expected[key]);
  expect(isClose(actual.idealProductionTimeSec, expected.idealProductionTimeSec)).toBe(true);
  expect(isClose(actual.goodIdealTimeSec, expected.goodIdealTimeSec)).toBe(true);
  expect(actual.missingIdealCycleTime).toEqual(expected.missingIdealCycleTime);
}

describe('time model properties', () => {
  it('classifies every instant exactly once: the time identities hold to the millisecond', () => {
    fc.assert(
      fc.property(machineArb, (machine) => {
        const input = inputOf(machine);
        const c = computeMachineComponents(input);
        const ms = (sec: number) => Math.round(sec * 1000);
        expect(ms(c.calendarTimeSec)).toBe(input.toMs - input.fromMs);
        expect(ms(c.shiftTimeSec)).toBe(ms(c.plannedBusyTimeSec) + ms(c.plannedShutdownTimeSec));
        expect(ms(c.plannedBusyTimeSec)).toBe(ms(c.runTimeSec) + ms(c.unplannedDownTimeSec));
        expect(ms(c.unplannedDownTimeSec)).toBe(
          ms(c.downTimeSec) + ms(c.idleTimeSec) + ms(c.setupTimeSec) + ms(c.offlineTimeSec),
        );
        expect(c.shiftTimeSec).toBeLessThanOrEqual(c.calendarTimeSec);
        expect(ms(c.unclassifiedDownTimeSec)).toBeLessThanOrEqual(ms(c.downTimeSec) + ms(c.idleTimeSec));
        for (const key of NUMERIC_COMPONENTS) expect(c[key]).toBeGreaterThanOrEqual(0);

        const timeline = buildMachineTimeline(input);
        let cursorMs = input.fromMs;
        for (const segment of timeline) {
          expect(segment.startMs).toBe(cursorMs);
          expect(segment.endMs).toBeGreaterThan(segment.startMs);
          cursorMs = segment.endMs;
        }
        expect(cursorMs).toBe(Math.max(input.fromMs, input.toMs));
      }),
    );
  });

  it('splitting a range in two and adding the parts equals the whole (to the millisecond and the part)', () => {
    fc.assert(
      fc.property(machineArb, fc.double({ min: 0, max: 1, noNaN: true }), (machine, at) => {
        const whole = inputOf(machine);
        const splitMs = whole.fromMs + Math.floor(at * (whole.toMs - whole.fromMs));
        const parts = addComponents(
          computeMachineComponents(inputOf(machine, whole.fromMs, splitMs)),
          computeMachineComponents(inputOf(machine, splitMs, whole.toMs)),
        );
        expectSameComponents(parts, computeMachineComponents(whole));
      }),
    );
  });

  it('cutting a range at many points (shifts, days) and summing equals the whole', () => {
    fc.assert(
      fc.property(
        machineArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (machine, cuts) => {
          const whole = inputOf(machine);
          const cutMs = cuts
            .map((c) => whole.fromMs + Math.floor(c * (whole.toMs - whole.fromMs)))
            .sort((a, b) => a - b);
          const bounds = [...cutMs, whole.toMs];
          let startMs = whole.fromMs;
          const pieces = bounds.map((endMs) => {
            const piece = computeMachineComponents(inputOf(machine, startMs, endMs));
            startMs = endMs;
            return piece;
          });
          expectSameComponents(sumComponents(pieces), computeMachineComponents(whole));
        },
      ),
    );
  });
});

describe('KPI properties', () => {
  it('A and Q lie in [0, 1]; P ≥ 0 and above 1 only with the flag; OEE = A × P × Q = good ideal time / planned', () => {
    fc.assert(
      fc.property(machineArb, (machine) => {
        const c = computeMachineComponents(inputOf(machine));
        const k = deriveKpis(c);
        for (const value of Object.values(k)) if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        if (k.availability !== null) expect(k.availability).toBeGreaterThanOrEqual(0);
        if (k.availability !== null) expect(k.availability).toBeLessThanOrEqual(1);
        if (k.quality !== null) expect(k.quality).toBeGreaterThanOrEqual(0);
        if (k.quality !== null) expect(k.quality).toBeLessThanOrEqual(1 + 1e-12);
        if (k.performance !== null) expect(k.performance).toBeGreaterThanOrEqual(0);
        if (k.performance !== null) expect(k.isPerformanceAboveIdeal).toBe(k.performance > 1 + 1e-9);
        if (k.oee !== null && !k.isPerformanceAboveIdeal) expect(k.oee).toBeLessThanOrEqual(1 + 1e-9);
        if (k.teep !== null && !k.isPerformanceAboveIdeal) expect(k.teep).toBeLessThanOrEqual(1 + 1e-9);
        if (k.oee !== null) expect(isClose(k.oee, c.goodIdealTimeSec / c.plannedBusyTimeSec)).toBe(true);
        if (
          k.availability !== null &&
          k.performance !== null &&
          k.quality !== null &&
          k.oee !== null &&
          c.idealProductionTimeSec > 0
        ) {
          expect(isClose(k.oee, k.availability * k.performance * k.quality)).toBe(true);
        }
        if (k.teep !== null && k.oee !== null && k.utilization !== null) {
          expect(isClose(k.teep, k.oee * k.utilization)).toBe(true);
        }
        // No planned time → not applicable, never 0 or NaN.
        if (c.plannedBusyTimeSec === 0)
          expect([k.availability, k.oee, k.throughputPerHour]).toEqual([null, null, null]);
      }),
    );
  });

  it('plausible production (ideal time ≤ run time ≤ planned time) keeps every ratio within [0, 1]', () => {
    // Fractions in steps of 1e-6: denormal doubles are not production data and only test IEEE 754 underflow.
    const fraction = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fraction,
        fraction,
        fraction,
        fraction,
        fc.integer({ min: 1, max: 100_000 }),
        (plannedBusyTimeSec, a, p, q, u, totalCount) => {
          const runTimeSec = a * plannedBusyTimeSec;
          const idealProductionTimeSec = p * runTimeSec;
          const goodCount = Math.floor(q * totalCount);
          const idealCycleTimeSec = idealProductionTimeSec / totalCount;
          const c: TKpiComponents = {
            ...emptyComponents(),
            calendarTimeSec: plannedBusyTimeSec / Math.max(u, 1e-6),
            plannedBusyTimeSec,
            runTimeSec,
            unplannedDownTimeSec: plannedBusyTimeSec - runTimeSec,
            goodCount,
            rejectCount: totalCount - goodCount,
            countWithIdealCycleTime: totalCount,
            idealProductionTimeSec,
            goodIdealTimeSec: idealCycleTimeSec * goodCount,
          };
          const k = deriveKpis(c);
          for (const value of [k.availability, k.performance, k.quality, k.oee, k.teep, k.utilization]) {
            if (value === null) continue;
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1 + 1e-9);
          }
          expect(k.isPerformanceAboveIdeal).toBe(false);
        },
      ),
    );
  });

  it('the loss waterfall adds up: planned − losses = fully productive time, and OEE = fully productive / planned', () => {
    fc.assert(
      fc.property(machineArb, (machine) => {
        const c = computeMachineComponents(inputOf(machine));
        const { seconds, parts, weightedIdealCycleTimeSec } = computeLossWaterfall(c);
        const rest =
          seconds.plannedProductionTime - seconds.availabilityLoss - seconds.performanceLoss - seconds.qualityLoss;
        expect(isClose(rest, seconds.fullyProductiveTime, 1e-9)).toBe(true);
        const oee = deriveKpis(c).oee;
        if (oee !== null) expect(isClose(oee, seconds.fullyProductiveTime / seconds.plannedProductionTime)).toBe(true);
        if (parts !== null && weightedIdealCycleTimeSec !== null) {
          expect(isClose(parts.netRunTime, c.countWithIdealCycleTime)).toBe(true);
        }
      }),
    );
  });

  it('aggregation is order-independent (machines, lines, shifts can be summed in any order)', () => {
    fc.assert(
      fc.property(fc.array(machineArb, { minLength: 1, maxLength: 4 }), (machines) => {
        const list = machines.map((m) => computeMachineComponents(inputOf(m)));
        const forward = sumComponents(list);
        const backward = sumComponents([...list].reverse());
        for (const key of NUMERIC_COMPONENTS) expect(isClose(forward[key], backward[key])).toBe(true);
        expect(forward.missingIdealCycleTime).toEqual(backward.missingIdealCycleTime);
      }),
      { numRuns: 50 },
    );
  });
});
