// The lifecycle steps in the page's words (pure): button labels, why a step is not offered yet, the question before
// a step that cannot be undone, and how the history names each step. Which steps exist is the lifecycle of
// @takt/contracts, the one the server checks too.
import {
  actionOfTransition,
  checkTransition,
  holdsLine,
  type TWorkOrder,
  type TWorkOrderAction,
  type TWorkOrderStatus,
  type TWorkOrderTransition,
} from '@takt/contracts';
import { formatCount, formatProgress } from './work-order-format.ts';

export const STATUS_LABELS: Record<TWorkOrderStatus, string> = {
  DRAFT: 'Draft',
  RELEASED: 'Released',
  IN_PROGRESS: 'In progress',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** The button text of a step. */
export function actionLabelOf(action: Exclude<TWorkOrderAction, 'dispatch'>): string {
  const labels = {
    release: 'Release',
    start: 'Start',
    pause: 'Pause',
    resume: 'Resume',
    complete: 'Complete',
    cancel: 'Cancel order',
  } as const;
  return labels[action];
}

/** Why a released order cannot start yet, or null. */
export function startBlockerOf(order: Pick<TWorkOrder, 'status' | 'lineId'>): string | null {
  return order.status === 'RELEASED' && !checkTransition(order, 'start').isAllowed
    ? 'Dispatch the order to a line before it can start.'
    : null;
}

/**
 * The question to ask before a step that cannot be undone, or null: cancelling always; completing only when the
 * order is short of its target (at or over target, completing is the expected thing to do).
 */
export function confirmationOf(
  action: TWorkOrderAction,
  order: Pick<TWorkOrder, 'number' | 'status' | 'targetQuantity' | 'production'>,
  locale?: string,
): string | null {
  if (action === 'cancel') {
    const consequence = holdsLine(order.status) ? ' It stops counting and frees its line.' : '';
    return `Cancel ${order.number}? A cancelled order cannot be reopened.${consequence}`;
  }
  if (action === 'complete' && order.production.goodCount < order.targetQuantity) {
    const good = formatCount(order.production.goodCount, locale);
    const target = formatCount(order.targetQuantity, locale);
    return (
      `${order.number} has ${good} of ${target} good parts (${formatProgress(order.production.progress, locale)}). ` +
      'Complete it anyway? A completed order cannot be restarted.'
    );
  }
  return null;
}

const TRANSITION_LABELS: Record<TWorkOrderAction | 'create', string> = {
  create: 'Created',
  release: 'Released',
  dispatch: 'Dispatched',
  start: 'Started',
  pause: 'Paused',
  resume: 'Resumed',
  complete: 'Completed',
  cancel: 'Cancelled',
};

/** What a history entry was, in the words of the buttons that made it. */
export function transitionLabelOf(transition: Pick<TWorkOrderTransition, 'fromStatus' | 'toStatus'>): string {
  const action = actionOfTransition(transition);
  return action === null ? STATUS_LABELS[transition.toStatus] : TRANSITION_LABELS[action];
}
