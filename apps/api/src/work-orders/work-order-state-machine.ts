// The work-order lifecycle as a pure state machine (DESIGN.md "Work orders"):
//   DRAFT → RELEASED → IN_PROGRESS ⇄ PAUSED → COMPLETED, and CANCELLED from any open state.
// COMPLETED is reachable from IN_PROGRESS and from PAUSED (an order paused at its last part is finished
// without a pointless resume). Dispatch is no status change: it assigns a RELEASED order to a line, and
// start needs that line. The service asks this module before every change and answers 409 with its detail.
import type { TWorkOrderAction, TWorkOrderStatus } from '@takt/contracts';

type Transition = { from: readonly TWorkOrderStatus[]; to: TWorkOrderStatus | 'unchanged' };

const TRANSITIONS: Record<TWorkOrderAction, Transition> = {
  release: { from: ['DRAFT'], to: 'RELEASED' },
  dispatch: { from: ['RELEASED'], to: 'unchanged' },
  start: { from: ['RELEASED'], to: 'IN_PROGRESS' },
  pause: { from: ['IN_PROGRESS'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'IN_PROGRESS' },
  complete: { from: ['IN_PROGRESS', 'PAUSED'], to: 'COMPLETED' },
  cancel: { from: ['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED'], to: 'CANCELLED' },
};

/** Statuses in which an order holds its line: a line runs at most one such order. */
export const LINE_HOLDING_STATUSES: readonly TWorkOrderStatus[] = ['IN_PROGRESS', 'PAUSED'];

/** Statuses whose planning fields (number, product, target, due date) may still change. */
const EDITABLE_STATUSES: readonly TWorkOrderStatus[] = ['DRAFT', 'RELEASED'];

/** Statuses whose counts may be adjusted by hand: the order has run (corrections after completion included). */
const ADJUSTABLE_STATUSES: readonly TWorkOrderStatus[] = ['IN_PROGRESS', 'PAUSED', 'COMPLETED'];

export type TransitionCheck = { isAllowed: true; to: TWorkOrderStatus } | { isAllowed: false; reason: string };

const list = (statuses: readonly TWorkOrderStatus[]): string =>
  statuses.length === 1 ? (statuses[0] ?? '') : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1) ?? ''}`;

/** Whether `action` may happen to an order in `order.status` (with or without a line), and the status it leads to. */
export function checkTransition(
  order: { status: TWorkOrderStatus; lineId: string | null },
  action: TWorkOrderAction,
): TransitionCheck {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(order.status)) {
    return {
      isAllowed: false,
      reason: `${action} needs an order that is ${list(transition.from)}, and this one is ${order.status}.`,
    };
  }
  if (action === 'start' && order.lineId === null) {
    return { isAllowed: false, reason: 'start needs a line: dispatch the order to a line first.' };
  }
  return { isAllowed: true, to: transition.to === 'unchanged' ? order.status : transition.to };
}

export function canEdit(status: TWorkOrderStatus): boolean {
  return EDITABLE_STATUSES.includes(status);
}

export function canDelete(status: TWorkOrderStatus): boolean {
  return status === 'DRAFT';
}

export function canAdjust(status: TWorkOrderStatus): boolean {
  return ADJUSTABLE_STATUSES.includes(status);
}

/** The verb of the audit action for a transition: `work-order.released`, `…dispatched`, `…started`. */
export const TRANSITION_AUDIT_VERB: Record<TWorkOrderAction, string> = {
  release: 'released',
  dispatch: 'dispatched',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  complete: 'completed',
  cancel: 'cancelled',
};
