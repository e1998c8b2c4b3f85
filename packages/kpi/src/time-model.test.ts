// The time model of one machine: precedence of calendar over machine state, clipping at range/shift/break
// boundaries, open intervals, data gaps, DST nights, product mix, unknown ideal cycle times and DOWN events.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { TCountBucket, TStateInterval } from './kpi-input.types.ts';
import { deriveKpis } from './oee.kpi.ts';
import { expandShiftCalendar, type TShiftDefinition } from './shift-calendar.ts';
import { buildMachineTimeline, computeMachineComponents, type TMachineComponentsInput } from './time-model.ts';

const MIN_MS = 60_000;
const HOUR_MS = 60 * MIN_MS;
const M = 'press-1';
const T0 = Date.UTC(2024, 5, 3, 6, 0); // Monday 2024-06-03 06:00 UTC

const interval = (
  state: TStateInterval['state'],
  startMin: number,
  endMin: number | null,
  extra: Partial<TStateInterval> = {},
): TStateInterval => ({
  machineId: M,
  state,
  startMs: T0 + startMin * MIN_MS,
  endMs: endMin === null ? null : T0 + endMin * MIN_MS,
  ...extra,
});
const bucket = (
  atMin: number,
  goodCount: number,
  rejectCount: number,
  productId: string | null = 'P1',
): TCountBucket => ({
  machineId: M,
  bucketStartMs: T0 + atMin * MIN_MS,
  bucketSec: 60,
  productId,
  goodCount,
  rejectCount,
});
// One 8 h shift from T0 with a 30 min break at +4 h.
const shift = [
  {
    startMs: T0,
    endMs: T0 + 8 * HOUR_MS,
    breaks: [{ startMs: T0 + 4 * HOUR_MS, endMs: T0 + 4.5 * HOUR_MS }],
  },
];
const ideal = (seconds: Record<string, number>) => (_machineId: string, productId: string) =>
  seconds[productId] ?? null;

function run(overrides: Partial<TMachineComponentsInput>) {
  return computeMachineComponents({
    machineId: M,
    fromMs: T0,
    toMs: T0 + 8 * HOUR_MS,
    stateIntervals: [],
    counts: [],
    shiftWindows: shift,
    idealCycleTimeSec: ideal({ P1: 1 }),
    ...overrides,
  });
}

describe('computeMachineComponents: empty and not-applicable cases', () => {
  it('an empty range gives zero components and null ratios', () => {
    const c = run({ toMs: T0 });
    expect(c.calendarTimeSec).toBe(0);
    const k = deriveKpis(c);
    expect([k.availability, k.performance, k.quality, k.oee, k.teep, k.utilization, k.mtbfSec]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('no state data at all: the whole planned time is an OFFLINE data gap, availability 0 (not null)', () => {
    const c = run({});
    expect(c.plannedBusyTimeSec).toBe(7.5 * 3600);
    expect(c.offlineTimeSec).toBe(7.5 * 3600);
    expect(c.runTimeSec).toBe(0);
    const k = deriveKpis(c);
    expect(k.availability).toBe(0);
    expect(k.dataGapShare).toBe(1);
    expect(k.performance).toBeNull(); // no run time
    expect(k.oee).toBe(0);
  });

  it('no shift in the range: no planned time, so A, OEE and throughput are null — never 0 or NaN', () => {
    const c = run({
      shiftWindows: [],
      stateIntervals: [interval('PRODUCING', -60, null)],
      counts: [bucket(10, 100, 0)],
    });
    expect(c.plannedBusyTimeSec).toBe(0);
    expect(c.plannedShutdownTimeSec).toBe(0);
    expect(c.goodCount).toBe(100);
    expect(c.countOutsidePlannedBusyTime).toBe(100);
    const k = deriveKpis(c);
    expect(k.availability).toBeNull();
    expect(k.performance).toBeNull();
    expect(k.oee).toBeNull();
    expect(k.throughputPerHour).toBeNull();
    expect(k.quality).toBe(1);
    expect(k.utilization).toBe(0);
    expect(k.teep).toBeCloseTo(100 / (8 * 3600), 12);
  });
});

describe('computeMachineComponents: clipping and precedence', () => {
  it('clips an open interval that began before the range at the range end', () => {
    const c = run({ stateIntervals: [interval('PRODUCING', -120, null)] });
    expect(c.runTimeSec).toBe(7.5 * 3600);
    expect(c.plannedShutdownTimeSec).toBe(0.5 * 3600); // the break overrides PRODUCING
    expect(c.calendarTimeSec).toBe(8 * 3600);
  });

  it('clips intervals spanning the range boundaries exactly, to the millisecond', () => {
    const c = run({
      fromMs: T0 + 1,
      toMs: T0 + HOUR_MS - 1,
      stateIntervals: [interval('DOWN', -10, 30), interval('PRODUCING', 30, 90)],
    });
    expect(c.downTimeSec).toBe(30 * 60 - 0.001);
    expect(c.runTimeSec).toBe(30 * 60 - 0.001);
    expect(c.calendarTimeSec).toBe(3600 - 0.002);
  });

  it('lets breaks and scheduled planned downtime override any state, and excludes PLANNED_STOP / NO_ORDER', () => {
    const c = run({
      stateIntervals: [
        interval('PRODUCING', 0, 60),
        interval('DOWN', 60, 120, { reasonCode: 'JAM' }), // 30 min of it inside planned downtime 90..150
        interval('PLANNED_STOP', 120, 180),
        interval('NO_ORDER', 180, 240),
        interval('DOWN', 240, 270), // exactly the break: planned shutdown, but still a DOWN event
        interval('PRODUCING', 270, null),
      ],
      plannedDowntimeWindows: [{ startMs: T0 + 90 * MIN_MS, endMs: T0 + 150 * MIN_MS }],
    });
    expect(c.shiftTimeSec).toBe(8 * 3600);
    // Excluded: planned downtime 90..150, PLANNED_STOP 150..180, NO_ORDER 180..240, break 240..270.
    expect(c.plannedShutdownTimeSec).toBe(180 * 60);
    expect(c.downTimeSec).toBe(30 * 60);
    expect(c.runTimeSec).toBe(60 * 60 + 210 * 60);
    expect(c.plannedBusyTimeSec).toBe(c.runTimeSec + c.unplannedDownTimeSec);
    expect(c.downEventCount).toBe(2);
    expect(c.unclassifiedDownTimeSec).toBe(0); // the DOWN in planned time has a reason
  });

  it('excludes time outside every shift whatever the machine reports', () => {
    const c = run({
      fromMs: T0 - 2 * HOUR_MS,
      toMs: T0 + 10 * HOUR_MS,
      stateIntervals: [interval('DOWN', -120, null)],
    });
    expect(c.calendarTimeSec).toBe(12 * 3600);
    expect(c.shiftTimeSec).toBe(8 * 3600);
    expect(c.downTimeSec).toBe(7.5 * 3600);
    expect(c.downEventCount).toBe(1);
  });

  it('reports CHANGEOVER as setup time inside unplanned down time, and OFFLINE and gaps as data gaps', () => {
    const c = run({
      stateIntervals: [
        interval('PRODUCING', 0, 60),
        interval('CHANGEOVER', 60, 90),
        interval('IDLE', 90, 100),
        interval('OFFLINE', 100, 110),
        // gap 110..120: no state data
        interval('PRODUCING', 120, 480),
      ],
    });
    expect(c.setupTimeSec).toBe(30 * 60);
    expect(c.idleTimeSec).toBe(10 * 60);
    expect(c.offlineTimeSec).toBe(20 * 60);
    expect(c.unplannedDownTimeSec).toBe(60 * 60);
    expect(c.unclassifiedDownTimeSec).toBe(10 * 60); // the IDLE without reason
    expect(deriveKpis(c).unclassifiedDownTimeShare).toBe(1);
    expect(c.runTimeSec).toBe(60 * 60 + 330 * 60);
  });

  it('resolves overlapping intervals (bad data): a state lasts until the next one starts', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, 480), interval('DOWN', 60, 70)],
    });
    // PRODUCING is cut at 60; 70..480 has no data because the DOWN ended at 70.
    expect(c.runTimeSec).toBe(60 * 60);
    expect(c.downTimeSec).toBe(10 * 60);
    expect(c.offlineTimeSec).toBe(7.5 * 3600 - 70 * 60);
  });

  it('ignores intervals and counts of other machines', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, null), { ...interval('DOWN', 0, null), machineId: 'other' }],
      counts: [bucket(5, 10, 0), { ...bucket(5, 99, 99), machineId: 'other' }],
    });
    expect(c.runTimeSec).toBe(7.5 * 3600);
    expect(c.goodCount).toBe(10);
  });

  it('explains itself: the timeline partitions the range into labelled segments', () => {
    const timeline = buildMachineTimeline({
      machineId: M,
      fromMs: T0,
      toMs: T0 + 8 * HOUR_MS,
      stateIntervals: [interval('PRODUCING', 0, 250, { productId: 'P1' }), interval('DOWN', 250, null)],
      shiftWindows: shift,
    });
    expect(timeline.map((s) => [(s.startMs - T0) / MIN_MS, (s.endMs - T0) / MIN_MS, s.state, s.timeClass])).toEqual([
      [0, 240, 'PRODUCING', 'RUN'],
      [240, 250, 'PRODUCING', 'PLANNED_SHUTDOWN'],
      [250, 270, 'DOWN', 'PLANNED_SHUTDOWN'],
      [270, 480, 'DOWN', 'UNPLANNED_DOWN'],
    ]);
    expect(timeline[1]?.calendarClass).toBe('BREAK');
  });
});

describe('computeMachineComponents: shifts across midnight and DST', () => {
  const nightShift: TShiftDefinition = {
    code: 'N',
    startMinute: 22 * 60,
    durationMin: 8 * 60,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    breaks: [{ offsetMin: 4 * 60, durationMin: 30, name: 'night break' }],
  };

  it.each([
    { zone: 'Europe/Berlin', eve: '2024-06-05', hours: 7.5 },
    { zone: 'Europe/Berlin', eve: '2024-03-30', hours: 6.5 }, // spring forward: 7 h shift
    { zone: 'Europe/Berlin', eve: '2024-10-26', hours: 8.5 }, // fall back: 9 h shift
    { zone: 'America/Chicago', eve: '2024-03-09', hours: 6.5 },
    { zone: 'America/Chicago', eve: '2024-11-02', hours: 8.5 },
  ])('a 22:00–06:00 night shift in $zone starting $eve has $hours h of planned time', ({ zone, eve, hours }) => {
    // Evaluate the whole local weekend-ish window around the night; the machine runs throughout.
    const fromMs = DateTime.fromISO(`${eve}T12:00`, { zone }).toMillis();
    const toMs = DateTime.fromISO(`${eve}T12:00`, { zone }).plus({ days: 1 }).toMillis();
    const shiftWindows = expandShiftCalendar({ shifts: [nightShift], timeZone: zone, fromMs, toMs }).filter(
      (w) => w.shiftDate === eve,
    );
    const c = computeMachineComponents({
      machineId: M,
      fromMs,
      toMs,
      stateIntervals: [{ machineId: M, state: 'PRODUCING', startMs: fromMs - HOUR_MS, endMs: null }],
      counts: [],
      shiftWindows,
      idealCycleTimeSec: ideal({}),
    });
    expect(c.plannedBusyTimeSec).toBe(hours * 3600);
    expect(c.runTimeSec).toBe(hours * 3600);
    expect(c.plannedShutdownTimeSec).toBe(1800);
    expect(c.calendarTimeSec).toBe((toMs - fromMs) / 1000);
  });
});

describe('computeMachineComponents: counts, product mix and ideal cycle times', () => {
  it('weights performance by each product’s ideal cycle time (mix resolved per interval)', () => {
    const c = run({
      stateIntervals: [
        interval('PRODUCING', 0, 240, { productId: 'A' }),
        interval('PRODUCING', 270, 480, { productId: 'B' }),
      ],
      // Product comes from the interval when the bucket has none.
      counts: [bucket(10, 5000, 100, null), bucket(300, 2000, 50, null), bucket(400, 500, 0, 'B')],
      idealCycleTimeSec: ideal({ A: 2, B: 4 }),
    });
    expect(c.runTimeSec).toBe(7.5 * 3600);
    expect(c.idealProductionTimeSec).toBe(2 * 5100 + 4 * 2550);
    expect(c.goodIdealTimeSec).toBe(2 * 5000 + 4 * 2500);
    const k = deriveKpis(c);
    expect(k.performance).toBeCloseTo((2 * 5100 + 4 * 2550) / 27000, 12);
    // Quality is weighted by ideal time (fully productive / net run time), scrap rate by count.
    expect(k.quality).toBeCloseTo(20000 / 20400, 12);
    expect(k.scrapRate).toBeCloseTo(150 / 7650, 12);
    expect(k.oee).toBeCloseTo(20000 / 27000, 12);
    expect(k.oee!).toBeCloseTo(k.availability! * k.performance! * k.quality!, 12);
  });

  it('leaves parts without an ideal cycle time out of performance and lists them', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, null)],
      counts: [bucket(10, 1000, 0, 'P1'), bucket(20, 300, 20, 'UNKNOWN'), bucket(30, 5, 0, null)],
    });
    expect(c.countWithIdealCycleTime).toBe(1000);
    expect(c.missingIdealCycleTime).toEqual([
      { machineId: M, productId: null, totalCount: 5 },
      { machineId: M, productId: 'UNKNOWN', totalCount: 320 },
    ]);
    const k = deriveKpis(c);
    expect(k.hasMissingIdealCycleTime).toBe(true);
    expect(k.performance).toBeCloseTo(1000 / 27000, 12);
    expect(k.scrapRate).toBeCloseTo(20 / 1325, 12);
  });

  it('gives null performance and OEE when no counted part has an ideal cycle time', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, null)],
      counts: [bucket(10, 90, 10, 'UNKNOWN')],
    });
    const k = deriveKpis(c);
    expect(k.performance).toBeNull();
    expect(k.oee).toBeNull();
    expect(k.teep).toBeNull();
    expect(k.quality).toBe(0.9); // falls back to good / total
    expect(k.availability).toBe(1);
  });

  it('treats a non-positive or non-finite ideal cycle time as missing', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, null)],
      counts: [bucket(10, 10, 0, 'ZERO'), bucket(11, 10, 0, 'NAN')],
      idealCycleTimeSec: ideal({ ZERO: 0, NAN: Number.NaN }),
    });
    expect(c.countWithIdealCycleTime).toBe(0);
    expect(c.missingIdealCycleTime.map((m) => m.productId)).toEqual(['NAN', 'ZERO']);
  });

  it('flags performance above 1 (ideal cycle time probably too long) without clamping it', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, 60), interval('DOWN', 60, null)],
      counts: [bucket(5, 4000, 0)], // 4000 parts × 1 s ideal in 3600 s of run time
    });
    const k = deriveKpis(c);
    expect(k.performance).toBeCloseTo(4000 / 3600, 12);
    expect(k.isPerformanceAboveIdeal).toBe(true);
  });

  it('counts a bucket where it starts, even outside planned busy time, and says so', () => {
    const c = run({
      stateIntervals: [interval('PRODUCING', 0, null)],
      counts: [bucket(245, 100, 0), bucket(480, 50, 0), bucket(-1, 50, 0)], // in the break; at/after the range end
    });
    expect(c.goodCount).toBe(100);
    expect(c.countOutsidePlannedBusyTime).toBe(100);
  });
});

describe('computeMachineComponents: DOWN events, MTBF and MTTR', () => {
  it('counts a DOWN event in the range where it starts', () => {
    const intervals = [
      interval('DOWN', -30, 30), // began before the range: not counted here
      interval('PRODUCING', 30, 100),
      interval('DOWN', 100, 110),
      interval('PRODUCING', 110, 200),
      interval('DOWN', 200, 230),
      interval('PRODUCING', 230, null),
    ];
    const c = run({ stateIntervals: intervals });
    expect(c.downEventCount).toBe(2);
    expect(c.downTimeSec).toBe((30 + 10 + 30) * 60);
    const k = deriveKpis(c);
    expect(k.mtbfSec).toBe(c.runTimeSec / 2);
    expect(k.mttrSec).toBe(c.downTimeSec / 2);
    expect(deriveKpis(run({ stateIntervals: [interval('PRODUCING', 0, null)] })).mtbfSec).toBeNull();
  });
});
