// Time ranges of the OEE page (pure): presets laid out in the site's time zone, custom ranges, and the series
// bucket that suits a range. A range ends at a local midnight even when it includes today: the API stops the
// figures at the present, so "today" keeps one stable query key all day while its figures grow.
import {
  KPI_MAX_EXPLAIN_RANGE_DAYS,
  KPI_MAX_HOURLY_RANGE_DAYS,
  KPI_MAX_RANGE_DAYS,
  type TKpiBucket,
} from '@takt/contracts';
import type { TTimeRange } from '../../../lib/format.ts';
import { addLocalDays, isLocalDate, isoWeekdayOf, localDateOf, startOfLocalDayMs } from '../../../lib/zoned-time.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The presets on offer; each is named in the catalogue as `oee.range.<id>`. */
export const RANGE_PRESETS = ['today', 'yesterday', 'this-week', 'last-week', 'last-7-days', 'last-30-days'] as const;
export type TRangePresetId = (typeof RANGE_PRESETS)[number];

export const DEFAULT_RANGE_PRESET: TRangePresetId = 'today';

export function isRangePresetId(value: string): value is TRangePresetId {
  return (RANGE_PRESETS as readonly string[]).includes(value);
}

/** A range as the user chose it: a preset (relative to now) or fixed instants (a zoom into a bucket). */
export type TRangeChoice =
  { kind: 'preset'; presetId: TRangePresetId } | { kind: 'custom'; fromMs: number; toMs: number };

export type { TTimeRange };

/** Local dates `[firstDate, endDate)` of a preset, on the calendar of the site. */
function presetDates(presetId: TRangePresetId, today: string): { firstDate: string; endDate: string } {
  const monday = addLocalDays(today, 1 - isoWeekdayOf(today));
  switch (presetId) {
    case 'today':
      return { firstDate: today, endDate: addLocalDays(today, 1) };
    case 'yesterday':
      return { firstDate: addLocalDays(today, -1), endDate: today };
    case 'this-week':
      return { firstDate: monday, endDate: addLocalDays(monday, 7) };
    case 'last-week':
      return { firstDate: addLocalDays(monday, -7), endDate: monday };
    case 'last-7-days':
      return { firstDate: addLocalDays(today, -6), endDate: addLocalDays(today, 1) };
    case 'last-30-days':
      return { firstDate: addLocalDays(today, -29), endDate: addLocalDays(today, 1) };
  }
}

/** The instants of a range choice at `nowMs`, whole local days of `timeZone` for presets. */
export function resolveRange(choice: TRangeChoice, nowMs: number, timeZone: string): TTimeRange {
  if (choice.kind === 'custom') return { fromMs: choice.fromMs, toMs: choice.toMs };
  const { firstDate, endDate } = presetDates(choice.presetId, localDateOf(nowMs, timeZone));
  return { fromMs: startOfLocalDayMs(firstDate, timeZone), toMs: startOfLocalDayMs(endDate, timeZone) };
}

/** Whether a custom range is one the KPI API accepts. */
export function isValidCustomRange(range: TTimeRange): boolean {
  return (
    Number.isFinite(range.fromMs) &&
    Number.isFinite(range.toMs) &&
    range.toMs > range.fromMs &&
    range.toMs - range.fromMs <= KPI_MAX_RANGE_DAYS * DAY_MS
  );
}

/** The buckets a range may be split into (hourly series are limited in length). */
export function bucketsFor(range: TTimeRange): TKpiBucket[] {
  const isHourAllowed = range.toMs - range.fromMs <= KPI_MAX_HOURLY_RANGE_DAYS * DAY_MS;
  return isHourAllowed ? ['hour', 'shift', 'day'] : ['shift', 'day'];
}

/** Hours for at most one local day (25 h on the day DST ends), days for anything longer. */
export function defaultBucketFor(range: TTimeRange): TKpiBucket {
  return range.toMs - range.fromMs <= 25 * HOUR_MS ? 'hour' : 'day';
}

/** The bucket chosen if the range allows it, else the range's default. */
export function effectiveBucket(chosen: TKpiBucket | null, range: TTimeRange): TKpiBucket {
  return chosen !== null && bucketsFor(range).includes(chosen) ? chosen : defaultBucketFor(range);
}

/** The explain endpoint lists every interval, so it answers for at most a week. */
export function isExplainable(range: TTimeRange): boolean {
  return range.toMs - range.fromMs <= KPI_MAX_EXPLAIN_RANGE_DAYS * DAY_MS;
}

/** Whether the range still grows (its figures stop at the present). */
export function isLiveRange(range: TTimeRange, nowMs: number): boolean {
  return range.toMs > nowMs && range.fromMs < nowMs;
}

/** Whole local days `firstDate` … `lastDate` (inclusive) of `timeZone`; null unless a valid range of dates. */
export function rangeOfLocalDates(firstDate: string, lastDate: string, timeZone: string): TTimeRange | null {
  if (!isLocalDate(firstDate) || !isLocalDate(lastDate) || lastDate < firstDate) return null;
  const range = {
    fromMs: startOfLocalDayMs(firstDate, timeZone),
    toMs: startOfLocalDayMs(addLocalDays(lastDate, 1), timeZone),
  };
  return isValidCustomRange(range) ? range : null;
}
