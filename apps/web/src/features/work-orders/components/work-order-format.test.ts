// Wording of the work-order figures: the progress bar (capped), where counts come from, late / at-risk flags, and
// the messages of refused writes.
import { describe, expect, it } from 'vitest';
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { createI18n } from '../../../lib/i18n/i18n.tsx';
import {
  actionErrorMessage,
  countSourceTextOf,
  dueFlagOf,
  dueStateOf,
  formatDueIn,
  progressBarPercent,
} from './work-order-format.ts';

const EN = createI18n('en', 'en-US');
const DE = createI18n('de', 'de-DE');

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

describe('progress', () => {
  it('caps the bar at full and never draws it below empty', () => {
    expect(progressBarPercent(0.4979)).toBe(49.8);
    expect(progressBarPercent(1.125)).toBe(100);
    expect(progressBarPercent(-0.1)).toBe(0);
    expect(progressBarPercent(Number.NaN)).toBe(0);
  });
});

describe('countSourceTextOf', () => {
  it('names the output machine of line counting', () => {
    expect(countSourceTextOf({ status: 'IN_PROGRESS', production }, 'Packing cell', EN.t)).toMatch(
      /^Good parts counted at Packing cell while the order ran/,
    );
  });

  it('says counting starts with the order before it has run, and nothing counted after', () => {
    const none = { ...production, countSource: 'none' as const };
    expect(countSourceTextOf({ status: 'RELEASED', production: none }, null, EN.t)).toBe(
      'Counting starts when the order starts.',
    );
    expect(countSourceTextOf({ status: 'IN_PROGRESS', production: none }, null, EN.t)).toBe('Nothing counted yet.');
    expect(countSourceTextOf({ status: 'IN_PROGRESS', production: none }, null, DE.t)).toBe('Noch nichts gezählt.');
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
    expect(dueFlagOf('late')).toEqual({ labelKey: 'wo.due.late', tone: 'down' });
    expect(dueFlagOf('at-risk')).toEqual({ labelKey: 'wo.due.atRisk', tone: 'warn' });
    expect(dueFlagOf('finished-late')).toEqual({ labelKey: 'wo.due.finishedLate', tone: 'warn' });
    expect(dueFlagOf('on-time')).toBeNull();
    expect(dueFlagOf('finished')).toBeNull();
  });

  it('says how long until due, or how long overdue', () => {
    expect(formatDueIn(NOW_MS + (3 * 24 + 4) * 3_600_000, NOW_MS, EN)).toBe('due in 3 d 4 h');
    expect(formatDueIn(NOW_MS - 5 * 3_600_000, NOW_MS, EN)).toBe('5 h overdue');
    expect(formatDueIn(NOW_MS - 5 * 3_600_000, NOW_MS, DE)).toBe('5 h überfällig');
  });
});

describe('actionErrorMessage', () => {
  const problem = (status: number, detail: string) =>
    new ApiError({ type: 'about:blank', title: 'Conflict', status, detail });

  it('shows the API detail of a refusal, e.g. the order holding a busy line', () => {
    const detail =
      'Line "line1" already runs work order WO-1004 (IN_PROGRESS); a line runs one order at a time: complete or cancel that one first.';
    expect(actionErrorMessage(problem(409, detail), EN)).toBe(detail);
  });

  it('says a stale version was reloaded (412)', () => {
    expect(actionErrorMessage(problem(412, 'The work order is at version 5, not 4'), EN)).toMatch(
      /changed this order in the meantime.*reloaded/,
    );
  });

  it('says a deleted order is gone (404)', () => {
    expect(actionErrorMessage(problem(404, 'No work order x.'), EN)).toMatch(/no longer exists/);
  });

  it('passes other errors through', () => {
    expect(actionErrorMessage(new Error('boom'), EN)).toBe('boom');
  });
});
