// Pure simulation of a line's and its machines' past (no I/O): which work orders ran when, and what
// state every machine was in and how much it counted. The database layer (history.seed.ts) only maps
// codes and indexes to ids and writes the result.
//
// A line plan is laid out first, because all machines of a line share it: the shift calendar (outside
// shifts → NO_ORDER), breaks, start-up meetings, end-of-day cleaning, planned maintenance, and work orders
// with a product changeover between them. Each machine then adds its own breakdowns and short stops to
// the plan's run time, with a reliability profile drawn so that machines differ in OEE (about 45–85 %).
import type { MachineState } from '@takt/db';
import type { Random } from './random.ts';
import type { TShiftWindow } from '@takt/kpi';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Reason codes the simulation assigns by itself; they must exist in the reason tree (plant.data.ts). */
export const PLAN_REASONS = {
  break: 'PLN-BREAK',
  meeting: 'PLN-MEETING',
  maintenance: 'PLN-PM',
  cleaning: 'PLN-CLEAN',
  changeover: 'CO-PRODUCT',
  shortage: 'MAT-SHORT',
  starved: 'MAT-STARVED',
  blocked: 'MAT-BLOCKED',
} as const;

const START_UP_MEETING_MS = 10 * MINUTE_MS;
const END_OF_DAY_CLEANING_MS = 20 * MINUTE_MS;
const MAINTENANCE_MS = 4 * HOUR_MS;

export type LineSegmentKind = 'OFF' | 'RUN' | 'CHANGEOVER' | 'PLANNED_STOP';

/** A stretch of the line's plan; `orderIndex` points into `LinePlan.orders` (null outside orders). */
export type LineSegment = {
  kind: LineSegmentKind;
  startMs: number;
  endMs: number;
  reasonCode: string | null;
  orderIndex: number | null;
};

export type PlannedOrder = {
  index: number;
  productCode: string;
  /** When the order was started on the line: its changeover begins here. */
  startMs: number;
  /** When its quantity was reached; null for the order still in progress at the end of the plan. */
  completedMs: number | null;
  /** Run time the order was planned to take; sizes the target quantity. */
  plannedRunMs: number;
};

/** A scheduled line stop (PlannedDowntime row); may lie in the future. */
export type PlannedLineStop = { startMs: number; endMs: number; reasonCode: string; note: string };

export type LinePlan = {
  fromMs: number;
  toMs: number;
  segments: LineSegment[];
  orders: PlannedOrder[];
  plannedStops: PlannedLineStop[];
};

export type PlanLineHistoryOptions = {
  /** Shift instances from before `fromMs` to some days after `toMs` (for the upcoming maintenance). */
  calendar: readonly TShiftWindow[];
  fromMs: number;
  toMs: number;
  productCodes: readonly string[];
  random: Random;
};

type Paint = Pick<LineSegment, 'kind' | 'reasonCode'>;

/** Overwrites [startMs, endMs) of a contiguous, ordered segment list with `paint`. */
function paint(segments: LineSegment[], startMs: number, endMs: number, patch: Paint): LineSegment[] {
  const out: LineSegment[] = [];
  for (const segment of segments) {
    if (segment.endMs <= startMs || segment.startMs >= endMs) {
      out.push(segment);
      continue;
    }
    if (segment.startMs < startMs) out.push({ ...segment, endMs: startMs });
    out.push({
      ...patch,
      orderIndex: null,
      startMs: Math.max(segment.startMs, startMs),
      endMs: Math.min(segment.endMs, endMs),
    });
    if (segment.endMs > endMs) out.push({ ...segment, startMs: endMs });
  }
  return out;
}

function sameSegment(a: LineSegment, b: LineSegment): boolean {
  return a.kind === b.kind && a.reasonCode === b.reasonCode && a.orderIndex === b.orderIndex;
}

/** Groups shifts that follow each other without a gap: a working day (2x8) or a working week (3x8). */
function workingBlocks(calendar: readonly TShiftWindow[]): { startMs: number; endMs: number }[] {
  const blocks: { startMs: number; endMs: number }[] = [];
  for (const shift of calendar) {
    const last = blocks.at(-1);
    if (last !== undefined && shift.startMs <= last.endMs) last.endMs = Math.max(last.endMs, shift.endMs);
    else blocks.push({ startMs: shift.startMs, endMs: shift.endMs });
  }
  return blocks;
}

/** Lays out the line's calendar, planned stops and work orders over [fromMs, toMs). */
export function planLineHistory(options: PlanLineHistoryOptions): LinePlan {
  const { calendar, fromMs, toMs, productCodes, random } = options;
  if (productCodes.length === 0) throw new Error('A line needs at least one product to plan its history');

  let segments: LineSegment[] = [{ kind: 'OFF', startMs: fromMs, endMs: toMs, reasonCode: null, orderIndex: null }];
  for (const shift of calendar)
    segments = paint(segments, shift.startMs, shift.endMs, { kind: 'RUN', reasonCode: null });
  for (const block of workingBlocks(calendar)) {
    segments = paint(segments, block.startMs, block.startMs + START_UP_MEETING_MS, {
      kind: 'PLANNED_STOP',
      reasonCode: PLAN_REASONS.meeting,
    });
    segments = paint(segments, block.endMs - END_OF_DAY_CLEANING_MS, block.endMs, {
      kind: 'PLANNED_STOP',
      reasonCode: PLAN_REASONS.cleaning,
    });
  }
  for (const shift of calendar) {
    for (const shiftBreak of shift.breaks) {
      segments = paint(segments, shiftBreak.startMs, shiftBreak.endMs, {
        kind: 'PLANNED_STOP',
        reasonCode: PLAN_REASONS.break,
      });
    }
  }

  // One maintenance window in the past (visible in history) and one upcoming (visible on the calendar).
  const plannedStops: PlannedLineStop[] = [];
  const maintenanceIn = (earliestMs: number, latestMs: number, note: string): void => {
    const candidates = calendar.filter((s) => s.startMs >= earliestMs && s.startMs <= latestMs);
    if (candidates.length === 0) return;
    const shift = random.pick(candidates);
    const startMs = shift.startMs + HOUR_MS;
    const endMs = Math.min(startMs + MAINTENANCE_MS, shift.endMs);
    plannedStops.push({ startMs, endMs, reasonCode: PLAN_REASONS.maintenance, note });
    segments = paint(segments, startMs, endMs, { kind: 'PLANNED_STOP', reasonCode: PLAN_REASONS.maintenance });
  };
  maintenanceIn(fromMs + 7 * DAY_MS, toMs - 7 * DAY_MS, 'Quarterly preventive maintenance');
  maintenanceIn(toMs + 2 * DAY_MS, toMs + 12 * DAY_MS, 'Preventive maintenance: replace wear parts');

  // Work orders consume run time; each begins with a product changeover.
  const orders: PlannedOrder[] = [];
  let remainingChangeoverMs = 0;
  let remainingRunMs = 0;
  const startOrder = (atMs: number): PlannedOrder => {
    const previous = orders.at(-1);
    const choices = productCodes.length > 1 ? productCodes.filter((c) => c !== previous?.productCode) : productCodes;
    const plannedRunMs = Math.round(random.between(16, 44)) * HOUR_MS;
    const order: PlannedOrder = {
      index: orders.length,
      productCode: random.pick(choices),
      startMs: atMs,
      completedMs: null,
      plannedRunMs,
    };
    orders.push(order);
    remainingChangeoverMs = random.int(20, 50) * MINUTE_MS;
    remainingRunMs = plannedRunMs;
    return order;
  };

  const laidOut: LineSegment[] = [];
  let current: PlannedOrder | undefined;
  for (const segment of segments) {
    if (segment.kind !== 'RUN') {
      laidOut.push({ ...segment, orderIndex: segment.kind === 'OFF' ? null : (current?.index ?? null) });
      continue;
    }
    let t = segment.startMs;
    while (t < segment.endMs) {
      current ??= startOrder(t);
      if (remainingChangeoverMs > 0) {
        const lengthMs = Math.min(segment.endMs - t, remainingChangeoverMs);
        laidOut.push({
          kind: 'CHANGEOVER',
          startMs: t,
          endMs: t + lengthMs,
          reasonCode: PLAN_REASONS.changeover,
          orderIndex: current.index,
        });
        remainingChangeoverMs -= lengthMs;
        t += lengthMs;
        continue;
      }
      const lengthMs = Math.min(segment.endMs - t, remainingRunMs);
      laidOut.push({ kind: 'RUN', startMs: t, endMs: t + lengthMs, reasonCode: null, orderIndex: current.index });
      remainingRunMs -= lengthMs;
      t += lengthMs;
      if (remainingRunMs === 0) {
        current.completedMs = t;
        current = t < toMs ? startOrder(t) : undefined;
      }
    }
  }

  const merged: LineSegment[] = [];
  for (const segment of laidOut) {
    const last = merged.at(-1);
    if (last !== undefined && sameSegment(last, segment)) last.endMs = segment.endMs;
    else merged.push({ ...segment });
  }
  return { fromMs, toMs, segments: merged, orders, plannedStops };
}

// ---------------------------------------------------------------- machines

/** How a machine behaves; drawn once per machine so that each has its own OEE. */
export type MachineProfile = {
  /** The OEE the profile aims at; the simulated one lands near it. */
  targetOee: number;
  /** Actual / ideal rate while producing: the performance factor. */
  speedFactor: number;
  /** Share of produced units rejected in steady running. */
  scrapRate: number;
  /** Mean producing time between breakdowns. */
  meanTimeBetweenFailuresSec: number;
  /** Median repair time of a breakdown (log-normal, so a few take hours). */
  medianRepairSec: number;
  /** Mean producing time between short stops (starved, blocked, small jams). */
  meanTimeBetweenShortStopsSec: number;
  /** Share of the line's changeover this machine needs; it produces for the rest. */
  changeoverShare: number;
  /** Breakdown reasons with their relative frequency. */
  faultWeights: readonly (readonly [string, number])[];
};

const REPAIR_SPREAD = 0.8;
const MEAN_SHORT_STOP_SEC = 300;
const UNCLASSIFIED_DOWN_SHARE = 0.15;
/** Availability lost to changeovers and similar, already in the plan, not drawn per machine. */
const CHANGEOVER_LOSS = 0.03;

/**
 * A machine's reliability profile. `typicalFaults` (most frequent first) dominate its Pareto chart;
 * `otherFaults` occur now and then.
 */
export function createMachineProfile(
  random: Random,
  typicalFaults: readonly string[],
  otherFaults: readonly string[],
): MachineProfile {
  const targetOee = random.between(0.45, 0.85);
  const scrapRate = random.between(0.005, 0.03);
  const quality = 1 - scrapRate;
  let speedFactor = random.between(0.8, 0.98);
  let availability = targetOee / (speedFactor * quality);
  if (availability > 0.94) {
    availability = 0.94;
    speedFactor = Math.min(0.98, targetOee / (availability * quality));
  }
  const lossShare = Math.max(0.02, 1 - availability - CHANGEOVER_LOSS);
  const producingShare = 1 - lossShare;
  const downShare = 0.75 * lossShare;
  const shortStopShare = lossShare - downShare;
  const medianRepairSec = random.between(6, 25) * 60;
  const meanRepairSec = medianRepairSec * Math.exp((REPAIR_SPREAD * REPAIR_SPREAD) / 2);
  const typical = typicalFaults.map((code, i) => [code, 1 / (i + 1) ** 1.3] as const);
  const occasional = otherFaults.filter((c) => !typicalFaults.includes(c)).map((code) => [code, 0.03] as const);
  return {
    targetOee,
    speedFactor,
    scrapRate,
    meanTimeBetweenFailuresSec: (meanRepairSec * producingShare) / downShare,
    medianRepairSec,
    meanTimeBetweenShortStopsSec: (MEAN_SHORT_STOP_SEC * producingShare) / shortStopShare,
    changeoverShare: random.between(0.6, 1),
    faultWeights: [...typical, ...occasional],
  };
}

export type SimulatedInterval = {
  state: MachineState;
  startMs: number;
  /** null for the machine's current state at the end of the plan. */
  endMs: number | null;
  reasonCode: string | null;
  orderIndex: number | null;
  /** When a supervisor classified this breakdown; null when the reason came from the plan or is missing. */
  classifiedAtMs: number | null;
};

export type SimulatedCount = { bucketStartMs: number; orderIndex: number; goodCount: number; rejectCount: number };

export type SimulateMachineOptions = {
  plan: LinePlan;
  profile: MachineProfile;
  random: Random;
  /** Seconds per unit of a product on this machine (machine override or line value). */
  idealCycleTimeSec(productCode: string): number;
  bucketSec: number;
  /** The first machine of a line waits for material, later ones for the upstream machine. */
  isFirstInLine: boolean;
};

export type MachineHistory = { intervals: SimulatedInterval[]; counts: SimulatedCount[] };

function roundToSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

/** One machine's contiguous state intervals (the last one open) and per-bucket counts over the plan. */
export function simulateMachine(options: SimulateMachineOptions): MachineHistory {
  const { plan, profile, random, isFirstInLine } = options;
  const intervals: SimulatedInterval[] = [];

  const push = (
    interval: Omit<SimulatedInterval, 'classifiedAtMs'> & { endMs: number },
    classifiedAtMs: number | null = null,
  ) => {
    if (interval.endMs <= interval.startMs) return;
    const last = intervals.at(-1);
    if (
      last !== undefined &&
      last.state === interval.state &&
      last.reasonCode === interval.reasonCode &&
      last.orderIndex === interval.orderIndex &&
      last.classifiedAtMs === null &&
      classifiedAtMs === null
    ) {
      last.endMs = interval.endMs;
      return;
    }
    intervals.push({ ...interval, classifiedAtMs });
  };

  const shortStopReason = (): string | null => {
    if (random.chance(0.5)) return null;
    if (isFirstInLine) return PLAN_REASONS.shortage;
    return random.weighted([
      [PLAN_REASONS.starved, 0.6],
      [PLAN_REASONS.blocked, 0.4],
    ]);
  };

  const run = (startMs: number, endMs: number, orderIndex: number): void => {
    let t = startMs;
    while (t < endMs) {
      const toFailureMs = random.exponential(profile.meanTimeBetweenFailuresSec) * 1000;
      const toShortStopMs = random.exponential(profile.meanTimeBetweenShortStopsSec) * 1000;
      const isBreakdown = toFailureMs < toShortStopMs;
      const stopMs = roundToSecond(t + Math.min(toFailureMs, toShortStopMs));
      if (stopMs >= endMs) {
        push({ state: 'PRODUCING', startMs: t, endMs, reasonCode: null, orderIndex });
        return;
      }
      push({ state: 'PRODUCING', startMs: t, endMs: stopMs, reasonCode: null, orderIndex });
      const durationSec = isBreakdown
        ? Math.min(Math.max(random.logNormal(profile.medianRepairSec, REPAIR_SPREAD), 60), 4 * 3600)
        : random.between(60, 2 * MEAN_SHORT_STOP_SEC - 60);
      const resumeMs = Math.min(roundToSecond(stopMs + durationSec * 1000), endMs);
      if (isBreakdown) {
        // A stop still going on at the end of the plan has not been classified yet.
        const isClassified = resumeMs < plan.toMs && !random.chance(UNCLASSIFIED_DOWN_SHARE);
        const reasonCode = isClassified ? random.weighted(profile.faultWeights) : null;
        const classifiedAtMs = isClassified ? Math.min(resumeMs + random.int(2, 45) * 60_000, plan.toMs) : null;
        push({ state: 'DOWN', startMs: stopMs, endMs: resumeMs, reasonCode, orderIndex }, classifiedAtMs);
      } else {
        push({ state: 'IDLE', startMs: stopMs, endMs: resumeMs, reasonCode: shortStopReason(), orderIndex });
      }
      t = resumeMs;
    }
  };

  for (const segment of plan.segments) {
    const { startMs, endMs, reasonCode, orderIndex } = segment;
    switch (segment.kind) {
      case 'OFF':
        push({ state: 'NO_ORDER', startMs, endMs, reasonCode: null, orderIndex: null });
        break;
      case 'PLANNED_STOP':
        push({ state: 'PLANNED_STOP', startMs, endMs, reasonCode, orderIndex });
        break;
      case 'CHANGEOVER': {
        if (orderIndex === null) throw new Error('A changeover belongs to an order');
        const changeoverEndMs = roundToSecond(startMs + (endMs - startMs) * profile.changeoverShare);
        push({ state: 'CHANGEOVER', startMs, endMs: changeoverEndMs, reasonCode, orderIndex });
        run(changeoverEndMs, endMs, orderIndex);
        break;
      }
      case 'RUN':
        if (orderIndex === null) throw new Error('Run time belongs to an order');
        run(startMs, endMs, orderIndex);
        break;
    }
  }
  const last = intervals.at(-1);
  if (last !== undefined) last.endMs = null;

  return { intervals, counts: countProduction(options, intervals) };
}

/**
 * Per-bucket good and reject counts of the PRODUCING intervals: the ideal rate times the machine's speed
 * factor (with a little noise per run), and more scrap in the first minutes after a breakdown or setup.
 * Fractions carry over, so the totals match producing time × rate.
 */
function countProduction(options: SimulateMachineOptions, intervals: readonly SimulatedInterval[]): SimulatedCount[] {
  const { plan, profile, random, bucketSec } = options;
  const bucketMs = bucketSec * 1000;
  const counts = new Map<string, SimulatedCount>();
  let producedUnits = 0;
  let rejectedUnits = 0;
  for (let i = 0; i < intervals.length; i++) {
    const interval = intervals[i];
    if (interval === undefined || interval.state !== 'PRODUCING' || interval.orderIndex === null) continue;
    const order = plan.orders[interval.orderIndex];
    if (order === undefined) throw new Error(`Interval refers to unknown order ${interval.orderIndex}`);
    const orderIndex = interval.orderIndex;
    const endMs = interval.endMs ?? plan.toMs;
    const speed = Math.min(profile.speedFactor * random.between(0.96, 1.04), 0.995);
    const unitsPerMs = speed / (options.idealCycleTimeSec(order.productCode) * 1000);
    const previousState = intervals[i - 1]?.state;
    const startUpEndMs =
      previousState === 'DOWN' || previousState === 'CHANGEOVER' ? interval.startMs + 10 * MINUTE_MS : interval.startMs;
    for (
      let bucketStartMs = Math.floor(interval.startMs / bucketMs) * bucketMs;
      bucketStartMs < endMs;
      bucketStartMs += bucketMs
    ) {
      const fromMs = Math.max(interval.startMs, bucketStartMs);
      const toMs = Math.min(endMs, bucketStartMs + bucketMs);
      const unitsBefore = producedUnits;
      producedUnits += (toMs - fromMs) * unitsPerMs;
      const units = Math.floor(producedUnits) - Math.floor(unitsBefore);
      if (units === 0) continue;
      const scrapRate = fromMs < startUpEndMs ? profile.scrapRate * 4 : profile.scrapRate;
      const rejectsBefore = rejectedUnits;
      rejectedUnits += units * scrapRate * random.between(0.5, 1.5);
      const rejects = Math.min(units, Math.floor(rejectedUnits) - Math.floor(rejectsBefore));
      const key = `${bucketStartMs}:${orderIndex}`;
      let count = counts.get(key);
      if (count === undefined) {
        count = { bucketStartMs, orderIndex, goodCount: 0, rejectCount: 0 };
        counts.set(key, count);
      }
      count.goodCount += units - rejects;
      count.rejectCount += rejects;
    }
  }
  return [...counts.values()];
}
