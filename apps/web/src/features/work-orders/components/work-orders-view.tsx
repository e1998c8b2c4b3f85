// The work-order page: the open orders grouped by status with the line board above them (what each line runs now,
// how far it is, what waits for it), the completed and cancelled orders a page at a time, filters by line and
// product, the drawer of one order and the create form. Everything it shows is in the URL; the live stream
// refreshes it when anyone changes an order, and running orders' counts are re-read every 30 s.
import { useMemo } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { canChangeWorkOrders, OPEN_WORK_ORDER_STATUSES, type TRole, type TWorkOrder } from '@takt/contracts';
import { usePlantTree } from '../../../lib/get-plant-tree.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import type { TLiveConnection } from '../../../lib/live-stream.ts';
import { useNow } from '../../../lib/use-now.ts';
import { BROWSER_TIME_ZONE } from '../../../lib/zoned-time.ts';
import { useProducts } from '../api/get-products.ts';
import { useWorkOrderPages, useWorkOrders, type TWorkOrderListParams } from '../api/get-work-orders.ts';
import { useWorkOrderLiveUpdates } from '../hooks/use-work-order-live-updates.ts';
import { LineBoard } from './line-board.tsx';
import { SidePanel } from '../../../components/ui/side-panel.tsx';
import { WorkOrderDrawer, type TDrawerContext } from './work-order-drawer.tsx';
import { lineCardsOf, lineGroupsOf, timeZoneOfOrder, zoneChoicesOf } from './work-order-lines.ts';
import { orderLookupOf } from './work-order-lookup.ts';
import { WorkOrderPlanForm } from './work-order-plan-form.tsx';
import { WorkOrderTable, type TOrderGroup } from './work-order-table.tsx';
import {
  groupOpenOrders,
  isOpenView,
  parseViewState,
  searchOfViewState,
  statusesOfView,
  WORK_ORDER_VIEWS,
  type TWorkOrderViewId,
  type TWorkOrdersViewState,
} from './work-orders-view-state.ts';

/** Late flags turn on without a reload: the clock ticks once a minute. */
const CLOCK_TICK_MS = 60_000;
const OPEN_PARAMS: TWorkOrderListParams = { statuses: OPEN_WORK_ORDER_STATUSES, lineId: null, productId: null };

/** History state marking a panel this page opened itself, so that closing it can simply go back. */
type TPanelHistoryState = { isPanelPushed?: boolean } | null;

/** Opening and closing the panels (drawer, create form) through the URL, like the browser's back button would. */
function usePanelNavigation(state: TWorkOrdersViewState) {
  const [, setSearchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const isPushed = (location.state as TPanelHistoryState)?.isPanelPushed === true;

  function go(next: TWorkOrdersViewState, options: { replace?: boolean; state?: TPanelHistoryState } = {}) {
    setSearchParams(searchOfViewState(next), options);
  }

  /** Opens a panel: a new history entry from the list, a replacement when another panel is already open. */
  function openPanel(next: TWorkOrdersViewState) {
    const isPanelOpen = state.orderId !== null || state.isCreating;
    const historyState: TPanelHistoryState = { isPanelPushed: isPanelOpen ? isPushed : true };
    go(next, { replace: isPanelOpen, state: historyState });
  }

  function closePanel() {
    if (isPushed) void navigate(-1);
    else go({ ...state, orderId: null, isCreating: false }, { replace: true });
  }

  return { go, openPanel, closePanel };
}

function LiveIndicator({ connection }: { connection: TLiveConnection }) {
  const { t } = useI18n();
  return (
    <span className={`wo-live is-${connection}`} role="status" data-testid="work-orders-live">
      <span className="wo-live-dot" aria-hidden="true" />
      {t(`wo.live.${connection}`)}
    </span>
  );
}

/** The "New work order" button of the page header (supervisors only): opens the create form. */
export function NewWorkOrderButton() {
  const { t } = useI18n();
  const [searchParams] = useSearchParams();
  const state = parseViewState(searchParams);
  const { openPanel } = usePanelNavigation(state);
  return (
    <button
      type="button"
      className="button button-primary"
      onClick={() => openPanel({ ...state, orderId: null, isCreating: true })}
    >
      {t('wo.new')}
    </button>
  );
}

export function WorkOrdersView({ role }: { role: TRole }) {
  const { t, errorText } = useI18n();
  const canWrite = canChangeWorkOrders(role);
  const [searchParams] = useSearchParams();
  const state = useMemo(() => parseViewState(searchParams), [searchParams]);
  const { go, openPanel, closePanel } = usePanelNavigation(state);
  const tree = usePlantTree();
  const products = useProducts();
  const open = useWorkOrders(OPEN_PARAMS);
  const isOpen = isOpenView(state.view);
  const closed = useWorkOrderPages(
    isOpen ? null : { statuses: statusesOfView(state.view), lineId: state.lineId, productId: state.productId },
  );
  const connection = useWorkOrderLiveUpdates();
  const nowMs = useNow(CLOCK_TICK_MS);
  const lookup = useMemo(() => orderLookupOf(tree.data, products.data, BROWSER_TIME_ZONE), [tree.data, products.data]);
  const zoneChoices = useMemo(() => zoneChoicesOf(lookup.places), [lookup.places]);
  const lineGroups = useMemo(() => lineGroupsOf(lookup.places), [lookup.places]);

  const openOrders = open.data?.items ?? [];
  const matchesFilters = (order: TWorkOrder) =>
    (state.lineId === null || order.lineId === state.lineId) &&
    (state.productId === null || order.productId === state.productId);
  const filteredOpen = openOrders.filter(matchesFilters);
  const countOf = (view: TWorkOrderViewId): number | null =>
    isOpenView(view) ? filteredOpen.filter((order) => statusesOfView(view).includes(order.status)).length : null;

  const groups: TOrderGroup[] = isOpen
    ? groupOpenOrders(filteredOpen.filter((order) => statusesOfView(state.view).includes(order.status)))
    : [
        {
          status: state.view === 'cancelled' ? 'CANCELLED' : 'COMPLETED',
          orders: closed.data?.pages.flatMap((page) => page.items) ?? [],
          hasMore: closed.hasNextPage,
        },
      ];
  const orderCount = groups.reduce((sum, group) => sum + group.orders.length, 0);
  const list = isOpen ? open : closed;
  const listTitle = t(`wo.listTitle.${state.view}`);
  const sortedProducts = [...(products.data ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const filterLinePlace = lookup.places.find((place) => place.id === state.lineId);

  const openOrder = (id: string) => openPanel({ ...state, orderId: id, isCreating: false });
  const drawerContext: TDrawerContext = {
    lookup,
    tree: tree.data,
    openOrders,
    zoneChoices,
    nowMs,
    onOpenOrder: openOrder,
  };
  const createZone =
    filterLinePlace?.timeZone ?? timeZoneOfOrder(null, lookup.places, lookup.places[0]?.timeZone ?? BROWSER_TIME_ZONE);

  return (
    <div className="wo-page">
      <section className="panel wo-toolbar" aria-label={t('common.filters')}>
        <div className="wo-tabs" role="group" aria-label={t('wo.status')}>
          {WORK_ORDER_VIEWS.map((view) => {
            const count = countOf(view.id);
            return (
              <button
                key={view.id}
                type="button"
                className={view.id === state.view ? 'wo-tab is-active' : 'wo-tab'}
                aria-pressed={view.id === state.view}
                onClick={() => go({ ...state, view: view.id })}
              >
                {t(`wo.view.${view.id}`)}
                {count === null || open.data === undefined ? null : <span className="wo-tab-count">{count}</span>}
              </button>
            );
          })}
        </div>
        <div className="wo-filters">
          <label className="field">
            <span className="field-label">{t('common.line')}</span>
            <select
              className="field-input"
              value={state.lineId ?? ''}
              onChange={(event) => go({ ...state, lineId: event.target.value === '' ? null : event.target.value })}
            >
              <option value="">{t('wo.allLines')}</option>
              {lineGroups.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.lines.map((place) => (
                    <option key={place.id} value={place.id}>
                      {place.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('common.product')}</span>
            <select
              className="field-input"
              value={state.productId ?? ''}
              onChange={(event) => go({ ...state, productId: event.target.value === '' ? null : event.target.value })}
            >
              <option value="">{t('wo.allProducts')}</option>
              {sortedProducts.map((product) => {
                const text = t('wo.productOption', { code: product.code, name: product.name });
                return (
                  <option key={product.id} value={product.id}>
                    {product.archivedAt === null ? text : t('common.archived', { text })}
                  </option>
                );
              })}
            </select>
          </label>
        </div>
        <LiveIndicator connection={connection} />
      </section>

      {isOpen ? (
        <section className="panel" aria-labelledby="wo-board-title">
          <div className="wo-section-head">
            <h2 className="panel-title" id="wo-board-title">
              {t('wo.linesNow')}
            </h2>
            <span className="cell-note">{t('wo.linesNowNote')}</span>
          </div>
          {tree.data === undefined || open.data === undefined ? (
            <p className="panel-muted" role={tree.isError || open.isError ? 'alert' : 'status'}>
              {tree.isError
                ? t('common.couldNotLoadPlant', { message: errorText(tree.error) })
                : open.isError
                  ? t('wo.couldNotLoad', { message: errorText(open.error) })
                  : t('wo.loadingLines')}
            </p>
          ) : (
            <LineBoard
              cards={lineCardsOf(lookup.places, openOrders, state.lineId)}
              lookup={lookup}
              nowMs={nowMs}
              onOpen={openOrder}
            />
          )}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="wo-list-title">
        <div className="wo-section-head">
          <h2 className="panel-title" id="wo-list-title">
            {listTitle}
          </h2>
          <span className="cell-note">
            {isOpen ? t('wo.byStatus') : t('wo.newestFirst')}
            {list.isFetching && list.data !== undefined ? ` · ${t('common.updating')}` : ''}
          </span>
        </div>
        {list.data === undefined ? (
          <p className="panel-muted" role={list.isError ? 'alert' : 'status'}>
            {list.isError ? t('wo.couldNotLoad', { message: errorText(list.error) }) : t('wo.loading')}
          </p>
        ) : orderCount === 0 ? (
          <p className="panel-muted">{isOpen && canWrite ? t('wo.emptyCanCreate') : t('wo.emptyFiltered')}</p>
        ) : (
          <WorkOrderTable
            groups={groups}
            lookup={lookup}
            nowMs={nowMs}
            selectedId={state.orderId}
            onOpen={openOrder}
            caption={listTitle}
            finishLabel={
              state.view === 'completed'
                ? t('wo.status.COMPLETED')
                : state.view === 'cancelled'
                  ? t('wo.status.CANCELLED')
                  : t('wo.projectedFinish')
            }
          />
        )}
        {isOpen && open.data?.nextCursor != null ? (
          <p className="cell-note">{t('wo.showingNewest', { count: open.data.items.length })}</p>
        ) : null}
        {!isOpen && closed.hasNextPage ? (
          <button
            className="button button-small wo-load-more"
            type="button"
            disabled={closed.isFetchingNextPage}
            onClick={() => void closed.fetchNextPage()}
          >
            {t('wo.loadOlder')}
          </button>
        ) : null}
      </section>

      {state.orderId === null ? null : (
        <WorkOrderDrawer
          key={state.orderId}
          orderId={state.orderId}
          role={role}
          context={drawerContext}
          onClose={closePanel}
        />
      )}

      {state.isCreating && canWrite && state.orderId === null ? (
        <SidePanel
          titleId="work-order-create-title"
          title={t('wo.new')}
          subtitle={t('wo.newSubtitle')}
          onClose={closePanel}
        >
          {products.data === undefined ? (
            <p className="panel-muted" role="status">
              {t('wo.loadingProducts')}
            </p>
          ) : (
            <WorkOrderPlanForm
              order={null}
              products={products.data}
              zoneChoices={zoneChoices}
              initialZone={createZone}
              onSaved={(order) => openPanel({ ...state, isCreating: false, orderId: order.id })}
              onCancel={closePanel}
            />
          )}
        </SidePanel>
      ) : null}
    </div>
  );
}
