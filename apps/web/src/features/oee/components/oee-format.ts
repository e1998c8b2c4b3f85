// How the OEE page words and shapes its figures (pure): percentages to one decimal with "n/a" for a ratio that
// does not apply (never 0 %), the four KPI tiles with what each is made of, the loss waterfall's bars, the
// breakdown worst first, and the series as chart points. Times are read in the site's time zone.
import type { TKpiBucket, TKpiFigures, TKpiOeeResponse, TKpiSeriesPoint } from '@takt/contracts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { isLocalDate, startOfLocalDayMs, wallClockOf } from '../../../utils/zoned-time.ts';
import type { TTimeRange } from './oee-range.ts';

export const NOT_APPLICABLE = 'n/a';

/** A ratio as a percentage with one decimal; null (no denominator) is "n/a", not 0 %. */
export function formatPercent(ratio: number | null, locale?: string): string {
  if (ratio === null || !Number.isFinite(ratio)) return NOT_APPLICABLE;
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(ratio);
}

export function formatCount(count: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

/** Seconds as hours: one decimal below 100 h, whole hours above (a tenth of an hour is noise in 1,950 h). */
export function formatHours(seconds: number, locale?: string): string {
  const hours = seconds / 3600;
  const decimals = Math.abs(hours) < 100 ? 1 : 0;
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${number.format(hours)} h`;
}

/**
 * An amount of production time: hours with one decimal from one hour up (summed over machines a site's day runs
 * to hundreds of hours, which "9 d 5 h" would disguise), minutes and seconds below.
 */
export function formatTimeAmount(seconds: number, locale?: string): string {
  const sign = seconds < 0 ? '−' : '';
  const magnitudeSec = Math.abs(seconds);
  return sign + (magnitudeSec < 3600 ? formatDuration(magnitudeSec) : formatHours(magnitudeSec, locale));
}

/** A duration that may be absent (MTBF without a failure). */
export function formatOptionalDuration(seconds: number | null): string {
  return seconds === null ? NOT_APPLICABLE : formatDuration(seconds);
}

// ------------------------------------------------------------------------------------------------ KPI tiles

export type TKpiTileId = 'oee' | 'availability' | 'performance' | 'quality';

export type TKpiTile = {
  id: TKpiTileId;
  label: string;
  ratio: number | null;
  /** The percentage, or "n/a". */
  text: string;
  /** What the ratio is made of, in the plant's words. */
  detail: string;
  /** Something that makes the figure doubtful (above 100 %, parts without ideal cycle time). */
  warning: string | null;
};

/** OEE, availability, performance and quality of a set of figures, each with its make-up and caveats. */
export function kpiTilesOf({ components: c, kpis }: TKpiFigures, locale?: string): TKpiTile[] {
  const totalCount = c.goodCount + c.rejectCount;
  const missingCount = c.missingIdealCycleTime.reduce((sum, missing) => sum + missing.totalCount, 0);
  const missingWarning =
    missingCount > 0
      ? `${formatCount(missingCount, locale)} parts have no ideal cycle time and are left out of performance and OEE.`
      : null;
  const noPlannedTime = 'No planned production time in this range.';
  let performanceWarning: string | null = missingWarning;
  if (kpis.isPerformanceAboveIdeal) {
    performanceWarning =
      kpis.performance === null
        ? 'Parts were counted without any run time: check the machine states.'
        : 'Above 100 %: parts came faster than the ideal cycle time allows. The ideal cycle time is probably wrong.';
  }
  const tile = (id: TKpiTileId, label: string, ratio: number | null, detail: string, warning: string | null) => ({
    id,
    label,
    ratio,
    text: formatPercent(ratio, locale),
    detail,
    warning,
  });
  return [
    tile(
      'oee',
      'OEE',
      kpis.oee,
      c.plannedBusyTimeSec > 0
        ? `${formatTimeAmount(c.goodIdealTimeSec)} fully productive of ${formatTimeAmount(c.plannedBusyTimeSec)} planned`
        : noPlannedTime,
      missingWarning,
    ),
    tile(
      'availability',
      'Availability',
      kpis.availability,
      c.plannedBusyTimeSec > 0
        ? `${formatTimeAmount(c.runTimeSec)} run of ${formatTimeAmount(c.plannedBusyTimeSec)} planned`
        : noPlannedTime,
      null,
    ),
    tile(
      'performance',
      'Performance',
      kpis.performance,
      c.runTimeSec > 0
        ? `${formatTimeAmount(c.idealProductionTimeSec)} net run of ${formatTimeAmount(c.runTimeSec)} run`
        : 'No run time in this range.',
      performanceWarning,
    ),
    tile(
      'quality',
      'Quality',
      kpis.quality,
      totalCount > 0
        ? `${formatCount(c.goodCount, locale)} good of ${formatCount(totalCount, locale)} parts`
        : 'No parts counted in this range.',
      null,
    ),
  ];
}

// ------------------------------------------------------------------------------------------------ waterfall

export type TWaterfallBar = {
  key: string;
  label: string;
  /** Bottom and top of the bar in seconds; a loss floats between the two times it separates. */
  fromSec: number;
  toSec: number;
  /** time: a stage of the time model; loss: time lost; gain: a negative loss (performance above ideal). */
  kind: 'time' | 'loss' | 'gain';
  durationSec: number;
  shareOfPlannedTime: number | null;
};

type TLossWaterfall = TKpiOeeResponse['totals']['lossWaterfall'];

/** Planned production time → run time → net run time → fully productive time, with the loss between each. */
export function waterfallBarsOf(waterfall: TLossWaterfall): TWaterfallBar[] {
  const s = waterfall.seconds;
  const planned = s.plannedProductionTime;
  const share = (sec: number) => (planned > 0 ? sec / planned : null);
  const time = (key: string, label: string, sec: number): TWaterfallBar => ({
    key,
    label,
    fromSec: 0,
    toSec: sec,
    kind: 'time',
    durationSec: sec,
    shareOfPlannedTime: share(sec),
  });
  const loss = (key: string, label: string, aboveSec: number, belowSec: number): TWaterfallBar => ({
    key,
    label,
    fromSec: Math.min(aboveSec, belowSec),
    toSec: Math.max(aboveSec, belowSec),
    kind: belowSec > aboveSec ? 'gain' : 'loss',
    durationSec: aboveSec - belowSec,
    shareOfPlannedTime: share(aboveSec - belowSec),
  });
  return [
    time('planned', 'Planned production time', planned),
    loss('availability-loss', 'Availability loss', planned, s.runTime),
    time('run', 'Run time', s.runTime),
    loss('performance-loss', 'Performance loss', s.runTime, s.netRunTime),
    time('net-run', 'Net run time', s.netRunTime),
    loss('quality-loss', 'Quality loss', s.netRunTime, s.fullyProductiveTime),
    time('fully-productive', 'Fully productive time', s.fullyProductiveTime),
  ];
}

// ------------------------------------------------------------------------------------------------ breakdown

/** Worst OEE first; children where OEE does not apply (no planned time) last, then by name. */
export function sortWorstFirst<T extends { name: string; kpis: { oee: number | null } }>(children: readonly T[]): T[] {
  return [...children].sort((a, b) => {
    if (a.kpis.oee === null || b.kpis.oee === null) {
      if (a.kpis.oee !== b.kpis.oee) return a.kpis.oee === null ? 1 : -1;
    } else if (a.kpis.oee !== b.kpis.oee) {
      return a.kpis.oee - b.kpis.oee;
    }
    return a.name.localeCompare(b.name);
  });
}

// ------------------------------------------------------------------------------------------------ time labels

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string | undefined, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = JSON.stringify([locale ?? '', timeZone, options]);
  let formatter = formatterCache.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatterCache.set(key, formatter);
  }
  return formatter;
}

const DAY_FORMAT = { weekday: 'short', day: 'numeric', month: 'short' } as const;
const DAY_YEAR_FORMAT = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } as const;
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const DATE_TIME_FORMAT = { ...DAY_YEAR_FORMAT, ...TIME_FORMAT } as const;

/** An instant as date and time in the site's time zone. */
export function formatDateTime(ms: number, timeZone: string, locale?: string): string {
  return dateFormat(locale, timeZone, DATE_TIME_FORMAT).format(ms);
}

/** An instant as a time of day in the site's time zone. */
export function formatTime(ms: number, timeZone: string, locale?: string): string {
  return dateFormat(locale, timeZone, TIME_FORMAT).format(ms);
}

function isLocalMidnight(ms: number, timeZone: string): boolean {
  const wall = wallClockOf(ms, timeZone);
  return wall.hour === 0 && wall.minute === 0 && wall.second === 0;
}

/** A range in words: "Wed, Nov 25, 2026" for one local day, the first and last day for several, else times. */
export function formatRange(range: TTimeRange, timeZone: string, locale?: string): string {
  if (isLocalMidnight(range.fromMs, timeZone) && isLocalMidnight(range.toMs, timeZone)) {
    // The last day is the one the last millisecond falls on (the end is exclusive).
    const days = dateFormat(locale, timeZone, DAY_YEAR_FORMAT);
    const first = days.format(range.fromMs);
    const last = days.format(range.toMs - 1);
    return first === last ? first : days.formatRange(range.fromMs, range.toMs - 1);
  }
  return dateFormat(locale, timeZone, DATE_TIME_FORMAT).formatRange(range.fromMs, range.toMs);
}

export type TTrendPoint = {
  fromMs: number;
  toMs: number;
  /** Short, for the axis. */
  axisLabel: string;
  /** Complete, for the tooltip and the table. */
  title: string;
  /** Percentages (one decimal) for the chart; null where not applicable, drawn as a gap. */
  oee: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  goodCount: number;
  rejectCount: number;
};

const toPercent = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/** The series as chart points, labelled for the bucket in the site's time zone. */
export function trendPointsOf(
  series: readonly TKpiSeriesPoint[],
  bucket: TKpiBucket,
  timeZone: string,
  locale?: string,
): TTrendPoint[] {
  const day = dateFormat(locale, timeZone, DAY_FORMAT);
  const dayYear = dateFormat(locale, timeZone, DAY_YEAR_FORMAT);
  const time = dateFormat(locale, timeZone, TIME_FORMAT);
  const isOneDay = new Set(series.map((point) => day.format(Date.parse(point.from)))).size <= 1;
  return series.map((point) => {
    const fromMs = Date.parse(point.from);
    const toMs = Date.parse(point.to);
    const span = `${time.format(fromMs)}–${time.format(toMs)}`;
    let axisLabel: string;
    let title: string;
    if (bucket === 'hour') {
      axisLabel = isOneDay ? time.format(fromMs) : `${day.format(fromMs)} ${time.format(fromMs)}`;
      title = `${dayYear.format(fromMs)}, ${span}`;
    } else if (bucket === 'shift') {
      // A shift belongs to the date it starts on, also where the range clips it after midnight.
      const shiftDayMs =
        point.localDate !== null && isLocalDate(point.localDate)
          ? startOfLocalDayMs(point.localDate, timeZone)
          : fromMs;
      axisLabel = `${day.format(shiftDayMs)} ${point.shiftCode ?? ''}`.trim();
      title = `Shift ${point.shiftCode ?? '?'} of ${dayYear.format(shiftDayMs)}, ${span}`;
    } else {
      axisLabel = day.format(fromMs);
      title = dayYear.format(fromMs);
    }
    return {
      fromMs,
      toMs,
      axisLabel,
      title,
      oee: toPercent(point.kpis.oee),
      availability: toPercent(point.kpis.availability),
      performance: toPercent(point.kpis.performance),
      quality: toPercent(point.kpis.quality),
      goodCount: point.components.goodCount,
      rejectCount: point.components.rejectCount,
    };
  });
}
