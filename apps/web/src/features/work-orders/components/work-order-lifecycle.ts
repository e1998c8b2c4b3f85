// The work-order lifecycle as the page offers it (pure): DRAFT → RELEASED → IN_PROGRESS ⇄ PAUSED → COMPLETED, and
// CANCELLED from any open state (DESIGN.md "Work orders"). The drawer shows only the next steps an order's status
// allows, so nobody clicks a button the server is bound to refuse; the server still checks every step (409).
import type { TWorkOrder, TWorkOrderAction, TWorkOrderStatus, TWorkOrderTransition } from '@takt/contracts';
import { formatCount, formatProgress } from './work-order-format.ts';

export const STATUS_LABELS: Record<TWorkOrderStatus, string> = {
  DRAFT: 'Draft',
  RELEASED: 'Released',
  IN_PROGRESS: 'In progress',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** Open statuses in the order a supervisor reads the board: what runs, what waits, what is still planned. */
export const OPEN_STATUSES = ['IN_PROGRESS', 'PAUSED', 'RELEASED', 'DRAFT'] as const satisfies TWorkOrderStatus[];

/** An order in one of these holds its line: a line runs one order at a time. */
export const LINE_HOLDING_STATUSES: readonly TWorkOrderStatus[] = ['IN_PROGRESS', 'PAUSED'];

export function isOpenStatus(status: TWorkOrderStatus): boolean {
  return (OPEN_STATUSES as readonly TWorkOrderStatus[]).includes(status);
}

export function holdsLine(status: TWorkOrderStatus): boolean {
  return LINE_HOLDING_STATUSES.includes(status);
}

type TOrderState = Pick<TWorkOrder, 'status' | 'lineId'>;

/**
 * The lifecycle steps an order can take next, most likely first. Dispatch is offered while RELEASED (again, to
 * move the order to another line until it starts); start only once the order has a line.
 */
export function nextActionsOf(order: TOrderState): TWorkOrderAction[] {
  switch (order.status) {
    case 'DRAFT':
      return ['release', 'cancel'];
    case 'RELEASED':
      return order.lineId === null ? ['dispatch', 'cancel'] : ['start', 'dispatch', 'cancel'];
    case 'IN_PROGRESS':
      return ['pause', 'complete', 'cancel'];
    case 'PAUSED':
      return ['resume', 'complete', 'cancel'];
    case 'COMPLETED':
    case 'CANCELLED':
      return [];
  }
}

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
export function startBlockerOf(order: TOrderState): string | null {
  return order.status === 'RELEASED' && order.lineId === null
    ? 'Dispatch the order to a line before it can start.'
    : null;
}

/** Number, product, target and due date change only while the order is planned. */
export function canEditPlan(status: TWorkOrderStatus): boolean {
  return status === 'DRAFT' || status === 'RELEASED';
}

/** Only a draft is deleted; anything later has a history and is cancelled instead. */
export function canDelete(status: TWorkOrderStatus): boolean {
  return status === 'DRAFT';
}

/** Counts are corrected once the order has run, completed orders included (final inspection comes late). */
export function canAdjustCounts(status: TWorkOrderStatus): boolean {
  return status === 'IN_PROGRESS' || status === 'PAUSED' || status === 'COMPLETED';
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

/** What a history entry was, in the words of the buttons that made it. */
export function transitionLabelOf(transition: Pick<TWorkOrderTransition, 'fromStatus' | 'toStatus'>): string {
  const { fromStatus, toStatus } = transition;
  if (fromStatus === null) return 'Created';
  // Dispatch is recorded as RELEASED → RELEASED: it assigns a line, the status stays.
  if (fromStatus === toStatus) return 'Dispatched';
  if (toStatus === 'RELEASED') return 'Released';
  if (toStatus === 'IN_PROGRESS') return fromStatus === 'PAUSED' ? 'Resumed' : 'Started';
  if (toStatus === 'PAUSED') return 'Paused';
  if (toStatus === 'COMPLETED') return 'Completed';
  if (toStatus === 'CANCELLED') return 'Cancelled';
  return STATUS_LABELS[toStatus];
}

export type TStatusGroup = { status: TWorkOrderStatus; orders: TWorkOrder[] };

const dueMsOf = (order: TWorkOrder) => (order.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(order.dueAt));

/**
 * Open orders grouped by status in board order (running, paused, released, draft), each group by due date
 * (soonest first, undated last), then by number.
 */
export function groupOpenOrders(orders: readonly TWorkOrder[]): TStatusGroup[] {
  return OPEN_STATUSES.map((status) => ({
    status,
    orders: orders
      .filter((order) => order.status === status)
      .sort((a, b) => dueMsOf(a) - dueMsOf(b) || a.number.localeCompare(b.number)),
  })).filter((group) => group.orders.length > 0);
}
