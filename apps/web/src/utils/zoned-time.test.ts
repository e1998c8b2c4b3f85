// Calendar arithmetic in a site's time zone: local dates, offsets and the first instant of a day, across the DST
// changes of Berlin and Chicago and in zones that skip midnight itself.
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  isLocalDate,
  isoWeekdayOf,
  localDateOf,
  startOfLocalDayMs,
  wallClockOf,
  zoneOffsetMs,
} from './zoned-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

describe('localDateOf and zoneOffsetMs', () => {
  it('read the date and offset of the site, not of the browser', () => {
    const ms = Date.parse('2026-11-25T23:30:00Z');
    expect(localDateOf(ms, 'Europe/Berlin')).toBe('2026-11-26');
    expect(localDateOf(ms, 'America/Chicago')).toBe('2026-11-25');
    expect(zoneOffsetMs(ms, 'Europe/Berlin')).toBe(HOUR_MS);
    expect(zoneOffsetMs(ms, 'America/Chicago')).toBe(-6 * HOUR_MS);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR_MS);
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(wallClockOf(Date.parse('2026-11-24T23:00:00Z'), 'Europe/Berlin')).toMatchObject({ day: 25, hour: 0 });
  });
});

describe('startOfLocalDayMs', () => {
  it('is local midnight on an ordinary day', () => {
    expect(iso(startOfLocalDayMs('2026-11-25', 'Europe/Berlin'))).toBe('2026-11-24T23:00:00.000Z');
    expect(iso(startOfLocalDayMs('2026-11-25', 'America/Chicago'))).toBe('2026-11-25T06:00:00.000Z');
    expect(iso(startOfLocalDayMs('2026-11-25', 'UTC'))).toBe('2026-11-25T00:00:00.000Z');
  });

  it('makes the spring DST day 23 hours long and the autumn one 25', () => {
    const dayLengthH = (date: string, zone: string) =>
      (startOfLocalDayMs(addLocalDays(date, 1), zone) - startOfLocalDayMs(date, zone)) / HOUR_MS;
    expect(dayLengthH('2026-03-29', 'Europe/Berlin')).toBe(23);
    expect(dayLengthH('2026-10-25', 'Europe/Berlin')).toBe(25);
    expect(dayLengthH('2026-03-08', 'America/Chicago')).toBe(23);
    expect(dayLengthH('2026-11-01', 'America/Chicago')).toBe(25);
    expect(dayLengthH('2026-11-25', 'Europe/Berlin')).toBe(24);
  });

  it('starts a day whose midnight a DST change skips at 01:00, the first instant it has', () => {
    // Chile moves its clocks from 24:00 to 01:00 on the first Sunday of September.
    const startMs = startOfLocalDayMs('2026-09-06', 'America/Santiago');
    expect(iso(startMs)).toBe('2026-09-06T04:00:00.000Z');
    expect(wallClockOf(startMs, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(localDateOf(startMs - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => startOfLocalDayMs('2026-02-30', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => startOfLocalDayMs('yesterday', 'Europe/Berlin')).toThrow(RangeError);
  });
});

describe('local date arithmetic', () => {
  it('adds calendar days across months, years and leap days', () => {
    expect(addLocalDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('numbers weekdays Monday 1 to Sunday 7', () => {
    expect(isoWeekdayOf('2026-11-23')).toBe(1);
    expect(isoWeekdayOf('2026-11-29')).toBe(7);
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-1-5')).toBe(false);
    expect(isLocalDate('')).toBe(false);
  });
});
