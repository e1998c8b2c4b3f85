import { describe, expect, it } from 'vitest';
import { expandShiftCalendar, type ShiftDefinition } from './shift-calendar.ts';

const BERLIN = 'Europe/Berlin';
const ms = (iso: string): number => new Date(iso).getTime();
const HOUR_MS = 3_600_000;

const MON_FRI = [1, 2, 3, 4, 5];
const threeByEight: ShiftDefinition[] = [
  { code: 'early', startMinute: 360, durationMin: 480, weekdays: MON_FRI, breaks: [] },
  { code: 'late', startMinute: 840, durationMin: 480, weekdays: MON_FRI, breaks: [] },
  { code: 'night', startMinute: 1320, durationMin: 480, weekdays: MON_FRI, breaks: [] },
];
/** A Saturday night shift, so that it runs through the night of a DST change. */
const saturdayNight: ShiftDefinition = {
  code: 'night',
  startMinute: 22 * 60,
  durationMin: 480,
  weekdays: [6],
  breaks: [
    { name: 'Meal break', offsetMin: 240, durationMin: 30 },
    { name: 'Too late', offsetMin: 450, durationMin: 30 },
  ],
};

describe('expandShiftCalendar', () => {
  it('lays a 3x8 week out back to back in local time, the night shift crossing midnight', () => {
    // Monday 2026-03-23 to Saturday noon, all CET (UTC+1).
    const shifts = expandShiftCalendar({
      shifts: threeByEight,
      timeZone: BERLIN,
      fromMs: ms('2026-03-22T23:00:00Z'),
      toMs: ms('2026-03-28T11:00:00Z'),
    });
    expect(shifts).toHaveLength(15);
    expect(shifts[0]).toMatchObject({ shiftCode: 'early', startMs: ms('2026-03-23T05:00:00Z'), endMs: ms('2026-03-23T13:00:00Z') });
    expect(shifts.at(-1)).toMatchObject({ shiftCode: 'night', startMs: ms('2026-03-27T21:00:00Z'), endMs: ms('2026-03-28T05:00:00Z') });
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]?.startMs).toBe(shifts[i - 1]?.endMs);
  });

  it('includes the night shift that started the day before the window', () => {
    const shifts = expandShiftCalendar({
      shifts: threeByEight,
      timeZone: BERLIN,
      fromMs: ms('2026-03-23T23:00:00Z'), // Tuesday 00:00 local
      toMs: ms('2026-03-24T01:00:00Z'),
    });
    expect(shifts).toEqual([
      { shiftCode: 'night', startMs: ms('2026-03-23T21:00:00Z'), endMs: ms('2026-03-24T05:00:00Z'), breaks: [] },
    ]);
  });

  it('ends the night shift at 06:00 on the clock when DST starts: 7 hours long', () => {
    const [shift] = expandShiftCalendar({
      shifts: [saturdayNight],
      timeZone: BERLIN,
      fromMs: ms('2026-03-28T12:00:00Z'),
      toMs: ms('2026-03-29T12:00:00Z'),
    });
    expect(shift?.startMs).toBe(ms('2026-03-28T21:00:00Z')); // 22:00 CET
    expect(shift?.endMs).toBe(ms('2026-03-29T04:00:00Z')); // 06:00 CEST
    expect((shift?.endMs ?? 0) - (shift?.startMs ?? 0)).toBe(7 * HOUR_MS);
    // The break is 4 elapsed hours into the shift (03:00 CEST); the one 7.5 h in falls after the end.
    expect(shift?.breaks).toEqual([
      { name: 'Meal break', startMs: ms('2026-03-29T01:00:00Z'), endMs: ms('2026-03-29T01:30:00Z') },
    ]);
  });

  it('ends the night shift at 06:00 on the clock when DST ends: 9 hours long', () => {
    const [shift] = expandShiftCalendar({
      shifts: [saturdayNight],
      timeZone: BERLIN,
      fromMs: ms('2026-10-24T12:00:00Z'),
      toMs: ms('2026-10-25T12:00:00Z'),
    });
    expect(shift?.startMs).toBe(ms('2026-10-24T20:00:00Z')); // 22:00 CEST
    expect(shift?.endMs).toBe(ms('2026-10-25T05:00:00Z')); // 06:00 CET
    expect(shift?.breaks.map((b) => b.name)).toEqual(['Meal break', 'Too late']);
    expect(shift?.breaks[1]).toMatchObject({ startMs: ms('2026-10-25T03:30:00Z'), endMs: ms('2026-10-25T04:00:00Z') });
  });

  it('clips a break at the end of its shift', () => {
    const [shift] = expandShiftCalendar({
      shifts: [{ code: 'x', startMinute: 600, durationMin: 60, weekdays: [1, 2, 3, 4, 5, 6, 7], breaks: [{ name: 'b', offsetMin: 50, durationMin: 30 }] }],
      timeZone: 'UTC',
      fromMs: ms('2026-05-04T00:00:00Z'),
      toMs: ms('2026-05-04T23:00:00Z'),
    });
    expect(shift?.breaks).toEqual([{ name: 'b', startMs: ms('2026-05-04T10:50:00Z'), endMs: ms('2026-05-04T11:00:00Z') }]);
  });

  it('rejects an unknown time zone', () => {
    expect(() => expandShiftCalendar({ shifts: threeByEight, timeZone: 'Mars/Olympus', fromMs: 0, toMs: 1 })).toThrow(
      /Unknown time zone/,
    );
  });
});
