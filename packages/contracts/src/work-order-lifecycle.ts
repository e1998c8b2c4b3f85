// The work-order lifecycle, once for the API and the web app (docs/domain.md "Work orders"):
//   DRAFT → RELEASED → IN_PROGRESS ⇄ PAUSED → COMPLETED, and CANCELLED from any open state.
// COMPLETED is reachable from IN_PROGRESS and from PAUSED (an order paused at its last part is finished
// without a pointless resume). Dispatch is no status change: it assigns a RELEASED order to a line (again, to
// move it, until it starts), and start needs that line. The API checks every change here and answers 409 with
// the refusal's reason; the web app offers only the steps this module allows.
import { hasRole, type TRole } from './roles.contract.ts';
import type { TWorkOrderAction, TWorkOrderStatus } from './work-order.contract.ts';

type TTransition = { from: readonly TWorkOrderStatus[]; to: TWorkOrderStatus | 'unchanged' };

const TRANSITIONS: Record<TWorkOrderAction, TTransition> = {
  release: { from: ['DRAFT'], to: 'RELEASED' },
  dispatch: { from: ['RELEASED'], to: 'unchanged' },
  start: { from: ['RELEASED'], to: 'IN_PROGRESS' },
  pause: { from: ['IN_PROGRESS'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'IN_PROGRESS' },
  complete: { from: ['IN_PROGRESS', 'PAUSED'], to: 'COMPLETED' },
  cancel: { from: ['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED'], to: 'CANCELLED' },
};

/** Open statuses, most active first (running, paused, released, draft): the order a supervisor reads a board in. */
export const OPEN_WORK_ORDER_STATUSES = ['IN_PROGRESS', 'PAUSED', 'RELEASED', 'DRAFT'] as const;

/** Statuses in which an order holds its line: a line runs at most one such order. */
export const LINE_HOLDING_STATUSES = ['IN_PROGRESS', 'PAUSED'] as const;

/** The least role that may change work orders (create, plan, lifecycle steps, adjustments). */
export const WORK_ORDER_WRITE_ROLE: TRole = 'SUPERVISOR';

/** The order in which the next steps of an order are offered: the likely step first, cancel last. */
const ACTION_ORDER: readonly TWorkOrderAction[] = [
  'release',
  'start',
  'resume',
  'pause',
  'complete',
  'dispatch',
  'cancel',
];

/** Whether an order in `status` is still open (neither completed nor cancelled). */
export function isOpenWorkOrderStatus(status: TWorkOrderStatus): boolean {
  return (OPEN_WORK_ORDER_STATUSES as readonly TWorkOrderStatus[]).includes(status);
}

/** Whether an order in `status` holds its line. */
export function holdsLine(status: TWorkOrderStatus): boolean {
  return (LINE_HOLDING_STATUSES as readonly TWorkOrderStatus[]).includes(status);
}

export type TTransitionCheck = { isAllowed: true; to: TWorkOrderStatus } | { isAllowed: false; reason: string };

const list = (statuses: readonly TWorkOrderStatus[]): string =>
  statuses.length === 1 ? (statuses[0] ?? '') : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1) ?? ''}`;

/** Whether `action` may happen to an order in `order.status` (with or without a line), and the status it leads to. */
export function checkTransition(
  order: { status: TWorkOrderStatus; lineId: string | null },
  action: TWorkOrderAction,
): TTransitionCheck {
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

/** Whether `role` may change work orders at all. */
export function canChangeWorkOrders(role: TRole): boolean {
  return hasRole(role, WORK_ORDER_WRITE_ROLE);
}

/**
 * The lifecycle steps `role` may take next with an order, likely first: none for a viewer or a closed order;
 * start only once the order has a line.
 */
export function nextWorkOrderActions(
  order: { status: TWorkOrderStatus; lineId: string | null },
  role: TRole,
): TWorkOrderAction[] {
  if (!canChangeWorkOrders(role)) return [];
  return ACTION_ORDER.filter((action) => checkTransition(order, action).isAllowed);
}

/** Number, product, target and due date change only while the order is planned (DRAFT or RELEASED). */
export function canEditWorkOrderPlan(status: TWorkOrderStatus): boolean {
  return status === 'DRAFT' || status === 'RELEASED';
}

/** Only a draft is deleted; anything later has a history and is cancelled instead. */
export function canDeleteWorkOrder(status: TWorkOrderStatus): boolean {
  return status === 'DRAFT';
}

/** Counts are adjusted by hand once the order has run, completed orders included (final inspection comes late). */
export function canAdjustWorkOrderCounts(status: TWorkOrderStatus): boolean {
  return status === 'IN_PROGRESS' || status === 'PAUSED' || status === 'COMPLETED';
}

/** What a recorded transition was: `create` for the first entry, else the action that made it (null: none could). */
export function actionOfTransition(transition: {
  fromStatus: TWorkOrderStatus | null;
  toStatus: TWorkOrderStatus;
}): TWorkOrderAction | 'create' | null {
  const { fromStatus, toStatus } = transition;
  if (fromStatus === null) return 'create';
  const action = ACTION_ORDER.find((candidate) => {
    const { from, to } = TRANSITIONS[candidate];
    return from.includes(fromStatus) && (to === 'unchanged' ? fromStatus === toStatus : to === toStatus);
  });
  return action ?? null;
}

/** The past-tense verb of each action, as the audit log names it: `work-order.released`, `…dispatched`. */
export const WORK_ORDER_ACTION_PAST_TENSE: Record<TWorkOrderAction, string> = {
  release: 'released',
  dispatch: 'dispatched',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  complete: 'completed',
  cancel: 'cancelled',
};
