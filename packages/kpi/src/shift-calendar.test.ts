// Shift calendar expansion in IANA zones: midnight-crossing shifts, DST spring-forward and fall-back nights in
// Europe/Berlin (2024-03-31, 2024-10-27) and America/Chicago (2024-03-10, 2024-11-03), breaks, weekdays.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expandLocalDays, expandShiftCalendar, type TShiftDefinition } from './shift-calendar.ts';

const HOUR_MS = 3_600_000;
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const utc = (ms: number) => new Date(ms).toISOString();

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const night: TShiftDefinition = {
  code: 'N',
  startMinute: 22 * 60,
  durationMin: 8 * 60,
  weekdays: EVERY_DAY,
  // 02:00 wall clock: the hour that spring-forward skips in Berlin and Chicago.
  breaks: [{ offsetMin: 4 * 60, durationMin: 30, name: 'night break' }],
};
const early: TShiftDefinition = {
  code: 'E',
  startMinute: 6 * 60,
  durationMin: 8 * 60,
  weekdays: [1, 2, 3, 4, 5],
  breaks: [
    { offsetMin: 120, durationMin: 15, name: 'short break' },
    { offsetMin: 240, durationMin: 30, name: 'meal' },
  ],
};

describe('expandShiftCalendar', () => {
  it('lays out a shift that crosses midnight, with its weekday being the day it starts', () => {
    const zone = 'Europe/Berlin';
    // Wednesday 2024-06-05 in Berlin (CEST, +02:00).
    const windows = expandShiftCalendar({
      shifts: [{ ...night, weekdays: [3] }],
      timeZone: zone,
      fromMs: at('2024-06-03T00:00', zone),
      toMs: at('2024-06-10T00:00', zone),
    });
    expect(windows).toHaveLength(1);
    const [w] = windows;
    expect(w?.shiftDate).toBe('2024-06-05');
    expect(utc(w!.startMs)).toBe('2024-06-05T20:00:00.000Z');
    expect(utc(w!.endMs)).toBe('2024-06-06T04:00:00.000Z');
    expect(w?.breaks).toEqual([
      { startMs: at('2024-06-06T02:00', zone), endMs: at('2024-06-06T02:30', zone), name: 'night break' },
    ]);
  });

  it('returns shifts that overlap the range unclipped, including one that started the day before', () => {
    const zone = 'Europe/Berlin';
    const windows = expandShiftCalendar({
      shifts: [night],
      timeZone: zone,
      fromMs: at('2024-06-06T03:00', zone),
      toMs: at('2024-06-06T05:00', zone),
    });
    expect(windows.map((w) => [w.shiftDate, utc(w.startMs), utc(w.endMs)])).toEqual([
      ['2024-06-05', '2024-06-05T20:00:00.000Z', '2024-06-06T04:00:00.000Z'],
    ]);
  });

  it('excludes a shift that starts exactly at the range end (half-open)', () => {
    const zone = 'Europe/Berlin';
    const windows = expandShiftCalendar({
      shifts: [early],
      timeZone: zone,
      fromMs: at('2024-06-03T00:00', zone),
      toMs: at('2024-06-03T06:00', zone),
    });
    expect(windows).toEqual([]);
  });

  it('keeps weekdays: the early shift runs Monday to Friday only', () => {
    const zone = 'Europe/Berlin';
    const windows = expandShiftCalendar({
      shifts: [early],
      timeZone: zone,
      fromMs: at('2024-06-03T00:00', zone), // Monday
      toMs: at('2024-06-10T00:00', zone),
    });
    expect(windows.map((w) => w.shiftDate)).toEqual([
      '2024-06-03',
      '2024-06-04',
      '2024-06-05',
      '2024-06-06',
      '2024-06-07',
    ]);
    expect(windows[0]?.breaks.map((b) => [utc(b.startMs), utc(b.endMs), b.name])).toEqual([
      ['2024-06-03T06:00:00.000Z', '2024-06-03T06:15:00.000Z', 'short break'],
      ['2024-06-03T08:00:00.000Z', '2024-06-03T08:30:00.000Z', 'meal'],
    ]);
  });

  describe.each([
    { zone: 'Europe/Berlin', springEve: '2024-03-30', fallEve: '2024-10-26' },
    { zone: 'America/Chicago', springEve: '2024-03-09', fallEve: '2024-11-02' },
  ])('DST in $zone', ({ zone, springEve, fallEve }) => {
    const nightOf = (eve: string) => {
      const windows = expandShiftCalendar({
        shifts: [night],
        timeZone: zone,
        fromMs: at(`${eve}T12:00`, zone),
        toMs: at(`${eve}T23:00`, zone),
      });
      expect(windows).toHaveLength(1);
      return windows[0]!;
    };

    it('keeps the wall clock on the spring-forward night: 22:00–06:00 lasts 7 h', () => {
      const w = nightOf(springEve);
      expect(w.endMs - w.startMs).toBe(7 * HOUR_MS);
      expect(DateTime.fromMillis(w.startMs, { zone }).toFormat('HH:mm')).toBe('22:00');
      expect(DateTime.fromMillis(w.endMs, { zone }).toFormat('HH:mm')).toBe('06:00');
      // The 02:00 break falls into the skipped hour: luxon moves it forward to 03:00, still 30 min long.
      const [b] = w.breaks;
      expect(DateTime.fromMillis(b!.startMs, { zone }).toFormat('HH:mm')).toBe('03:00');
      expect(b!.endMs - b!.startMs).toBe(30 * 60_000);
    });

    it('keeps the wall clock on the fall-back night: 22:00–06:00 lasts 9 h', () => {
      const w = nightOf(fallEve);
      expect(w.endMs - w.startMs).toBe(9 * HOUR_MS);
      expect(DateTime.fromMillis(w.endMs, { zone }).toFormat('HH:mm')).toBe('06:00');
    });

    it('leaves a day shift on the DST day at 8 h', () => {
      const sunday = DateTime.fromISO(springEve, { zone }).plus({ days: 1 });
      const windows = expandShiftCalendar({
        shifts: [{ ...early, weekdays: [7] }],
        timeZone: zone,
        fromMs: sunday.toMillis(),
        toMs: sunday.plus({ days: 1 }).toMillis(),
      });
      expect(windows.map((w) => w.endMs - w.startMs)).toEqual([8 * HOUR_MS]);
    });
  });

  it('rejects an unknown time zone and an impossible shift', () => {
    const range = { fromMs: 0, toMs: HOUR_MS };
    expect(() => expandShiftCalendar({ shifts: [early], timeZone: 'Mars/Olympus', ...range })).toThrow(RangeError);
    expect(() => expandShiftCalendar({ shifts: [{ ...early, startMinute: 1440 }], timeZone: 'UTC', ...range })).toThrow(
      RangeError,
    );
    expect(() => expandShiftCalendar({ shifts: [{ ...early, weekdays: [0] }], timeZone: 'UTC', ...range })).toThrow(
      RangeError,
    );
  });

  it('returns nothing for an empty range or no shifts', () => {
    expect(expandShiftCalendar({ shifts: [early], timeZone: 'UTC', fromMs: 10, toMs: 10 })).toEqual([]);
    expect(expandShiftCalendar({ shifts: [], timeZone: 'UTC', fromMs: 0, toMs: 7 * 24 * HOUR_MS })).toEqual([]);
  });
});

describe('expandLocalDays', () => {
  it('gives 23 h and 25 h days on DST changes in Europe/Berlin', () => {
    const zone = 'Europe/Berlin';
    const days = expandLocalDays({
      timeZone: zone,
      fromMs: at('2024-03-30T12:00', zone),
      toMs: at('2024-04-01T00:00', zone),
    });
    expect(days.map((d) => [d.localDate, (d.endMs - d.startMs) / HOUR_MS])).toEqual([
      ['2024-03-30', 24],
      ['2024-03-31', 23],
    ]);
    const autumn = expandLocalDays({
      timeZone: zone,
      fromMs: at('2024-10-27T00:00', zone),
      toMs: at('2024-10-27T01:00', zone),
    });
    expect(autumn.map((d) => [d.localDate, (d.endMs - d.startMs) / HOUR_MS])).toEqual([['2024-10-27', 25]]);
  });
});
