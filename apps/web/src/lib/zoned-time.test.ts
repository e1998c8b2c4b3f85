// Calendar arithmetic in a site's time zone: local dates and date-times and the first instant of a day, across the
// DST changes of Berlin and Chicago and in zones that skip midnight itself.
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  instantOfLocalDateTime,
  isLocalDate,
  isoWeekdayOf,
  isStartOfLocalDay,
  localDateOf,
  localDateTimeInputValue,
  startOfLocalDayMs,
} from './zoned-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

describe('localDateOf', () => {
  it('reads the date of the site, not of the browser', () => {
    const ms = Date.parse('2026-11-25T23:30:00Z');
    expect(localDateOf(ms, 'Europe/Berlin')).toBe('2026-11-26');
    expect(localDateOf(ms, 'America/Chicago')).toBe('2026-11-25');
  });

  it('reads midnight as the start of the new day', () => {
    expect(localDateOf(Date.parse('2026-11-24T23:00:00Z'), 'Europe/Berlin')).toBe('2026-11-25');
    expect(isStartOfLocalDay(Date.parse('2026-11-24T23:00:00Z'), 'Europe/Berlin')).toBe(true);
    expect(isStartOfLocalDay(Date.parse('2026-11-25T00:00:00Z'), 'Europe/Berlin')).toBe(false);
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
    expect(localDateTimeInputValue(startMs, 'America/Santiago')).toBe('2026-09-06T01:00');
    expect(isStartOfLocalDay(startMs, 'America/Santiago')).toBe(true);
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

describe('local date-times (datetime-local inputs)', () => {
  it('reads a wall time in the given zone, across DST', () => {
    expect(iso(instantOfLocalDateTime('2026-11-28T14:00', 'Europe/Berlin') ?? 0)).toBe('2026-11-28T13:00:00.000Z');
    expect(iso(instantOfLocalDateTime('2026-07-01T14:00:30', 'Europe/Berlin') ?? 0)).toBe('2026-07-01T12:00:30.000Z');
    expect(iso(instantOfLocalDateTime('2026-11-28T14:00', 'America/Chicago') ?? 0)).toBe('2026-11-28T20:00:00.000Z');
  });

  it('moves a wall time that a DST change skips forward', () => {
    expect(iso(instantOfLocalDateTime('2026-03-29T02:30', 'Europe/Berlin') ?? 0)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses what is not a date-time', () => {
    for (const value of ['', '2026-11-28', '2026-02-30T10:00', '2026-11-28T25:00', 'tomorrow 14:00']) {
      expect(instantOfLocalDateTime(value, 'Europe/Berlin')).toBeNull();
    }
  });

  it('writes an instant as the input value in the zone, with seconds when asked', () => {
    const ms = Date.parse('2026-11-28T13:00:05Z');
    expect(localDateTimeInputValue(ms, 'Europe/Berlin')).toBe('2026-11-28T14:00');
    expect(localDateTimeInputValue(ms, 'America/Chicago', true)).toBe('2026-11-28T07:00:05');
  });
});
