// Wording of the work-order figures: progress (over 100 % shown, bar capped), run rate, late / at-risk flags, times
// in the plant's zone (also across DST), due dates typed in the plant's zone, and the messages of refused writes.
import { describe, expect, it } from 'vitest';
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import {
  actionErrorMessage,
  countSourceTextOf,
  dueFlagOf,
  dueStateOf,
  formatDueIn,
  formatPlantDateTime,
  formatPlantDateTimeLong,
  formatPlantDateTimeShort,
  formatProgress,
  formatRunRate,
  formatSignedCount,
  instantOfPlantDateTime,
  plantDateTimeInputValue,
  progressBarPercent,
} from './work-order-format.ts';

const EN = 'en-US';
/** Intl separates with no-break and thin spaces; the tests compare the words. */
const plain = (text: string) => text.replace(/\s/g, ' ');

const NOW_MS = Date.parse('2026-11-25T10:00:00.000Z');
const production = {
  goodCount: 1200,
  scrapCount: 17,
  countedGoodCount: 1200,
  countedScrapCount: 17,
  adjustmentGoodCount: 0,
  adjustmentScrapCount: 0,
  countSource: 'line-output' as const,
  outputMachineId: null,
  runTimeSec: 14_400,
  progress: 0.5,
  runRatePartsPerHour: 300,
  remainingRunTimeSec: 14_400,
  projectedFinishAt: '2026-11-25T14:00:00.000Z',
};

function dueOrder(overrides: Partial<Pick<TWorkOrder, 'status' | 'dueAt' | 'completedAt' | 'production'>>) {
  return { status: 'IN_PROGRESS' as const, dueAt: null, completedAt: null, production, ...overrides };
}

describe('progress and rate', () => {
  it('shows progress with one decimal, overproduction as it is', () => {
    expect(formatProgress(0.4979, EN)).toBe('49.8%');
    expect(formatProgress(1.125, EN)).toBe('112.5%');
    expect(formatProgress(0, EN)).toBe('0.0%');
  });

  it('caps the bar at full and never draws it below empty', () => {
    expect(progressBarPercent(0.4979)).toBe(49.8);
    expect(progressBarPercent(1.125)).toBe(100);
    expect(progressBarPercent(-0.1)).toBe(0);
    expect(progressBarPercent(Number.NaN)).toBe(0);
  });

  it('gives the run rate in whole parts per hour, a decimal for slow work, a dash before it is known', () => {
    expect(formatRunRate(298.75, EN)).toBe('299 / h');
    expect(formatRunRate(4.25, EN)).toBe('4.3 / h');
    expect(formatRunRate(12_500, EN)).toBe('12,500 / h');
    expect(formatRunRate(null, EN)).toBe('—');
  });

  it('signs adjustments with a real minus', () => {
    expect(formatSignedCount(5, EN)).toBe('+5');
    expect(formatSignedCount(-1500, EN)).toBe('−1,500');
    expect(formatSignedCount(0, EN)).toBe('0');
  });
});

describe('countSourceTextOf', () => {
  it('names the output machine of line counting', () => {
    expect(countSourceTextOf({ status: 'IN_PROGRESS', production }, 'Packing cell')).toMatch(
      /^Good parts counted at Packing cell while the order ran/,
    );
  });

  it('says counting starts with the order before it has run, and nothing counted after', () => {
    const none = { ...production, countSource: 'none' as const };
    expect(countSourceTextOf({ status: 'RELEASED', production: none }, null)).toBe(
      'Counting starts when the order starts.',
    );
    expect(countSourceTextOf({ status: 'IN_PROGRESS', production: none }, null)).toBe('Nothing counted yet.');
  });
});

describe('dueStateOf', () => {
  it('has nothing to say without a due date or for a cancelled order', () => {
    expect(dueStateOf(dueOrder({}), NOW_MS)).toBe('none');
    expect(dueStateOf(dueOrder({ status: 'CANCELLED', dueAt: '2026-11-20T00:00:00.000Z' }), NOW_MS)).toBe('none');
  });

  it('is late once the due date has passed and the order is still open', () => {
    expect(dueStateOf(dueOrder({ status: 'RELEASED', dueAt: '2026-11-25T09:59:00.000Z' }), NOW_MS)).toBe('late');
  });

  it('is at risk when the projected finish is after the due date', () => {
    expect(dueStateOf(dueOrder({ dueAt: '2026-11-25T12:00:00.000Z' }), NOW_MS)).toBe('at-risk');
  });

  it('is on time when the projection makes it, or when there is no projection yet', () => {
    expect(dueStateOf(dueOrder({ dueAt: '2026-11-25T15:00:00.000Z' }), NOW_MS)).toBe('on-time');
    const noProjection = { ...production, projectedFinishAt: null };
    expect(dueStateOf(dueOrder({ dueAt: '2026-11-25T11:00:00.000Z', production: noProjection }), NOW_MS)).toBe(
      'on-time',
    );
  });

  it('judges a completed order by when it completed, not by now', () => {
    const due = '2026-11-20T12:00:00.000Z';
    expect(
      dueStateOf(dueOrder({ status: 'COMPLETED', dueAt: due, completedAt: '2026-11-20T11:00:00.000Z' }), NOW_MS),
    ).toBe('finished');
    expect(
      dueStateOf(dueOrder({ status: 'COMPLETED', dueAt: due, completedAt: '2026-11-21T08:00:00.000Z' }), NOW_MS),
    ).toBe('finished-late');
  });

  it('flags late in red, at risk and finished late in amber, the rest not at all', () => {
    expect(dueFlagOf('late')).toEqual({ label: 'Late', tone: 'down' });
    expect(dueFlagOf('at-risk')).toEqual({ label: 'At risk', tone: 'warn' });
    expect(dueFlagOf('finished-late')).toEqual({ label: 'Finished late', tone: 'warn' });
    expect(dueFlagOf('on-time')).toBeNull();
    expect(dueFlagOf('finished')).toBeNull();
  });

  it('says how long until due, or how long overdue', () => {
    expect(formatDueIn(NOW_MS + (3 * 24 + 4) * 3_600_000, NOW_MS)).toBe('due in 3 d 4 h');
    expect(formatDueIn(NOW_MS - 5 * 3_600_000, NOW_MS)).toBe('5 h overdue');
  });
});

describe('plant time', () => {
  it("shows an instant in the site's zone, not the browser's", () => {
    const iso = '2026-11-25T13:02:00.000Z';
    expect(plain(formatPlantDateTime(iso, 'Europe/Berlin', EN))).toBe('Wed, Nov 25, 14:02');
    expect(plain(formatPlantDateTime(iso, 'America/Chicago', EN))).toBe('Wed, Nov 25, 07:02');
    expect(formatPlantDateTime(null, 'Europe/Berlin', EN)).toBe('—');
  });

  it('leaves the weekday out in table columns', () => {
    expect(plain(formatPlantDateTimeShort('2026-11-25T13:02:00.000Z', 'Europe/Berlin', NOW_MS, EN))).toBe(
      'Nov 25, 14:02',
    );
  });

  it("adds the year in table columns when it is not the plant's current year", () => {
    expect(plain(formatPlantDateTimeShort('2030-01-15T13:00:00.000Z', 'Europe/Berlin', NOW_MS, EN))).toBe(
      'Jan 15, 2030, 14:00',
    );
    // New Year's Eve 23:30 in Chicago is already next year in Berlin: the plant's own year counts.
    const eveMs = Date.parse('2026-12-31T23:30:00.000-06:00');
    expect(plain(formatPlantDateTimeShort('2026-12-31T20:00:00.000-06:00', 'America/Chicago', eveMs, EN))).toBe(
      'Dec 31, 20:00',
    );
  });

  it('adds the year and the zone in the detail panel', () => {
    expect(plain(formatPlantDateTimeLong('2026-07-01T12:00:00.000Z', 'Europe/Berlin', EN))).toBe(
      'Wed, Jul 1, 2026, 14:00 GMT+2',
    );
  });

  it('reads a typed due date in the plant zone, in winter and in summer', () => {
    expect(instantOfPlantDateTime('2026-11-28T14:00', 'Europe/Berlin')).toBe(Date.parse('2026-11-28T13:00:00Z'));
    expect(instantOfPlantDateTime('2026-07-01T14:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-01T12:00:00Z'));
    expect(instantOfPlantDateTime('2026-11-28T06:30', 'America/Chicago')).toBe(Date.parse('2026-11-28T12:30:00Z'));
  });

  it('reads wall times next to a DST change with the offset in force at that time', () => {
    // Berlin goes from +1 to +2 at 02:00 on 29 March 2026; 03:30 is already summer time.
    expect(instantOfPlantDateTime('2026-03-29T01:30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T00:30:00Z'));
    expect(instantOfPlantDateTime('2026-03-29T03:30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
  });

  it('refuses what is not a date and time', () => {
    expect(instantOfPlantDateTime('', 'Europe/Berlin')).toBeNull();
    expect(instantOfPlantDateTime('2026-02-30T10:00', 'Europe/Berlin')).toBeNull();
    expect(instantOfPlantDateTime('2026-11-28T25:00', 'Europe/Berlin')).toBeNull();
  });

  it('prefills an input with the plant wall time, the inverse of reading it', () => {
    expect(plantDateTimeInputValue('2026-11-28T13:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-28T14:00');
    expect(plantDateTimeInputValue(null, 'Europe/Berlin')).toBe('');
    const value = plantDateTimeInputValue('2026-07-01T12:00:00.000Z', 'America/Chicago');
    expect(instantOfPlantDateTime(value, 'America/Chicago')).toBe(Date.parse('2026-07-01T12:00:00Z'));
  });
});

describe('actionErrorMessage', () => {
  const problem = (status: number, detail: string) =>
    new ApiError({ type: 'about:blank', title: 'Conflict', status, detail });

  it('shows the API detail of a refusal, e.g. the order holding a busy line', () => {
    const detail =
      'Line "line1" already runs work order WO-1004 (IN_PROGRESS); a line runs one order at a time: complete or cancel that one first.';
    expect(actionErrorMessage(problem(409, detail))).toBe(detail);
  });

  it('says a stale version was reloaded (412)', () => {
    expect(actionErrorMessage(problem(412, 'The work order is at version 5, not 4'))).toMatch(
      /changed this order in the meantime.*reloaded/,
    );
  });

  it('says a deleted order is gone (404)', () => {
    expect(actionErrorMessage(problem(404, 'No work order x.'))).toMatch(/no longer exists/);
  });

  it('passes other errors through', () => {
    expect(actionErrorMessage(new Error('boom'))).toBe('boom');
  });
});
