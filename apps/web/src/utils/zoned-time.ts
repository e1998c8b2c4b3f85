// Calendar arithmetic in a site's IANA time zone with the browser's own time-zone database (Intl), so that
// "today" on a Chicago plant means Chicago's day for a manager reading it from Stuttgart. Local dates are
// `YYYY-MM-DD` strings; instants are epoch milliseconds. Days are 23 or 25 hours long on DST changes.

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

type TWallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock reading in `timeZone` at instant `ms`. */
export function wallClockOf(ms: number, timeZone: string): TWallClock {
  const wall: TWallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partsFormatter(timeZone).formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof TWallClock] = Number(part.value);
  }
  return wall;
}

/** How far `timeZone` is ahead of UTC at instant `ms` (+1 h in Berlin in winter). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const wall = wallClockOf(ms, timeZone);
  const wallAsUtcMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtcMs - Math.floor(ms / 1000) * 1000;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** The local date (`YYYY-MM-DD`) in `timeZone` at instant `ms`. */
export function localDateOf(ms: number, timeZone: string): string {
  const wall = wallClockOf(ms, timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function utcMidnightOf(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (match === null || !isLocalDate(localDate)) throw new RangeError(`Not a local date: ${localDate}`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  return Date.UTC(year, month - 1, day);
}

/** `localDate` moved by `days` calendar days (negative for earlier). */
export function addLocalDays(localDate: string, days: number): string {
  return new Date(utcMidnightOf(localDate) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(localDate: string): number {
  return ((new Date(utcMidnightOf(localDate)).getUTCDay() + 6) % 7) + 1;
}

const FOURTEEN_HOURS_MS = 14 * 3_600_000;

/**
 * The first instant of `localDate` in `timeZone`: local midnight, or the end of the gap where a zone skips
 * midnight for DST. Every offset in force within ±14 h of the wall time is tried (no zone is further from UTC),
 * and the earliest instant that falls on the date wins.
 */
export function startOfLocalDayMs(localDate: string, timeZone: string): number {
  const wallMs = utcMidnightOf(localDate);
  const candidates = [wallMs - FOURTEEN_HOURS_MS, wallMs, wallMs + FOURTEEN_HOURS_MS]
    .map((probeMs) => wallMs - zoneOffsetMs(probeMs, timeZone))
    .filter((candidateMs) => localDateOf(candidateMs, timeZone) === localDate);
  if (candidates.length === 0) throw new RangeError(`${localDate} has no start in ${timeZone}`);
  return Math.min(...candidates);
}
