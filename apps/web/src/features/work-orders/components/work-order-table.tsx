// The orders as a table: one row per order with its line, product, progress against target, scrap, run rate,
// projected finish and due date, all times in the plant's local time. Orders come grouped by status under heading
// rows (open ones in board order); a click on a row opens the order's drawer.
import type { TWorkOrder, TWorkOrderStatus } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { NO_VALUE } from '../../../lib/format.ts';
import { DueCell, ProductCode, ProgressBar } from './work-order-badges.tsx';
import { timeZoneOfOrder } from './work-order-lines.ts';
import { productTextOf, type TOrderLookup } from './work-order-lookup.ts';

/** Orders of one status under a heading row: the table has no status column, the heading says it. */
export type TOrderGroup = {
  status: TWorkOrderStatus;
  orders: TWorkOrder[];
  /** More orders of the status exist than are loaded: the count reads "100+". */
  hasMore?: boolean;
};

const COLUMN_COUNT = 7;

/** When a completed order finished, when a cancelled one was cancelled (its last change), else the projection. */
function finishOf(order: TWorkOrder): string | null {
  if (order.status === 'COMPLETED') return order.completedAt;
  if (order.status === 'CANCELLED') return order.updatedAt;
  return order.production.projectedFinishAt;
}

function OrderRow({
  order,
  lookup,
  nowMs,
  isSelected,
  onOpen,
}: {
  order: TWorkOrder;
  lookup: TOrderLookup;
  nowMs: number;
  isSelected: boolean;
  onOpen: (id: string) => void;
}) {
  const { t, format } = useI18n();
  const place = lookup.places.find((p) => p.id === order.lineId);
  const zone = timeZoneOfOrder(order.lineId, lookup.places, lookup.fallbackZone);
  const product = productTextOf(order.productId, lookup);
  const isOpenRun = order.status === 'IN_PROGRESS' || order.status === 'PAUSED';
  return (
    <tr
      className={isSelected ? 'wo-row is-clickable is-selected' : 'wo-row is-clickable'}
      onClick={() => onOpen(order.id)}
      data-testid={`work-order-row-${order.number}`}
    >
      <th scope="row">
        {/* The button makes the row reachable by keyboard; its click bubbles to the row. */}
        <button type="button" className="wo-number-button">
          {order.number}
        </button>
        <span className="wo-cell-sub" title={product.name}>
          <ProductCode code={product.code} />
          {product.name === '' ? '' : <span translate="no"> · {product.name}</span>}
        </span>
      </th>
      <td>
        {order.lineId === null ? (
          <span className="cell-note">{t('wo.notDispatched')}</span>
        ) : (
          <>
            {place === undefined ? (
              <span className="wo-cell-main">{t('wo.archivedLine')}</span>
            ) : (
              <span className="wo-cell-main" translate="no">
                {place.name}
              </span>
            )}
            {place === undefined ? null : (
              <span className="wo-cell-sub" translate="no">
                {place.siteName}
              </span>
            )}
          </>
        )}
      </td>
      <td className="wo-progress-cell">
        <ProgressBar order={order} />
      </td>
      <td className="is-numeric">{format.count(order.production.scrapCount)}</td>
      <td className="is-numeric">
        {isOpenRun || order.status === 'COMPLETED' ? format.runRate(order.production.runRatePartsPerHour) : NO_VALUE}
      </td>
      <td className="is-numeric">{format.plantDateTimeShort(finishOf(order), zone, nowMs)}</td>
      <td>
        <DueCell order={order} nowMs={nowMs} timeZone={zone} />
      </td>
    </tr>
  );
}

export function WorkOrderTable({
  groups,
  lookup,
  nowMs,
  selectedId,
  onOpen,
  caption,
  finishLabel,
}: {
  groups: readonly TOrderGroup[];
  lookup: TOrderLookup;
  nowMs: number;
  selectedId: string | null;
  onOpen: (id: string) => void;
  caption: string;
  /** "Projected finish" for open orders, "Completed" or "Cancelled" for closed ones. */
  finishLabel: string;
}) {
  const { t } = useI18n();
  return (
    <div className="wo-table-scroll">
      <table className="data-table wo-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wo.column.order')}</th>
            <th scope="col">{t('common.line')}</th>
            <th scope="col">{t('wo.column.progress')}</th>
            <th scope="col" className="is-numeric">
              {t('common.scrap')}
            </th>
            <th scope="col" className="is-numeric">
              {t('wo.column.runRate')}
            </th>
            <th scope="col" className="is-numeric">
              {finishLabel}
            </th>
            <th scope="col">{t('wo.column.due')}</th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.status}>
            <tr className="wo-group-row">
              <th scope="colgroup" colSpan={COLUMN_COUNT}>
                {t(`wo.status.${group.status}`)}{' '}
                <span className="wo-group-count">
                  {group.orders.length}
                  {group.hasMore === true ? '+' : ''}
                </span>
              </th>
            </tr>
            {group.orders.map((order) => (
              <OrderRow
                key={order.id}
                order={order}
                lookup={lookup}
                nowMs={nowMs}
                isSelected={order.id === selectedId}
                onOpen={onOpen}
              />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
