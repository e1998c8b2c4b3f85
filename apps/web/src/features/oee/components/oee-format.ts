// How the OEE page words and shapes its figures (pure): the four KPI tiles with what each is made of, the loss
// waterfall's bars, the breakdown worst first, and the series as chart points labelled on the site's clock.
// Numbers, shares and instants are written by lib/format.ts in the user's locale.
import type { TKpiBucket, TKpiFigures, TKpiOeeResponse, TKpiSeriesPoint } from '@takt/contracts';
import type { TI18n } from '../../../lib/i18n/i18n.tsx';
import { isLocalDate, startOfLocalDayMs } from '../../../lib/zoned-time.ts';

type TWords = Pick<TI18n, 't' | 'format'>;

// ------------------------------------------------------------------------------------------------ KPI tiles

export type TKpiTileId = 'oee' | 'availability' | 'performance' | 'quality';

export type TKpiTile = {
  id: TKpiTileId;
  ratio: number | null;
  /** The percentage, or "n/a". */
  text: string;
  /** What the ratio is made of, in the plant's words. */
  detail: string;
  /** Something that makes the figure doubtful (above 100 %, parts without ideal cycle time). */
  warning: string | null;
};

/** OEE, availability, performance and quality of a set of figures, each with its make-up and caveats. */
export function kpiTilesOf({ components: c, kpis }: TKpiFigures, { t, format }: TWords): TKpiTile[] {
  const totalCount = c.goodCount + c.rejectCount;
  const missingCount = c.missingIdealCycleTime.reduce((sum, missing) => sum + missing.totalCount, 0);
  const missingWarning = missingCount > 0 ? t('oee.tile.missingIdeal', { count: missingCount }) : null;
  const noPlannedTime = t('oee.tile.noPlannedTime');
  const time = format.timeAmount;
  let performanceWarning: string | null = missingWarning;
  if (kpis.isPerformanceAboveIdeal) {
    performanceWarning = kpis.performance === null ? t('oee.tile.countedWithoutRunTime') : t('oee.tile.aboveIdeal');
  }
  const tile = (id: TKpiTileId, ratio: number | null, detail: string, warning: string | null) => ({
    id,
    ratio,
    text: format.percent(ratio),
    detail,
    warning,
  });
  const planned = time(c.plannedBusyTimeSec);
  return [
    tile(
      'oee',
      kpis.oee,
      c.plannedBusyTimeSec > 0
        ? t('oee.tile.oeeDetail', { productive: time(c.goodIdealTimeSec), planned })
        : noPlannedTime,
      missingWarning,
    ),
    tile(
      'availability',
      kpis.availability,
      c.plannedBusyTimeSec > 0 ? t('oee.tile.availabilityDetail', { run: time(c.runTimeSec), planned }) : noPlannedTime,
      null,
    ),
    tile(
      'performance',
      kpis.performance,
      c.runTimeSec > 0
        ? t('oee.tile.performanceDetail', { netRun: time(c.idealProductionTimeSec), run: time(c.runTimeSec) })
        : t('oee.tile.noRunTime'),
      performanceWarning,
    ),
    tile(
      'quality',
      kpis.quality,
      totalCount > 0
        ? t('oee.tile.qualityDetail', { good: format.count(c.goodCount), total: format.count(totalCount) })
        : t('oee.tile.noParts'),
      null,
    ),
  ];
}

// ------------------------------------------------------------------------------------------------ waterfall

/** The stages and losses of the ISO 22400 time model, left to right. */
export type TWaterfallKey =
  'planned' | 'availability-loss' | 'run' | 'performance-loss' | 'net-run' | 'quality-loss' | 'fully-productive';

export type TWaterfallBar = {
  key: TWaterfallKey;
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
  const time = (key: TWaterfallKey, sec: number): TWaterfallBar => ({
    key,
    fromSec: 0,
    toSec: sec,
    kind: 'time',
    durationSec: sec,
    shareOfPlannedTime: share(sec),
  });
  const loss = (key: TWaterfallKey, aboveSec: number, belowSec: number): TWaterfallBar => ({
    key,
    fromSec: Math.min(aboveSec, belowSec),
    toSec: Math.max(aboveSec, belowSec),
    kind: belowSec > aboveSec ? 'gain' : 'loss',
    durationSec: aboveSec - belowSec,
    shareOfPlannedTime: share(aboveSec - belowSec),
  });
  return [
    time('planned', planned),
    loss('availability-loss', planned, s.runTime),
    time('run', s.runTime),
    loss('performance-loss', s.runTime, s.netRunTime),
    time('net-run', s.netRunTime),
    loss('quality-loss', s.netRunTime, s.fullyProductiveTime),
    time('fully-productive', s.fullyProductiveTime),
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

// ------------------------------------------------------------------------------------------------ series

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
  { t, format }: TWords,
): TTrendPoint[] {
  const day = (ms: number) => format.day(ms, timeZone);
  const dayYear = (ms: number) => format.dayWithYear(ms, timeZone);
  const time = (ms: number) => format.time(ms, timeZone);
  const isOneDay = new Set(series.map((point) => day(Date.parse(point.from)))).size <= 1;
  return series.map((point) => {
    const fromMs = Date.parse(point.from);
    const toMs = Date.parse(point.to);
    const span = `${time(fromMs)}–${time(toMs)}`;
    let axisLabel: string;
    let title: string;
    if (bucket === 'hour') {
      axisLabel = isOneDay ? time(fromMs) : `${day(fromMs)} ${time(fromMs)}`;
      title = `${dayYear(fromMs)}, ${span}`;
    } else if (bucket === 'shift') {
      // A shift belongs to the date it starts on, also where the range clips it after midnight.
      const shiftDayMs =
        point.localDate !== null && isLocalDate(point.localDate)
          ? startOfLocalDayMs(point.localDate, timeZone)
          : fromMs;
      axisLabel = `${day(shiftDayMs)} ${point.shiftCode ?? ''}`.trim();
      title = t('oee.shiftTitle', { shift: point.shiftCode ?? '?', day: dayYear(shiftDayMs), span });
    } else {
      axisLabel = day(fromMs);
      title = dayYear(fromMs);
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
