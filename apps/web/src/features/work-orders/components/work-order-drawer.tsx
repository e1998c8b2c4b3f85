// One order in a side panel: what it is (product, line, target, due), how far it is (good vs target, scrap, run
// time, run rate, projected finish in the plant's local time, where the counts come from), the next steps and the
// count adjustment for supervisors, its plan while it can still change, and its status history.
import { useId, useState } from 'react';
import {
  canAdjustWorkOrderCounts,
  canChangeWorkOrders,
  canDeleteWorkOrder,
  canEditWorkOrderPlan,
  isOpenWorkOrderStatus,
  type TRole,
  type TWorkOrder,
  type TWorkOrderTransition,
} from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useDeleteWorkOrder } from '../api/delete-work-order.ts';
import { useWorkOrder } from '../api/get-work-order.ts';
import { useWorkOrderAdjustments } from '../api/get-work-order-adjustments.ts';
import { useWorkOrderTransitions } from '../api/get-work-order-transitions.ts';
import { DueFlag, ProgressBar, StatusChip } from './work-order-badges.tsx';
import { WorkOrderActions } from './work-order-actions.tsx';
import { WorkOrderAdjustForm } from './work-order-adjust-form.tsx';
import {
  actionErrorMessage,
  countSourceTextOf,
  formatCount,
  formatDueIn,
  formatPlantDateTimeLong,
  formatRunRate,
  formatSignedCount,
  NO_VALUE,
} from './work-order-format.ts';
import { transitionLabelOf } from './work-order-steps.ts';
import { timeZoneOfOrder, type TZoneChoice } from './work-order-lines.ts';
import { productTextOf, type TOrderLookup } from './work-order-lookup.ts';
import { WorkOrderPlanForm } from './work-order-plan-form.tsx';
import { SidePanel } from '../../../components/ui/side-panel.tsx';

export type TDrawerContext = {
  lookup: TOrderLookup;
  tree: TPlantTree | undefined;
  openOrders: readonly TWorkOrder[];
  zoneChoices: readonly TZoneChoice[];
  nowMs: number;
  onOpenOrder: (id: string) => void;
};

function Facts({ order, zone, context }: { order: TWorkOrder; zone: string; context: TDrawerContext }) {
  const { lookup, nowMs } = context;
  const product = productTextOf(order.productId, lookup);
  const place = lookup.places.find((p) => p.id === order.lineId);
  return (
    <dl className="wo-facts">
      <div>
        <dt>Product</dt>
        <dd>
          {product.code}
          {product.name === '' ? null : <span className="wo-cell-sub">{product.name}</span>}
        </dd>
      </div>
      <div>
        <dt>Line</dt>
        <dd>
          {order.lineId === null ? (
            <span className="cell-note">Not dispatched</span>
          ) : (
            <>
              {place?.name ?? 'Archived line'}
              {place === undefined ? null : (
                <span className="wo-cell-sub">
                  {place.siteName} · {place.areaName}
                </span>
              )}
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>Target</dt>
        <dd>{formatCount(order.targetQuantity)} good parts</dd>
      </div>
      <div>
        <dt>Due</dt>
        <dd>
          {order.dueAt === null ? (
            <span className="cell-note">No due date</span>
          ) : (
            <>
              <span className="wo-due">
                {formatPlantDateTimeLong(order.dueAt, zone)} <DueFlag order={order} nowMs={nowMs} />
              </span>
              {isOpenWorkOrderStatus(order.status) ? (
                <span className="wo-cell-sub">{formatDueIn(Date.parse(order.dueAt), nowMs)}</span>
              ) : null}
            </>
          )}
        </dd>
      </div>
    </dl>
  );
}

function Progress({ order, zone, context }: { order: TWorkOrder; zone: string; context: TDrawerContext }) {
  const p = order.production;
  const outputMachine =
    p.outputMachineId === null ? null : (context.lookup.machineNameById.get(p.outputMachineId) ?? null);
  const hasAdjustments = p.adjustmentGoodCount !== 0 || p.adjustmentScrapCount !== 0;
  const figures: [string, string][] = [
    ['Good', formatCount(p.goodCount)],
    ['Scrap', formatCount(p.scrapCount)],
    ['Run time', p.runTimeSec > 0 ? formatDuration(p.runTimeSec) : NO_VALUE],
    ['Run rate', formatRunRate(p.runRatePartsPerHour)],
    ['Remaining run time', p.remainingRunTimeSec === null ? NO_VALUE : formatDuration(p.remainingRunTimeSec)],
    order.status === 'COMPLETED'
      ? ['Completed', formatPlantDateTimeLong(order.completedAt, zone)]
      : ['Projected finish', formatPlantDateTimeLong(p.projectedFinishAt, zone)],
  ];
  return (
    <section aria-label="Progress">
      <h3>Progress</h3>
      <ProgressBar order={order} isLarge />
      <dl className="wo-figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-testid={`work-order-${label.toLowerCase().replace(/ /g, '-')}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="cell-note">
        {countSourceTextOf(order, outputMachine)}
        {order.startedAt === null ? null : ` Started ${formatPlantDateTimeLong(order.startedAt, zone)}.`}
        {order.status === 'PAUSED' ? ' Paused: no finish is projected until it resumes.' : null}
      </p>
      {hasAdjustments ? (
        <p className="cell-note" data-testid="work-order-adjustments">
          Includes manual adjustments: good {formatSignedCount(p.adjustmentGoodCount)}, scrap{' '}
          {formatSignedCount(p.adjustmentScrapCount)} (counted: {formatCount(p.countedGoodCount)} good,{' '}
          {formatCount(p.countedScrapCount)} scrap).
        </p>
      ) : null}
      <AdjustmentList orderId={order.id} zone={zone} />
    </section>
  );
}

/** Each manual correction with who made it, when and why (the totals above sum them). */
function AdjustmentList({ orderId, zone }: { orderId: string; zone: string }) {
  const adjustments = useWorkOrderAdjustments(orderId);
  if (adjustments.data === undefined || adjustments.data.items.length === 0) return null;
  return (
    <ul className="wo-history" aria-label="Manual adjustments">
      {[...adjustments.data.items].reverse().map((adjustment) => (
        <li key={adjustment.id}>
          <span className="wo-history-when">{formatPlantDateTimeLong(adjustment.at, zone)}</span>
          <span>
            <strong>
              good {formatSignedCount(adjustment.goodDelta)}, scrap {formatSignedCount(adjustment.scrapDelta)}
            </strong>
            <span className="cell-note"> by {adjustment.actorLabel ?? 'the system'}</span>
          </span>
          <q className="wo-history-note">{adjustment.reason}</q>
        </li>
      ))}
    </ul>
  );
}

function History({ orderId, zone }: { orderId: string; zone: string }) {
  const transitions = useWorkOrderTransitions(orderId);
  if (transitions.data === undefined) {
    return (
      <p className="panel-muted">
        {transitions.isError ? `Could not load the history: ${transitions.error.message}` : 'Loading the history…'}
      </p>
    );
  }
  // Newest first: the last step is what a supervisor opening the order wants to know.
  const items: TWorkOrderTransition[] = [...transitions.data.items].reverse();
  return (
    <ol className="wo-history" aria-label="Status history">
      {items.map((transition) => (
        <li key={transition.id}>
          <span className="wo-history-when">{formatPlantDateTimeLong(transition.at, zone)}</span>
          <span>
            <strong>{transitionLabelOf(transition)}</strong>
            <span className="cell-note"> by {transition.actorLabel ?? 'the system'}</span>
          </span>
          {transition.note === null ? null : <q className="wo-history-note">{transition.note}</q>}
        </li>
      ))}
    </ol>
  );
}

function DeleteDraft({ order, onDeleted }: { order: TWorkOrder; onDeleted: () => void }) {
  const [isConfirming, setIsConfirming] = useState(false);
  const remove = useDeleteWorkOrder({ onSuccess: onDeleted });
  return (
    <div className="wo-delete">
      {isConfirming ? (
        <div className="wo-confirm" role="alertdialog" aria-label={`Delete ${order.number}`}>
          <p>Delete the draft {order.number}? It is removed for good (it has never been released).</p>
          <div className="wo-action-buttons">
            <button
              type="button"
              className="button wo-button-danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: order.id, version: order.version })}
            >
              Yes, delete
            </button>
            <button type="button" className="button button-small" onClick={() => setIsConfirming(false)}>
              No, keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button-small" onClick={() => setIsConfirming(true)}>
          Delete draft…
        </button>
      )}
      {remove.isError ? (
        <p className="form-alert" role="alert">
          {actionErrorMessage(remove.error)}
        </p>
      ) : null}
    </div>
  );
}

function DrawerBody({
  order,
  role,
  context,
  onClose,
}: {
  order: TWorkOrder;
  role: TRole;
  context: TDrawerContext;
  onClose: () => void;
}) {
  const id = useId();
  const canWrite = canChangeWorkOrders(role);
  const [isEditing, setIsEditing] = useState(false);
  const zone = timeZoneOfOrder(order.lineId, context.lookup.places, context.lookup.fallbackZone);
  return (
    <>
      {isEditing && canEditWorkOrderPlan(order.status) ? (
        <section aria-labelledby={`${id}-plan`}>
          <h3 id={`${id}-plan`}>Plan</h3>
          <WorkOrderPlanForm
            order={order}
            products={[...context.lookup.productById.values()]}
            zoneChoices={context.zoneChoices}
            initialZone={zone}
            onSaved={() => setIsEditing(false)}
            onCancel={() => setIsEditing(false)}
          />
        </section>
      ) : (
        <section aria-labelledby={`${id}-plan`}>
          <div className="wo-section-head">
            <h3 id={`${id}-plan`}>Plan</h3>
            {canWrite && canEditWorkOrderPlan(order.status) ? (
              <button type="button" className="button button-small" onClick={() => setIsEditing(true)}>
                Edit plan
              </button>
            ) : null}
          </div>
          <Facts order={order} zone={zone} context={context} />
        </section>
      )}

      <Progress order={order} zone={zone} context={context} />

      {canWrite && isOpenWorkOrderStatus(order.status) ? (
        <WorkOrderActions
          key={order.id}
          order={order}
          role={role}
          places={context.lookup.places}
          openOrders={context.openOrders}
          tree={context.tree}
          onOpenOrder={context.onOpenOrder}
        />
      ) : null}

      {canWrite && canAdjustWorkOrderCounts(order.status) ? (
        <details className="wo-details">
          <summary>Adjust counts</summary>
          <WorkOrderAdjustForm key={order.id} order={order} />
        </details>
      ) : null}

      {canWrite && canDeleteWorkOrder(order.status) ? <DeleteDraft order={order} onDeleted={onClose} /> : null}

      {canWrite ? null : (
        <p className="wo-read-only" role="note">
          Read only: supervisors release, dispatch, start and adjust work orders.
        </p>
      )}

      <section aria-labelledby={`${id}-history`}>
        <h3 id={`${id}-history`}>History</h3>
        <p className="cell-note">Times in {zone}.</p>
        <History orderId={order.id} zone={zone} />
      </section>
    </>
  );
}

export function WorkOrderDrawer({
  orderId,
  role,
  context,
  onClose,
}: {
  orderId: string;
  role: TRole;
  context: TDrawerContext;
  onClose: () => void;
}) {
  const order = useWorkOrder(orderId);
  const data = order.data;
  return (
    <SidePanel
      titleId="work-order-drawer-title"
      title={data?.number ?? 'Work order'}
      badge={data === undefined ? undefined : <StatusChip status={data.status} />}
      subtitle={
        data === undefined
          ? undefined
          : `${productTextOf(data.productId, context.lookup).code} · version ${data.version}`
      }
      onClose={onClose}
    >
      {data === undefined ? (
        <p className="panel-muted" role={order.isError ? 'alert' : 'status'}>
          {order.isError ? `Could not load the order: ${actionErrorMessage(order.error)}` : 'Loading the order…'}
        </p>
      ) : (
        <DrawerBody order={data} role={role} context={context} onClose={onClose} />
      )}
    </SidePanel>
  );
}
