// The ISO 22400 time model of one machine over one range: state intervals + shift calendar + scheduled planned
// downtime → a timeline of segments (each with the state the machine reported and the time class it counts in)
// → additive KPI components, with the counts and ideal cycle times folded in.
//
// Precedence (docs/kpi.md "The time model": "Shift breaks and scheduled planned downtime override what the machine reports for
// planned-time purposes"), for every instant of the range:
//   1. outside every shift window              → not scheduled (excluded from planned time, whatever the state)
//   2. in a shift break                        → planned shutdown (breaks win over everything inside a shift)
//   3. in scheduled planned downtime           → planned shutdown
//   4. otherwise the state decides (STATE_TIME_BUCKET): PLANNED_STOP and NO_ORDER → planned shutdown;
//      PRODUCING → run time (APT); DOWN, IDLE, CHANGEOVER, OFFLINE → unplanned down time.
//   Planned busy time = run time + unplanned down time.
//
// State data rules:
//   - Intervals are half-open; an open interval (`endMs: null`) runs to the range end, so evaluate "so far"
//     figures with `toMs = now`.
//   - A state lasts until the next one starts: if intervals overlap (bad data), the later-starting one wins; with
//     equal starts, the one later in the input wins. Time covered by no interval counts as OFFLINE (a data gap).
//   - A DOWN event is counted in the range where its interval starts (a DOWN that began before the range counts
//     in the earlier range), whatever the calendar says there: a failure is a failure. Its duration only counts
//     where it overlaps planned busy time, so a machine left faulted over an unplanned weekend does not inflate
//     MTTR. Splitting a range therefore never counts an event twice.
//
// Count rules:
//   - A count bucket belongs to the range that contains its `bucketStartMs`, and counts there even when that
//     instant is outside planned busy time (good parts are real). `countOutsidePlannedBusyTime` reports how many,
//     because such parts can push performance above 1.
//   - A bucket without a product takes the product of the state interval that contains its start (the product mix
//     is resolved per interval); still none, or no ideal cycle time (or a non-positive one) for the product: the
//     parts count for quality but not for performance, and are listed in `missingIdealCycleTime`.
import { STATE_TIME_BUCKET, type TMachineState } from '@takt/contracts';
import {
  emptyComponents,
  mergeMissingIdealCycleTimes,
  type TKpiComponents,
  type TMissingIdealCycleTime,
} from './kpi-components.ts';
import type { TCountBucket, TIdealCycleTimeLookup, TStateInterval } from './kpi-input.types.ts';
import {
  findWindowIndex,
  intersect,
  intersectWindows,
  normalizeWindows,
  subtractWindows,
  type TTimeWindow,
} from './time-window.ts';

/** What the calendar says about an instant, before the machine state is looked at. */
export type TCalendarClass = 'NOT_SCHEDULED' | 'BREAK' | 'PLANNED_DOWNTIME' | 'SCHEDULED';

/** Where an instant ends up in the ISO 22400 time model. */
export type TTimeClass = 'NOT_SCHEDULED' | 'PLANNED_SHUTDOWN' | 'RUN' | 'UNPLANNED_DOWN';

/** A piece of the timeline with one state and one calendar class; the segments partition the range. */
export type TTimelineSegment = TTimeWindow & {
  state: TMachineState;
  /** False where no state interval covers the time (then `state` is OFFLINE). */
  hasStateData: boolean;
  reasonCode: string | null;
  productId: string | null;
  calendarClass: TCalendarClass;
  timeClass: TTimeClass;
};

/** A shift window with its breaks; `TShiftWindow` from `expandShiftCalendar` fits. */
export type TPlannedShiftWindow = TTimeWindow & { breaks: readonly TTimeWindow[] };

export type TMachineTimelineInput = {
  machineId: string;
  fromMs: number;
  toMs: number;
  /** Intervals of other machines are ignored; include the ones that started before the range. */
  stateIntervals: readonly TStateInterval[];
  shiftWindows: readonly TPlannedShiftWindow[];
  plannedDowntimeWindows?: readonly TTimeWindow[];
};

export type TMachineComponentsInput = TMachineTimelineInput & {
  /** Buckets of other machines or starting outside the range are ignored. */
  counts: readonly TCountBucket[];
  idealCycleTimeSec: TIdealCycleTimeLookup;
};

type TNormalizedInterval = {
  state: TMachineState;
  startMs: number;
  /** `Infinity` for an open interval that nothing follows. */
  endMs: number;
  reasonCode: string | null;
  productId: string | null;
};

type TCalendarPiece = TTimeWindow & { calendarClass: TCalendarClass };
type TStatePiece = TTimeWindow & Omit<TTimelineSegment, 'calendarClass' | 'timeClass' | 'startMs' | 'endMs'>;

/** The machine's timeline over `[fromMs, toMs)`: consecutive segments labelled with state and time class. */
export function buildMachineTimeline(input: TMachineTimelineInput): TTimelineSegment[] {
  return timelineOf(input, rangeOf(input), normalizeStateIntervals(input.stateIntervals, input.machineId));
}

/** Additive KPI components of one machine over `[fromMs, toMs)` (see the module header for the rules). */
export function computeMachineComponents(input: TMachineComponentsInput): TKpiComponents {
  const range = rangeOf(input);
  const { machineId } = input;
  const normalized = normalizeStateIntervals(input.stateIntervals, machineId);
  const timeline = timelineOf(input, range, normalized);

  // Integer milliseconds while summing, seconds only at the end: the time components stay exact.
  const ms = {
    calendar: 0,
    shift: 0,
    plannedShutdown: 0,
    run: 0,
    down: 0,
    idle: 0,
    setup: 0,
    offline: 0,
    unclassified: 0,
  };
  const plannedBusyWindows: TTimeWindow[] = [];
  for (const segment of timeline) {
    const durationMs = segment.endMs - segment.startMs;
    ms.calendar += durationMs;
    if (segment.calendarClass !== 'NOT_SCHEDULED') ms.shift += durationMs;
    if (segment.timeClass === 'PLANNED_SHUTDOWN') ms.plannedShutdown += durationMs;
    if (segment.timeClass === 'RUN') ms.run += durationMs;
    if (segment.timeClass === 'UNPLANNED_DOWN') {
      if (segment.state === 'DOWN') ms.down += durationMs;
      else if (segment.state === 'IDLE') ms.idle += durationMs;
      else if (segment.state === 'CHANGEOVER') ms.setup += durationMs;
      else ms.offline += durationMs;
      if ((segment.state === 'DOWN' || segment.state === 'IDLE') && !segment.reasonCode) ms.unclassified += durationMs;
    }
    if (segment.timeClass === 'RUN' || segment.timeClass === 'UNPLANNED_DOWN') plannedBusyWindows.push(segment);
  }
  const plannedBusy = normalizeWindows(plannedBusyWindows);
  const unplannedDownMs = ms.down + ms.idle + ms.setup + ms.offline;

  const components: TKpiComponents = {
    ...emptyComponents(),
    calendarTimeSec: ms.calendar / 1000,
    shiftTimeSec: ms.shift / 1000,
    plannedShutdownTimeSec: ms.plannedShutdown / 1000,
    plannedBusyTimeSec: (ms.run + unplannedDownMs) / 1000,
    runTimeSec: ms.run / 1000,
    unplannedDownTimeSec: unplannedDownMs / 1000,
    downTimeSec: ms.down / 1000,
    idleTimeSec: ms.idle / 1000,
    setupTimeSec: ms.setup / 1000,
    offlineTimeSec: ms.offline / 1000,
    unclassifiedDownTimeSec: ms.unclassified / 1000,
    downEventCount: normalized.filter(
      (i) => i.state === 'DOWN' && i.startMs >= range.startMs && i.startMs < range.endMs,
    ).length,
  };

  const missing: TMissingIdealCycleTime[] = [];
  for (const bucket of input.counts) {
    if (bucket.machineId !== machineId) continue;
    if (bucket.bucketStartMs < range.startMs || bucket.bucketStartMs >= range.endMs) continue;
    const totalCount = bucket.goodCount + bucket.rejectCount;
    components.goodCount += bucket.goodCount;
    components.rejectCount += bucket.rejectCount;
    if (findWindowIndex(plannedBusy, bucket.bucketStartMs) < 0) components.countOutsidePlannedBusyTime += totalCount;

    const productId = bucket.productId ?? timeline[findWindowIndex(timeline, bucket.bucketStartMs)]?.productId ?? null;
    const idealCycleTimeSec = productId === null ? null : input.idealCycleTimeSec(machineId, productId);
    if (idealCycleTimeSec !== null && Number.isFinite(idealCycleTimeSec) && idealCycleTimeSec > 0) {
      components.countWithIdealCycleTime += totalCount;
      components.idealProductionTimeSec += idealCycleTimeSec * totalCount;
      components.goodIdealTimeSec += idealCycleTimeSec * bucket.goodCount;
    } else if (totalCount > 0) {
      missing.push({ machineId, productId, totalCount });
    }
  }
  components.missingIdealCycleTime = mergeMissingIdealCycleTimes(missing);
  return components;
}

function rangeOf(input: { fromMs: number; toMs: number }): TTimeWindow {
  if (!Number.isFinite(input.fromMs) || !Number.isFinite(input.toMs)) {
    throw new RangeError('fromMs and toMs must be finite epoch milliseconds');
  }
  // An inverted range is empty rather than an error: "from now to now" is a legitimate, empty question.
  return { startMs: input.fromMs, endMs: Math.max(input.fromMs, input.toMs) };
}

function timelineOf(
  input: TMachineTimelineInput,
  range: TTimeWindow,
  normalized: readonly TNormalizedInterval[],
): TTimelineSegment[] {
  return overlay(
    statePieces(normalized, range),
    calendarPieces(range, input.shiftWindows, input.plannedDowntimeWindows ?? []),
  );
}

// One machine's intervals, sorted, each ending where the next one starts at the latest (see module header).
function normalizeStateIntervals(intervals: readonly TStateInterval[], machineId: string): TNormalizedInterval[] {
  const sorted = intervals
    .map((interval, index) => ({ interval, index }))
    .filter(({ interval }) => interval.machineId === machineId)
    .sort((a, b) => a.interval.startMs - b.interval.startMs || a.index - b.index);
  const normalized: TNormalizedInterval[] = [];
  sorted.forEach(({ interval }, k) => {
    const nextStartMs = sorted[k + 1]?.interval.startMs ?? Infinity;
    const endMs = Math.min(interval.endMs ?? Infinity, nextStartMs);
    if (endMs <= interval.startMs) return;
    normalized.push({
      state: interval.state,
      startMs: interval.startMs,
      endMs,
      reasonCode: interval.reasonCode ?? null,
      productId: interval.productId ?? null,
    });
  });
  return normalized;
}

// The range partitioned by state, with gaps in the data filled as OFFLINE.
function statePieces(normalized: readonly TNormalizedInterval[], range: TTimeWindow): TStatePiece[] {
  const noData = (startMs: number, endMs: number): TStatePiece => ({
    startMs,
    endMs,
    state: 'OFFLINE',
    hasStateData: false,
    reasonCode: null,
    productId: null,
  });
  const pieces: TStatePiece[] = [];
  let cursorMs = range.startMs;
  for (const interval of normalized) {
    const clipped = intersect(interval, range);
    if (clipped === null) continue;
    if (clipped.startMs > cursorMs) pieces.push(noData(cursorMs, clipped.startMs));
    pieces.push({ ...interval, ...clipped, hasStateData: true });
    cursorMs = clipped.endMs;
  }
  if (cursorMs < range.endMs) pieces.push(noData(cursorMs, range.endMs));
  return pieces;
}

// The range partitioned by what the calendar says, with the precedence of the module header.
function calendarPieces(
  range: TTimeWindow,
  shiftWindows: readonly TPlannedShiftWindow[],
  plannedDowntimeWindows: readonly TTimeWindow[],
): TCalendarPiece[] {
  const shift = intersectWindows(shiftWindows, [range]);
  const breaks = intersectWindows(
    shiftWindows.flatMap((w) => w.breaks),
    shift,
  );
  const plannedDowntime = subtractWindows(intersectWindows(plannedDowntimeWindows, shift), breaks);
  const label = (windows: TTimeWindow[], calendarClass: TCalendarClass) =>
    windows.map((w) => ({ ...w, calendarClass }));
  return [
    ...label(subtractWindows([range], shift), 'NOT_SCHEDULED'),
    ...label(breaks, 'BREAK'),
    ...label(plannedDowntime, 'PLANNED_DOWNTIME'),
    ...label(subtractWindows(shift, [...breaks, ...plannedDowntime]), 'SCHEDULED'),
  ].sort((a, b) => a.startMs - b.startMs);
}

// Both inputs partition the same range; cut at every boundary of either and label each piece with both.
function overlay(states: readonly TStatePiece[], calendar: readonly TCalendarPiece[]): TTimelineSegment[] {
  const segments: TTimelineSegment[] = [];
  let i = 0;
  let j = 0;
  while (i < states.length && j < calendar.length) {
    const state = states[i] as TStatePiece;
    const cal = calendar[j] as TCalendarPiece;
    const startMs = Math.max(state.startMs, cal.startMs);
    const endMs = Math.min(state.endMs, cal.endMs);
    if (endMs > startMs) {
      segments.push({
        ...state,
        startMs,
        endMs,
        calendarClass: cal.calendarClass,
        timeClass: timeClassOf(cal.calendarClass, state.state),
      });
    }
    if (state.endMs <= cal.endMs) i++;
    else j++;
  }
  return segments;
}

function timeClassOf(calendarClass: TCalendarClass, state: TMachineState): TTimeClass {
  if (calendarClass === 'NOT_SCHEDULED') return 'NOT_SCHEDULED';
  if (calendarClass !== 'SCHEDULED') return 'PLANNED_SHUTDOWN';
  switch (STATE_TIME_BUCKET[state]) {
    case 'ACTUAL_PRODUCTION':
      return 'RUN';
    case 'UNPLANNED_DOWN':
      return 'UNPLANNED_DOWN';
    case 'PLANNED_SHUTDOWN':
    case 'NOT_PLANNED':
      return 'PLANNED_SHUTDOWN';
  }
}
