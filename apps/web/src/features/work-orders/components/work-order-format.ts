// How the work-order page words its figures (pure): the progress bar's fill, where an order's counts come from,
// the due date with its late / at-risk flag, and the messages of refused writes. Numbers and instants are written
// by lib/format.ts in the user's locale, on the clock of the plant (the zone of the order's line's site).
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import type { TI18n } from '../../../lib/i18n/i18n.tsx';
import type { TPlainMessageKey } from '../../../lib/i18n/translate.ts';

/** The filled share of a progress bar, 0–100 (a bar cannot overflow; the text says 112 %). */
export function progressBarPercent(progress: number): number {
  if (!Number.isFinite(progress) || progress <= 0) return 0;
  return Math.min(100, Math.round(progress * 1000) / 10);
}

/** Where an order's counts come from, in the plant's words. */
export function countSourceTextOf(
  order: Pick<TWorkOrder, 'status' | 'production'>,
  outputMachineName: string | null,
  t: TI18n['t'],
): string {
  switch (order.production.countSource) {
    case 'line-output':
      return t('wo.countSource.lineOutput', { machine: outputMachineName ?? t('wo.countSource.lastMachine') });
    case 'work-order-tag':
      return outputMachineName === null
        ? t('wo.countSource.tag')
        : t('wo.countSource.tagAt', { machine: outputMachineName });
    case 'none':
      return order.status === 'DRAFT' || order.status === 'RELEASED'
        ? t('wo.countSource.notStarted')
        : t('wo.countSource.none');
  }
}

// ------------------------------------------------------------------------------------------------ due dates

/**
 * none: no due date (or cancelled); on-time / at-risk / late for an open order (at risk: the projected finish is
 * after the due date); finished / finished-late for a completed one.
 */
export type TDueState = 'none' | 'on-time' | 'at-risk' | 'late' | 'finished' | 'finished-late';

export function dueStateOf(
  order: Pick<TWorkOrder, 'status' | 'dueAt' | 'completedAt' | 'production'>,
  nowMs: number,
): TDueState {
  if (order.dueAt === null || order.status === 'CANCELLED') return 'none';
  const dueMs = Date.parse(order.dueAt);
  if (order.status === 'COMPLETED') {
    const completedMs = order.completedAt === null ? dueMs : Date.parse(order.completedAt);
    return completedMs > dueMs ? 'finished-late' : 'finished';
  }
  if (nowMs > dueMs) return 'late';
  const projected = order.production.projectedFinishAt;
  if (projected !== null && Date.parse(projected) > dueMs) return 'at-risk';
  return 'on-time';
}

/** The flag a due state shows, or null when there is nothing to flag. */
export function dueFlagOf(state: TDueState): { labelKey: TPlainMessageKey; tone: 'down' | 'warn' } | null {
  if (state === 'late') return { labelKey: 'wo.due.late', tone: 'down' };
  if (state === 'at-risk') return { labelKey: 'wo.due.atRisk', tone: 'warn' };
  if (state === 'finished-late') return { labelKey: 'wo.due.finishedLate', tone: 'warn' };
  return null;
}

/** "due in 3 d 4 h" or "5 h overdue", for an open order. */
export function formatDueIn(dueMs: number, nowMs: number, { t, format }: Pick<TI18n, 't' | 'format'>): string {
  const deltaSec = (dueMs - nowMs) / 1000;
  return deltaSec >= 0
    ? t('wo.dueIn', { duration: format.duration(deltaSec) })
    : t('wo.overdue', { duration: format.duration(-deltaSec) });
}

// ------------------------------------------------------------------------------------------------ errors

/**
 * The message of a refused write, next to the button that made it. The API's problem detail says what was wrong
 * (a busy line names the order holding it); a stale version and a vanished order get words that say the page
 * has been reloaded, because the mutation refetched it.
 */
export function actionErrorMessage(error: unknown, { t, errorText }: Pick<TI18n, 't' | 'errorText'>): string {
  if (error instanceof ApiError) {
    if (error.status === 412) return t('wo.error.stale');
    if (error.status === 404) return t('wo.error.gone');
  }
  return errorText(error);
}
