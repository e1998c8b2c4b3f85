// The lifecycle steps in the page's words (pure): why start is not offered yet, the question before a step that
// cannot be undone, and how the history names each step. Which steps exist is the lifecycle of @takt/contracts,
// the one the server checks too; the words are the message catalogue's (`wo.action.*`, `wo.status.*`).
import {
  actionOfTransition,
  checkTransition,
  holdsLine,
  type TWorkOrder,
  type TWorkOrderAction,
  type TWorkOrderTransition,
} from '@takt/contracts';
import type { TI18n } from '../../../lib/i18n/i18n.tsx';

/** Why a released order cannot start yet, or null. */
export function startBlockerOf(order: Pick<TWorkOrder, 'status' | 'lineId'>, t: TI18n['t']): string | null {
  return order.status === 'RELEASED' && !checkTransition(order, 'start').isAllowed ? t('wo.startBlocker') : null;
}

/**
 * The question to ask before a step that cannot be undone, or null: cancelling always; completing only when the
 * order is short of its target (at or over target, completing is the expected thing to do).
 */
export function confirmationOf(
  action: TWorkOrderAction,
  order: Pick<TWorkOrder, 'number' | 'status' | 'targetQuantity' | 'production'>,
  { t, format }: Pick<TI18n, 't' | 'format'>,
): string | null {
  if (action === 'cancel') {
    return t(holdsLine(order.status) ? 'wo.confirmCancelHolding' : 'wo.confirmCancel', { number: order.number });
  }
  if (action === 'complete' && order.production.goodCount < order.targetQuantity) {
    return t('wo.confirmCompleteShort', {
      number: order.number,
      good: format.count(order.production.goodCount),
      target: format.count(order.targetQuantity),
      progress: format.percent(order.production.progress),
    });
  }
  return null;
}

/** What a history entry was, in the words of the buttons that made it. */
export function transitionLabelOf(
  transition: Pick<TWorkOrderTransition, 'fromStatus' | 'toStatus'>,
  t: TI18n['t'],
): string {
  const action = actionOfTransition(transition);
  return action === null ? t(`wo.status.${transition.toStatus}`) : t(`wo.history.${action}`);
}
