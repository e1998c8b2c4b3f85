// How the work-order page words its figures (pure): counts, progress against target, run rate, the due date with
// its late / at-risk flag, instants in the plant's local time (the zone of the site the order's line belongs to),
// due dates typed in that zone, and the messages of refused writes.
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { zoneOffsetMs } from '../../../utils/zoned-time.ts';

export const NO_VALUE = '—';

export function formatCount(count: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

/** A signed count for adjustments: "+5", "−5", "0". */
export function formatSignedCount(count: number, locale?: string): string {
  const magnitude = formatCount(Math.abs(count), locale);
  if (count > 0) return `+${magnitude}`;
  return count < 0 ? `−${magnitude}` : magnitude;
}

/** Good parts against target as a percentage with one decimal; over 100 % is shown as it is (overproduction). */
export function formatProgress(progress: number, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(progress);
}

/** The filled share of a progress bar, 0–100 (a bar cannot overflow; the text says 112 %). */
export function progressBarPercent(progress: number): number {
  if (!Number.isFinite(progress) || progress <= 0) return 0;
  return Math.min(100, Math.round(progress * 1000) / 10);
}

/** Parts per hour, whole parts above 10 / h, one decimal below; "—" before the API knows a rate. */
export function formatRunRate(partsPerHour: number | null, locale?: string): string {
  if (partsPerHour === null || !Number.isFinite(partsPerHour)) return NO_VALUE;
  const decimals = partsPerHour < 10 ? 1 : 0;
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${number.format(partsPerHour)} / h`;
}

/** Where an order's counts come from, in the plant's words. */
export function countSourceTextOf(
  order: Pick<TWorkOrder, 'status' | 'production'>,
  outputMachineName: string | null,
): string {
  switch (order.production.countSource) {
    case 'line-output':
      return (
        `Good parts counted at ${outputMachineName ?? 'the line’s last machine'} while the order ran; ` +
        'scrap from every machine of the line.'
      );
    case 'work-order-tag':
      return outputMachineName === null
        ? 'Counted by the machines that report this order.'
        : `Counted by the machines that report this order; good parts at ${outputMachineName}.`;
    case 'none':
      return order.status === 'DRAFT' || order.status === 'RELEASED'
        ? 'Counting starts when the order starts.'
        : 'Nothing counted yet.';
  }
}

// ------------------------------------------------------------------------------------------------ due dates

/**
 * none: no due date (or cancelled); on-time / at-risk / late for an open order (at risk: the projected finish is
 * after the due date); finished / finished-late for a completed one.
 */
export type TDueState = 'none' | 'on-time' | 'at-risk' | 'late' | 'finished' | 'finished-late';

export function dueStateOf(
  order: Pick<TWorkOrder, 'status' | 'dueAt' | 'completedAt' | 'production'>,
  nowMs: number,
): TDueState {
  if (order.dueAt === null || order.status === 'CANCELLED') return 'none';
  const dueMs = Date.parse(order.dueAt);
  if (order.status === 'COMPLETED') {
    const completedMs = order.completedAt === null ? dueMs : Date.parse(order.completedAt);
    return completedMs > dueMs ? 'finished-late' : 'finished';
  }
  if (nowMs > dueMs) return 'late';
  const projected = order.production.projectedFinishAt;
  if (projected !== null && Date.parse(projected) > dueMs) return 'at-risk';
  return 'on-time';
}

/** The flag a due state shows, or null when there is nothing to flag. */
export function dueFlagOf(state: TDueState): { label: string; tone: 'down' | 'warn' } | null {
  if (state === 'late') return { label: 'Late', tone: 'down' };
  if (state === 'at-risk') return { label: 'At risk', tone: 'warn' };
  if (state === 'finished-late') return { label: 'Finished late', tone: 'warn' };
  return null;
}

/** "due in 3 d 4 h" or "5 h overdue", for an open order. */
export function formatDueIn(dueMs: number, nowMs: number): string {
  const deltaSec = (dueMs - nowMs) / 1000;
  return deltaSec >= 0 ? `due in ${formatDuration(deltaSec)}` : `${formatDuration(-deltaSec)} overdue`;
}

// ------------------------------------------------------------------------------------------------ plant time

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

const DATE_TIME = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
} as const;

/** An instant as the plant reads it: "Wed, Nov 25, 14:02" in the site's zone; "—" when there is none. */
export function formatPlantDateTime(iso: string | null, timeZone: string, locale?: string): string {
  if (iso === null) return NO_VALUE;
  return dateFormat(locale, timeZone, DATE_TIME).format(Date.parse(iso));
}

const SHORT_DATE_TIME = {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
} as const;
const YEAR = { year: 'numeric' } as const;

/**
 * The same without the weekday ("Nov 25, 14:02"), for table columns; with the year ("Jan 15, 2030, 07:00") when
 * it is not the plant's current year.
 */
export function formatPlantDateTimeShort(iso: string | null, timeZone: string, nowMs: number, locale?: string): string {
  if (iso === null) return NO_VALUE;
  const ms = Date.parse(iso);
  const year = dateFormat(locale, timeZone, YEAR);
  const isThisYear = year.format(ms) === year.format(nowMs);
  return dateFormat(locale, timeZone, isThisYear ? SHORT_DATE_TIME : { ...SHORT_DATE_TIME, ...YEAR }).format(ms);
}

/** The same with the year and the zone's short name, for the detail panel ("…, 2026, 14:02 GMT+1"). */
export function formatPlantDateTimeLong(iso: string | null, timeZone: string, locale?: string): string {
  if (iso === null) return NO_VALUE;
  return dateFormat(locale, timeZone, { ...DATE_TIME, year: 'numeric', timeZoneName: 'short' }).format(Date.parse(iso));
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a `datetime-local` value ("2026-11-28T14:00") means in `timeZone`, or null when it is not one.
 * The offset is read twice, at the wall time taken as UTC and at the first guess, which is exact except inside a
 * DST gap (a wall time that does not exist), where the later offset wins and the time moves forward.
 */
export function instantOfPlantDateTime(value: string, timeZone: string): number | null {
  const match = LOCAL_DATE_TIME.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallAsUtcMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallAsUtcMs);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  const guessMs = wallAsUtcMs - zoneOffsetMs(wallAsUtcMs, timeZone);
  return wallAsUtcMs - zoneOffsetMs(guessMs, timeZone);
}

/** An instant as a `datetime-local` value ("2026-11-28T14:00") in `timeZone`, to prefill an input. */
export function plantDateTimeInputValue(iso: string | null, timeZone: string): string {
  if (iso === null) return '';
  const ms = Date.parse(iso);
  const wall = new Date(ms + zoneOffsetMs(ms, timeZone));
  return wall.toISOString().slice(0, 16);
}

// ------------------------------------------------------------------------------------------------ errors

/**
 * The message of a refused write, next to the button that made it. The API's problem detail says what was wrong
 * (a busy line names the order holding it); a stale version and a vanished order get words that say the page
 * has been reloaded, because the mutation refetched it.
 */
export function actionErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 412) {
      return 'Someone changed this order in the meantime. It has been reloaded: check it and try again.';
    }
    if (error.status === 404) return 'This order no longer exists: someone deleted it.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
