// Expands a shift pattern into concrete shift instances (UTC milliseconds) in a site's IANA time zone.
//
// Semantics, chosen to match how plants talk about shifts:
// - a shift starts at the wall-clock time `startMinute` after local midnight on each listed ISO weekday
//   (1 = Monday … 7 = Sunday) and ends at the wall-clock time `startMinute + durationMin`, possibly on the
//   next day. So the 22:00–06:00 night shift ends at 06:00 even across a DST change (7 h or 9 h long),
//   because the next crew starts at 06:00 on the clock on the wall;
// - a break starts `offsetMin` elapsed minutes after the shift's actual start (what the schema says) and is
//   clipped to the shift.
import { DateTime } from 'luxon';

const MINUTES_PER_DAY = 1440;

export type ShiftBreakDefinition = { name: string; offsetMin: number; durationMin: number };

export type ShiftDefinition = {
  code: string;
  startMinute: number;
  durationMin: number;
  /** ISO weekdays on which the shift starts, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  breaks: readonly ShiftBreakDefinition[];
};

export type ShiftBreakInstance = { name: string; startMs: number; endMs: number };

export type ShiftInstance = {
  shiftCode: string;
  startMs: number;
  endMs: number;
  breaks: ShiftBreakInstance[];
};

export type ExpandShiftCalendarOptions = {
  shifts: readonly ShiftDefinition[];
  timeZone: string;
  fromMs: number;
  toMs: number;
};

/** The UTC instant of a wall-clock minute counted from the local midnight of `day` (may exceed one day). */
function wallClockMs(day: DateTime, minuteOfDay: number): number {
  const date = day.plus({ days: Math.floor(minuteOfDay / MINUTES_PER_DAY) });
  const minute = minuteOfDay % MINUTES_PER_DAY;
  // fromObject resolves a time inside a spring-forward gap by moving it forward, e.g. 02:30 → 03:30.
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone: day.zone },
  ).toMillis();
}

/** Shift instances overlapping [fromMs, toMs), ordered by start, with their breaks as UTC instants. */
export function expandShiftCalendar(options: ExpandShiftCalendarOptions): ShiftInstance[] {
  const { shifts, timeZone, fromMs, toMs } = options;
  const first = DateTime.fromMillis(fromMs, { zone: timeZone });
  if (!first.isValid) throw new Error(`Unknown time zone "${timeZone}"`);
  // A shift may start on the previous local day and run past midnight into the window.
  let day = first.startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(toMs, { zone: timeZone }).startOf('day');
  const instances: ShiftInstance[] = [];
  while (day <= lastDay) {
    for (const shift of shifts) {
      if (!shift.weekdays.includes(day.weekday)) continue;
      const startMs = wallClockMs(day, shift.startMinute);
      const endMs = wallClockMs(day, shift.startMinute + shift.durationMin);
      if (endMs <= fromMs || startMs >= toMs || endMs <= startMs) continue;
      const breaks = shift.breaks
        .map((b) => {
          const breakStartMs = startMs + b.offsetMin * 60_000;
          return { name: b.name, startMs: breakStartMs, endMs: Math.min(breakStartMs + b.durationMin * 60_000, endMs) };
        })
        .filter((b) => b.startMs < b.endMs)
        .sort((a, b) => a.startMs - b.startMs);
      instances.push({ shiftCode: shift.code, startMs, endMs, breaks });
    }
    day = day.plus({ days: 1 });
  }
  return instances.sort((a, b) => a.startMs - b.startMs);
}
