// What the work-order page shows, kept in the URL's search parameters (pure): the status view, the line and
// product filters, the order open in the drawer and whether the create form is open. A link to one order can be
// sent to a colleague, and the back button closes the drawer. Anything unreadable falls back to its default.
import { z } from 'zod';
import { OPEN_WORK_ORDER_STATUSES, type TWorkOrder, type TWorkOrderStatus } from '@takt/contracts';

/** The status views, each named in the catalogue as `wo.view.<id>` (tab) and `wo.listTitle.<id>` (list). */
export const WORK_ORDER_VIEWS = [
  { id: 'open', statuses: OPEN_WORK_ORDER_STATUSES },
  { id: 'running', statuses: ['IN_PROGRESS', 'PAUSED'] },
  { id: 'backlog', statuses: ['RELEASED', 'DRAFT'] },
  { id: 'completed', statuses: ['COMPLETED'] },
  { id: 'cancelled', statuses: ['CANCELLED'] },
] as const satisfies readonly { id: string; statuses: readonly TWorkOrderStatus[] }[];

export type TWorkOrderViewId = (typeof WORK_ORDER_VIEWS)[number]['id'];

export const DEFAULT_VIEW: TWorkOrderViewId = 'open';

/**
 * Whether a view is a subset of the open orders, which the page holds in full (one query, filtered on screen);
 * the closed views are read from the API a page at a time.
 */
export function isOpenView(view: TWorkOrderViewId): boolean {
  return view === 'open' || view === 'running' || view === 'backlog';
}

export function statusesOfView(view: TWorkOrderViewId): readonly TWorkOrderStatus[] {
  return WORK_ORDER_VIEWS.find((candidate) => candidate.id === view)?.statuses ?? OPEN_WORK_ORDER_STATUSES;
}

export type TWorkOrdersViewState = {
  view: TWorkOrderViewId;
  lineId: string | null;
  productId: string | null;
  /** The order open in the drawer. */
  orderId: string | null;
  isCreating: boolean;
};

const ZId = z.uuid();
const ZView = z.enum(WORK_ORDER_VIEWS.map((view) => view.id) as [TWorkOrderViewId, ...TWorkOrderViewId[]]);

const idOrNull = (value: string | null) => {
  const parsed = ZId.safeParse(value);
  return parsed.success ? parsed.data : null;
};

export function parseViewState(search: URLSearchParams): TWorkOrdersViewState {
  const view = ZView.safeParse(search.get('view'));
  return {
    view: view.success ? view.data : DEFAULT_VIEW,
    lineId: idOrNull(search.get('line')),
    productId: idOrNull(search.get('product')),
    orderId: idOrNull(search.get('order')),
    isCreating: search.get('new') === '1',
  };
}

/** The search parameters of a state, defaults left out, in a fixed order (stable, readable links). */
export function searchOfViewState(state: TWorkOrdersViewState): URLSearchParams {
  const search = new URLSearchParams();
  if (state.view !== DEFAULT_VIEW) search.set('view', state.view);
  if (state.lineId !== null) search.set('line', state.lineId);
  if (state.productId !== null) search.set('product', state.productId);
  if (state.orderId !== null) search.set('order', state.orderId);
  if (state.isCreating) search.set('new', '1');
  return search;
}

export type TStatusGroup = { status: TWorkOrderStatus; orders: TWorkOrder[] };

const dueMsOf = (order: TWorkOrder) => (order.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(order.dueAt));

/**
 * Open orders grouped by status in board order (running, paused, released, draft), each group by due date
 * (soonest first, undated last), then by number.
 */
export function groupOpenOrders(orders: readonly TWorkOrder[]): TStatusGroup[] {
  return OPEN_WORK_ORDER_STATUSES.map((status) => ({
    status,
    orders: orders
      .filter((order) => order.status === status)
      .sort((a, b) => dueMsOf(a) - dueMsOf(b) || a.number.localeCompare(b.number)),
  })).filter((group) => group.orders.length > 0);
}
