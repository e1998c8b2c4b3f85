import { describe, expect, it } from 'vitest';
import {
  createMachineProfile,
  planLineHistory,
  PLAN_REASONS,
  simulateMachine,
  type LinePlan,
  type MachineHistory,
  type MachineProfile,
} from './history.plan.ts';
import { DEMO_REASON_TREE, DEMO_SITES, MACHINE_FAULTS, OCCASIONAL_FAULTS } from './plant.data.ts';
import { createRandom } from './random.ts';
import { expandShiftCalendar } from '@takt/kpi';

const DAY_MS = 86_400_000;
const toMs = new Date('2026-04-15T10:17:23.456Z').getTime();
const fromMs = Math.floor((toMs - 30 * DAY_MS) / 300_000) * 300_000;
const plant1 = DEMO_SITES[0];
const shifts = plant1?.shiftPatterns[0]?.shifts ?? [];
const productCodes = ['BRK-1001', 'BRK-1002', 'HUB-3001'];
const idealCycleTimeSec = (): number => 22;

function plan(seed = 'plant1/assembly/line1'): LinePlan {
  const calendar = expandShiftCalendar({ shifts, timeZone: 'Europe/Berlin', fromMs, toMs: toMs + 14 * DAY_MS });
  return planLineHistory({ calendar, fromMs, toMs, productCodes, random: createRandom(seed) });
}

function simulate(linePlan: LinePlan, profile: MachineProfile, seed = 'm'): MachineHistory {
  return simulateMachine({
    plan: linePlan,
    profile,
    random: createRandom(seed),
    idealCycleTimeSec,
    bucketSec: 300,
    isFirstInLine: false,
  });
}

/** OEE = good count × ideal cycle time / planned production time (docs/kpi.md). */
function oee(history: MachineHistory): number {
  const plannedMs = history.intervals
    .filter((i) => i.state !== 'PLANNED_STOP' && i.state !== 'NO_ORDER')
    .reduce((sum, i) => sum + (i.endMs ?? toMs) - i.startMs, 0);
  const good = history.counts.reduce((sum, c) => sum + c.goodCount, 0);
  return (good * idealCycleTimeSec() * 1000) / plannedMs;
}

describe('planLineHistory', () => {
  const linePlan = plan();

  it('covers [from, to) without gaps, starting and ending at the bounds', () => {
    expect(linePlan.segments[0]?.startMs).toBe(fromMs);
    expect(linePlan.segments.at(-1)?.endMs).toBe(toMs);
    for (let i = 1; i < linePlan.segments.length; i++) {
      expect(linePlan.segments[i]?.startMs).toBe(linePlan.segments[i - 1]?.endMs);
    }
  });

  it('runs orders one after the other, all completed but the last, each with another product than the one before', () => {
    const { orders } = linePlan;
    expect(orders.length).toBeGreaterThan(3);
    expect(orders.at(-1)?.completedMs).toBeNull();
    for (let i = 1; i < orders.length; i++) {
      expect(orders[i]?.startMs).toBe(orders[i - 1]?.completedMs);
      expect(orders[i]?.productCode).not.toBe(orders[i - 1]?.productCode);
    }
    const changeovers = linePlan.segments.filter((s) => s.kind === 'CHANGEOVER');
    expect(new Set(changeovers.map((s) => s.orderIndex)).size).toBe(orders.length);
  });

  it('is off on the weekend, and stops for breaks inside shifts', () => {
    // Sunday 2026-04-12 12:00 in Berlin.
    const sundayNoonMs = new Date('2026-04-12T10:00:00Z').getTime();
    const atSunday = linePlan.segments.find((s) => s.startMs <= sundayNoonMs && sundayNoonMs < s.endMs);
    expect(atSunday?.kind).toBe('OFF');
    // Tuesday 2026-04-07 08:00–08:15 local is the early shift's coffee break.
    const breakMs = new Date('2026-04-07T06:05:00Z').getTime();
    const atBreak = linePlan.segments.find((s) => s.startMs <= breakMs && breakMs < s.endMs);
    expect(atBreak).toMatchObject({ kind: 'PLANNED_STOP', reasonCode: PLAN_REASONS.break });
  });

  it('schedules one maintenance window in the past and one ahead', () => {
    expect(linePlan.plannedStops).toHaveLength(2);
    expect(linePlan.plannedStops[0]?.endMs).toBeLessThan(toMs);
    expect(linePlan.plannedStops[1]?.startMs).toBeGreaterThan(toMs);
  });

  it('is the same for the same seed', () => {
    expect(plan()).toEqual(linePlan);
    expect(plan('another line')).not.toEqual(linePlan);
  });
});

describe('simulateMachine', () => {
  const linePlan = plan();
  const machines = ['press1', 'screw1', 'leaktest1', 'marker1', 'packer1', 'press2', 'cnc1', 'filler1'].map((code) => {
    const profile = createMachineProfile(createRandom(`${code}/profile`), MACHINE_FAULTS.press, OCCASIONAL_FAULTS);
    return { code, profile, history: simulate(linePlan, profile, code) };
  });

  it('gives contiguous intervals with exactly the last one open', () => {
    for (const { history } of machines) {
      const { intervals } = history;
      expect(intervals[0]?.startMs).toBe(fromMs);
      expect(intervals.filter((i) => i.endMs === null)).toEqual([intervals.at(-1)]);
      for (let i = 1; i < intervals.length; i++) {
        const previous = intervals[i - 1];
        expect(intervals[i]?.startMs).toBe(previous?.endMs);
        expect(previous?.endMs ?? 0).toBeGreaterThan(previous?.startMs ?? 0);
      }
    }
  });

  it('counts only inside the window, never negative, and only in buckets where the machine produced', () => {
    for (const { history } of machines) {
      const producingBuckets = new Set<string>();
      for (const i of history.intervals.filter((i) => i.state === 'PRODUCING')) {
        for (let b = Math.floor(i.startMs / 300_000) * 300_000; b < (i.endMs ?? toMs); b += 300_000) {
          producingBuckets.add(`${b}:${i.orderIndex}`);
        }
      }
      const wrong = history.counts.filter(
        (c) =>
          c.goodCount < 0 ||
          c.rejectCount < 0 ||
          c.goodCount + c.rejectCount === 0 ||
          c.bucketStartMs < fromMs ||
          c.bucketStartMs > toMs ||
          !producingBuckets.has(`${c.bucketStartMs}:${c.orderIndex}`),
      );
      expect(wrong).toEqual([]);
      expect(history.counts.length).toBeGreaterThan(1_000);
    }
  });

  it('gives every machine its own OEE, roughly between 45 and 85 %', () => {
    const values = machines.map(({ history }) => oee(history));
    for (const value of values) {
      expect(value).toBeGreaterThan(0.38);
      expect(value).toBeLessThan(0.92);
    }
    expect(new Set(values.map((v) => v.toFixed(3))).size).toBe(values.length);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.15);
  });

  it('leaves about 15 % of breakdowns unclassified and classifies the rest after they end', () => {
    const downs = machines.flatMap(({ history }) => history.intervals.filter((i) => i.state === 'DOWN'));
    const unclassified = downs.filter((i) => i.reasonCode === null).length / downs.length;
    expect(unclassified).toBeGreaterThan(0.08);
    expect(unclassified).toBeLessThan(0.25);
    for (const down of downs.filter((i) => i.reasonCode !== null)) {
      expect(down.classifiedAtMs).toBeGreaterThanOrEqual(down.endMs ?? Infinity);
      expect(down.classifiedAtMs).toBeLessThanOrEqual(toMs);
    }
  });

  it('uses only reason codes of the demo reason tree', () => {
    const codes = new Set(DEMO_REASON_TREE.flatMap((c) => c.reasons.map((r) => r.code)));
    for (const code of Object.values(PLAN_REASONS)) expect(codes).toContain(code);
    for (const faults of Object.values(MACHINE_FAULTS)) for (const code of faults) expect(codes).toContain(code);
    for (const code of OCCASIONAL_FAULTS) expect(codes).toContain(code);
  });

  it('is the same for the same seed', () => {
    const [first] = machines;
    if (first === undefined) throw new Error('no machine');
    expect(simulate(linePlan, first.profile, first.code)).toEqual(first.history);
  });
});
