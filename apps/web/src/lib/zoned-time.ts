// Calendar arithmetic in a plant's IANA time zone (luxon), so that "today" on a Chicago plant means Chicago's day
// for a manager reading it from Stuttgart. Local dates are `YYYY-MM-DD` strings, local date-times the value of a
// `datetime-local` input (`YYYY-MM-DDTHH:mm[:ss]`); instants are epoch milliseconds. Days are 23 or 25 hours long
// on DST changes; a wall time that a DST change skips moves forward to the first instant that exists.
import { DateTime } from 'luxon';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

function zoned(ms: number, timeZone: string): DateTime {
  return DateTime.fromMillis(ms, { zone: timeZone });
}

function localDate(value: string): DateTime {
  const date = LOCAL_DATE.test(value) ? DateTime.fromISO(value, { zone: 'UTC' }) : null;
  if (date === null || !date.isValid) throw new RangeError(`Not a local date: ${value}`);
  return date;
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(value: string): boolean {
  return LOCAL_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** The local date (`YYYY-MM-DD`) in `timeZone` at instant `ms`. */
export function localDateOf(ms: number, timeZone: string): string {
  return zoned(ms, timeZone).toFormat('yyyy-MM-dd');
}

/** `localDate` moved by `days` calendar days (negative for earlier). */
export function addLocalDays(value: string, days: number): string {
  return localDate(value).plus({ days }).toFormat('yyyy-MM-dd');
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(value: string): number {
  return localDate(value).weekday;
}

/** The first instant of `localDate` in `timeZone`: local midnight, or the end of the gap where DST skips midnight. */
export function startOfLocalDayMs(value: string, timeZone: string): number {
  localDate(value);
  const start = DateTime.fromISO(value, { zone: timeZone });
  if (!start.isValid) throw new RangeError(`${value} has no start in ${timeZone}`);
  return start.toMillis();
}

/** Whether instant `ms` is the first instant of a local day in `timeZone`. */
export function isStartOfLocalDay(ms: number, timeZone: string): boolean {
  return startOfLocalDayMs(localDateOf(ms, timeZone), timeZone) === ms;
}

/** The instant a `datetime-local` value ("2026-11-28T14:00") means in `timeZone`, or null when it is not one. */
export function instantOfLocalDateTime(value: string, timeZone: string): number | null {
  if (!LOCAL_DATE_TIME.test(value)) return null;
  const dateTime = DateTime.fromISO(value, { zone: timeZone });
  return dateTime.isValid ? dateTime.toMillis() : null;
}

/** An instant as a `datetime-local` value in `timeZone`, to prefill an input; with seconds when asked. */
export function localDateTimeInputValue(ms: number, timeZone: string, withSeconds = false): string {
  return zoned(ms, timeZone).toFormat(withSeconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm");
}

/** The browser's own zone: the fallback where no plant zone is known. */
export const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
