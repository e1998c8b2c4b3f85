// The SPA's one way of writing figures: durations with two units at most, shares with one decimal and "n/a" where
// a ratio does not apply (never 0 %), production time in hours, run rates, signed counts, and instants on the
// plant's clock (not the browser's), in the user's locale.
import { describe, expect, it } from 'vitest';
import { createFormat } from './format.ts';

const EN = createFormat('en-US', 'n/a');
const DE = createFormat('de-DE', 'n. a.');
/** Intl separates with no-break and thin spaces; the tests compare the words. */
const plain = (text: string) => text.replace(/\s/g, ' ');
const NOW_MS = Date.parse('2026-11-25T10:00:00.000Z');

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [3_599, '59 min'],
    [3_600, '1 h'],
    [3_660, '1 h 1 min'],
    [90_061, '1 d 1 h'],
    [86_400 + 59, '1 d'],
    [86_400 + 60, '1 d'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('writes %d s as "%s"', (seconds, expected) => {
    expect(EN.duration(seconds)).toBe(expected);
  });

  it('writes the numbers in the locale', () => {
    expect(EN.duration(1_234 * 86_400)).toBe('1,234 d');
    expect(DE.duration(1_234 * 86_400)).toBe('1.234 d');
  });
});

describe('percent', () => {
  it('shows one decimal, in the locale', () => {
    expect(EN.percent(0.6333)).toBe('63.3%');
    expect(EN.percent(1)).toBe('100.0%');
    expect(EN.percent(0)).toBe('0.0%');
    expect(EN.percent(1.0849)).toBe('108.5%');
    expect(plain(DE.percent(0.5))).toBe('50,0 %');
  });

  it('shows "n/a" for a ratio that does not apply, never 0 %', () => {
    expect(EN.percent(null)).toBe('n/a');
    expect(EN.percent(Number.NaN)).toBe('n/a');
    expect(DE.percent(null)).toBe('n. a.');
    expect(EN.optionalDuration(null)).toBe('n/a');
  });
});

describe('amounts', () => {
  it('shows hours from one hour up, whole hours from 100 h, minutes below one hour', () => {
    expect(EN.hours(5_400)).toBe('1.5 h');
    expect(EN.hours(7_030_800)).toBe('1,953 h');
    expect(EN.timeAmount(2_700)).toBe('45 min');
    expect(EN.timeAmount(36_000)).toBe('10.0 h');
    expect(EN.timeAmount(-5_400)).toBe('−1.5 h');
    expect(DE.timeAmount(5_400)).toBe('1,5 h');
  });

  it('gives the run rate in whole parts per hour, a decimal for slow work, a dash before it is known', () => {
    expect(EN.runRate(298.75)).toBe('299 / h');
    expect(EN.runRate(4.25)).toBe('4.3 / h');
    expect(EN.runRate(12_500)).toBe('12,500 / h');
    expect(DE.runRate(12_500)).toBe('12.500 / h');
    expect(EN.runRate(null)).toBe('—');
  });

  it('signs adjustments with a real minus', () => {
    expect(EN.signedCount(5)).toBe('+5');
    expect(EN.signedCount(-1500)).toBe('−1,500');
    expect(EN.signedCount(0)).toBe('0');
  });
});

describe('instants on the plant clock', () => {
  it("shows an instant in the site's zone, not the browser's", () => {
    const iso = '2026-11-25T13:02:00.000Z';
    expect(plain(EN.plantDateTime(iso, 'Europe/Berlin'))).toBe('Wed, Nov 25, 14:02');
    expect(plain(EN.plantDateTime(iso, 'America/Chicago'))).toBe('Wed, Nov 25, 07:02');
    expect(plain(DE.plantDateTime(iso, 'Europe/Berlin'))).toBe('Mi., 25. Nov., 14:02');
    expect(EN.plantDateTime(null, 'Europe/Berlin')).toBe('—');
  });

  it('leaves the weekday out in table columns, and adds the year when it is not the plant’s current year', () => {
    expect(plain(EN.plantDateTimeShort('2026-11-25T13:02:00.000Z', 'Europe/Berlin', NOW_MS))).toBe('Nov 25, 14:02');
    expect(plain(EN.plantDateTimeShort('2030-01-15T13:00:00.000Z', 'Europe/Berlin', NOW_MS))).toBe(
      'Jan 15, 2030, 14:00',
    );
    // New Year's Eve 23:30 in Chicago is already next year in Berlin: the plant's own year counts.
    const eveMs = Date.parse('2026-12-31T23:30:00.000-06:00');
    expect(plain(EN.plantDateTimeShort('2026-12-31T20:00:00.000-06:00', 'America/Chicago', eveMs))).toBe(
      'Dec 31, 20:00',
    );
  });

  it('adds the year and the zone in the detail panel', () => {
    expect(plain(EN.plantDateTimeLong('2026-07-01T12:00:00.000Z', 'Europe/Berlin'))).toBe(
      'Wed, Jul 1, 2026, 14:00 GMT+2',
    );
    expect(plain(DE.plantDateTimeLong('2026-07-01T12:00:00.000Z', 'Europe/Berlin'))).toBe(
      'Mi., 1. Juli 2026, 14:00 MESZ',
    );
  });

  it('words whole local days as dates and other ranges with times', () => {
    const day = { fromMs: Date.parse('2026-03-28T23:00:00Z'), toMs: Date.parse('2026-03-29T22:00:00Z') };
    expect(EN.range(day, 'Europe/Berlin')).toBe('Sun, Mar 29, 2026');
    const week = { fromMs: Date.parse('2026-11-18T23:00:00Z'), toMs: Date.parse('2026-11-25T23:00:00Z') };
    expect(plain(EN.range(week, 'Europe/Berlin'))).toBe('Thu, Nov 19 – Wed, Nov 25, 2026');
    const shift = { fromMs: Date.parse('2026-11-25T05:00:00Z'), toMs: Date.parse('2026-11-25T13:00:00Z') };
    expect(plain(EN.range(shift, 'Europe/Berlin'))).toBe('Wed, Nov 25, 2026, 06:00 – 14:00');
  });
});
