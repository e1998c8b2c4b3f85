// Range presets laid out on the site's calendar (including DST days), custom date ranges, and the buckets a
// range may use.
import { describe, expect, it } from 'vitest';
import {
  bucketsFor,
  defaultBucketFor,
  effectiveBucket,
  isExplainable,
  isLiveRange,
  rangeOfLocalDates,
  resolveRange,
  type TRangePresetId,
} from './oee-range.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const preset = (presetId: TRangePresetId) => ({ kind: 'preset', presetId }) as const;
const isoRange = ({ fromMs, toMs }: { fromMs: number; toMs: number }) => [
  new Date(fromMs).toISOString(),
  new Date(toMs).toISOString(),
];

describe('resolveRange', () => {
  // Wednesday 25 November 2026, 12:10 in Berlin; 05:10 in Chicago.
  const nowMs = Date.parse('2026-11-25T11:10:00Z');

  it('lays presets out as whole days of the site', () => {
    expect(isoRange(resolveRange(preset('today'), nowMs, 'Europe/Berlin'))).toEqual([
      '2026-11-24T23:00:00.000Z',
      '2026-11-25T23:00:00.000Z',
    ]);
    expect(isoRange(resolveRange(preset('today'), nowMs, 'America/Chicago'))).toEqual([
      '2026-11-25T06:00:00.000Z',
      '2026-11-26T06:00:00.000Z',
    ]);
    expect(isoRange(resolveRange(preset('yesterday'), nowMs, 'Europe/Berlin'))).toEqual([
      '2026-11-23T23:00:00.000Z',
      '2026-11-24T23:00:00.000Z',
    ]);
    expect(isoRange(resolveRange(preset('last-7-days'), nowMs, 'Europe/Berlin'))).toEqual([
      '2026-11-18T23:00:00.000Z',
      '2026-11-25T23:00:00.000Z',
    ]);
  });

  it('starts weeks on Monday', () => {
    expect(isoRange(resolveRange(preset('this-week'), nowMs, 'Europe/Berlin'))).toEqual([
      '2026-11-22T23:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
    ]);
    expect(isoRange(resolveRange(preset('last-week'), nowMs, 'Europe/Berlin'))).toEqual([
      '2026-11-15T23:00:00.000Z',
      '2026-11-22T23:00:00.000Z',
    ]);
  });

  it('takes "today" from the site: just after midnight in Berlin it is still yesterday in Chicago', () => {
    const justAfterBerlinMidnight = Date.parse('2026-11-25T23:05:00Z');
    expect(resolveRange(preset('today'), justAfterBerlinMidnight, 'Europe/Berlin').fromMs).toBe(
      Date.parse('2026-11-25T23:00:00Z'),
    );
    expect(resolveRange(preset('today'), justAfterBerlinMidnight, 'America/Chicago').fromMs).toBe(
      Date.parse('2026-11-25T06:00:00Z'),
    );
  });

  it('gives a DST day its 23 or 25 hours, and a month spanning the change its real length', () => {
    const springDay = resolveRange(preset('today'), Date.parse('2026-03-29T10:00:00Z'), 'Europe/Berlin');
    expect(isoRange(springDay)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(springDay.toMs - springDay.fromMs).toBe(23 * HOUR_MS);
    const autumnDay = resolveRange(preset('yesterday'), Date.parse('2026-10-26T10:00:00Z'), 'Europe/Berlin');
    expect(autumnDay.toMs - autumnDay.fromMs).toBe(25 * HOUR_MS);
    const month = resolveRange(preset('last-30-days'), Date.parse('2026-04-10T10:00:00Z'), 'Europe/Berlin');
    expect(month.toMs - month.fromMs).toBe(30 * DAY_MS - HOUR_MS);
  });

  it('keeps a custom range as it is', () => {
    const custom = { kind: 'custom', fromMs: 1_000, toMs: 2_000 } as const;
    expect(resolveRange(custom, nowMs, 'Europe/Berlin')).toEqual({ fromMs: 1_000, toMs: 2_000 });
  });
});

describe('rangeOfLocalDates', () => {
  it('covers the first to the last day inclusive, in the site zone', () => {
    expect(isoRange(rangeOfLocalDates('2026-03-28', '2026-03-29', 'Europe/Berlin')!)).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
  });

  it('is null for reversed, malformed or overlong ranges', () => {
    expect(rangeOfLocalDates('2026-03-29', '2026-03-28', 'Europe/Berlin')).toBeNull();
    expect(rangeOfLocalDates('2026-02-30', '2026-03-02', 'Europe/Berlin')).toBeNull();
    expect(rangeOfLocalDates('', '2026-03-02', 'Europe/Berlin')).toBeNull();
    expect(rangeOfLocalDates('2024-01-01', '2026-01-01', 'Europe/Berlin')).toBeNull();
  });
});

describe('buckets', () => {
  const day = { fromMs: 0, toMs: DAY_MS };
  const longDstDay = { fromMs: 0, toMs: 25 * HOUR_MS };
  const week = { fromMs: 0, toMs: 7 * DAY_MS };
  const quarter = { fromMs: 0, toMs: 90 * DAY_MS };

  it('defaults to hours for one day (also the 25-hour one) and to days beyond', () => {
    expect(defaultBucketFor(day)).toBe('hour');
    expect(defaultBucketFor(longDstDay)).toBe('hour');
    expect(defaultBucketFor(week)).toBe('day');
  });

  it('offers hours only as far as the API serves hourly series', () => {
    expect(bucketsFor(week)).toEqual(['hour', 'shift', 'day']);
    expect(bucketsFor(quarter)).toEqual(['shift', 'day']);
  });

  it('keeps a chosen bucket the range allows, else falls back to the default', () => {
    expect(effectiveBucket('shift', week)).toBe('shift');
    expect(effectiveBucket('hour', quarter)).toBe('day');
    expect(effectiveBucket(null, day)).toBe('hour');
  });
});

describe('isExplainable and isLiveRange', () => {
  it('explains at most seven days', () => {
    expect(isExplainable({ fromMs: 0, toMs: 7 * DAY_MS })).toBe(true);
    expect(isExplainable({ fromMs: 0, toMs: 7 * DAY_MS + 1 })).toBe(false);
  });

  it('is live while the present lies inside the range', () => {
    expect(isLiveRange({ fromMs: 0, toMs: 100 }, 50)).toBe(true);
    expect(isLiveRange({ fromMs: 0, toMs: 100 }, 100)).toBe(false);
    expect(isLiveRange({ fromMs: 0, toMs: 100 }, -1)).toBe(false);
  });
});
