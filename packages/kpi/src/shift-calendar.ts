// Shift calendars laid out in the plant's IANA time zone (luxon): recurring shift definitions → concrete shift
// windows with their breaks, plus local calendar days, both as epoch milliseconds.
//
// Wall-clock rules (docs/kpi.md "The time model"): a shift starts `startMinute` after local midnight of each ISO weekday in
// `weekdays` (1 = Monday … 7 = Sunday; the weekday of the day it *starts*) and ends at the wall-clock time
// `startMinute + durationMin` later, possibly on a following day. On a DST change the wall-clock start and end
// are kept, so a 22:00–06:00 shift lasts 7 h on the spring-forward night and 9 h on the fall-back night. Breaks
// are wall-clock too (`offsetMin` after the shift's wall-clock start), because people take them by the clock.
// A wall-clock time skipped by spring-forward moves forward by the gap; a repeated one (fall-back) resolves to
// its later instant (luxon's rules). Breaks are clipped to their shift.
import { DateTime } from 'luxon';
import { intersect, type TTimeWindow } from './time-window.ts';

const MINUTES_PER_DAY = 1440;

export type TShiftBreakDefinition = { offsetMin: number; durationMin: number; name: string };

export type TShiftDefinition = {
  code: string;
  startMinute: number;
  durationMin: number;
  weekdays: readonly number[];
  breaks: readonly TShiftBreakDefinition[];
};

export type TShiftBreakWindow = TTimeWindow & { name: string };

/** One concrete shift; `shiftDate` is the local date (ISO `yyyy-mm-dd`) on which it starts. */
export type TShiftWindow = TTimeWindow & { shiftCode: string; shiftDate: string; breaks: TShiftBreakWindow[] };

export type TLocalDayWindow = TTimeWindow & { localDate: string };

export type TExpandShiftCalendarOptions = {
  shifts: readonly TShiftDefinition[];
  timeZone: string;
  fromMs: number;
  toMs: number;
};

/** Concrete shift windows (unclipped, sorted by start) of every shift that overlaps `[fromMs, toMs)`. */
export function expandShiftCalendar(options: TExpandShiftCalendarOptions): TShiftWindow[] {
  const { shifts, timeZone, fromMs, toMs } = options;
  assertTimeZone(timeZone);
  shifts.forEach(assertShiftDefinition);
  if (toMs <= fromMs || shifts.length === 0) return [];

  // A shift that started a few local days before `fromMs` can still reach into the range.
  const lookBackDays = Math.max(...shifts.map((s) => Math.ceil((s.startMinute + s.durationMin) / MINUTES_PER_DAY)));
  const lastDay = DateTime.fromMillis(toMs, { zone: timeZone }).startOf('day');
  let day = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf('day').minus({ days: lookBackDays });

  const windows: TShiftWindow[] = [];
  while (day <= lastDay) {
    for (const shift of shifts) {
      if (!shift.weekdays.includes(day.weekday)) continue;
      const startMs = wallClockMs(day, shift.startMinute);
      const endMs = wallClockMs(day, shift.startMinute + shift.durationMin);
      if (endMs <= startMs || startMs >= toMs || endMs <= fromMs) continue;
      const shiftWindow = { startMs, endMs };
      const breaks: TShiftBreakWindow[] = [];
      for (const b of shift.breaks) {
        const breakWindow = intersect(
          {
            startMs: wallClockMs(day, shift.startMinute + b.offsetMin),
            endMs: wallClockMs(day, shift.startMinute + b.offsetMin + b.durationMin),
          },
          shiftWindow,
        );
        if (breakWindow !== null) breaks.push({ ...breakWindow, name: b.name });
      }
      breaks.sort((a, b) => a.startMs - b.startMs);
      windows.push({ shiftCode: shift.code, shiftDate: isoDate(day), startMs, endMs, breaks });
    }
    day = day.plus({ days: 1 });
  }
  return windows.sort((a, b) => a.startMs - b.startMs || a.shiftCode.localeCompare(b.shiftCode));
}

export type TExpandLocalDaysOptions = { timeZone: string; fromMs: number; toMs: number };

/** Local calendar days (unclipped) overlapping `[fromMs, toMs)`; a DST day lasts 23 h or 25 h. */
export function expandLocalDays(options: TExpandLocalDaysOptions): TLocalDayWindow[] {
  const { timeZone, fromMs, toMs } = options;
  assertTimeZone(timeZone);
  const days: TLocalDayWindow[] = [];
  let day = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf('day');
  while (day.toMillis() < toMs) {
    const next = day.plus({ days: 1 });
    days.push({ localDate: isoDate(day), startMs: day.toMillis(), endMs: next.toMillis() });
    day = next;
  }
  return days;
}

// Wall-clock instant `minutes` after local midnight of `day`: whole days use calendar arithmetic (a day is not
// always 24 h), and the time of day is then set on the wall clock.
function wallClockMs(day: DateTime, minutes: number): number {
  const date = day.plus({ days: Math.floor(minutes / MINUTES_PER_DAY) });
  const minuteOfDay = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { zone: day.zone },
  ).toMillis();
}

function isoDate(day: DateTime): string {
  return day.toFormat('yyyy-MM-dd');
}

function assertTimeZone(timeZone: string): void {
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`Unknown IANA time zone "${timeZone}"`);
}

// Shift definitions come from validated contracts; a bad one here is a programming error, so fail loudly
// rather than produce a silently wrong planned time.
function assertShiftDefinition(shift: TShiftDefinition): void {
  const isWholeMinute = (n: number) => Number.isInteger(n) && n >= 0;
  if (!isWholeMinute(shift.startMinute) || shift.startMinute >= MINUTES_PER_DAY) {
    throw new RangeError(`Shift ${shift.code}: startMinute must be an integer in [0, 1440)`);
  }
  if (!isWholeMinute(shift.durationMin) || shift.durationMin === 0) {
    throw new RangeError(`Shift ${shift.code}: durationMin must be a positive integer`);
  }
  if (shift.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new RangeError(`Shift ${shift.code}: weekdays must be ISO weekdays 1..7`);
  }
  for (const b of shift.breaks) {
    if (!isWholeMinute(b.offsetMin) || !isWholeMinute(b.durationMin) || b.durationMin === 0) {
      throw new RangeError(`Shift ${shift.code}: break "${b.name}" needs integer offsetMin ≥ 0 and durationMin > 0`);
    }
  }
}
