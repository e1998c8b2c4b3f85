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
import { NO_VALUE } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useDeleteWorkOrder } from '../api/delete-work-order.ts';
import { useWorkOrder } from '../api/get-work-order.ts';
import { useWorkOrderAdjustments } from '../api/get-work-order-adjustments.ts';
import { useWorkOrderTransitions } from '../api/get-work-order-transitions.ts';
import { DueFlag, ProductCode, ProgressBar, StatusChip } from './work-order-badges.tsx';
import { WorkOrderActions } from './work-order-actions.tsx';
import { WorkOrderAdjustForm } from './work-order-adjust-form.tsx';
import { actionErrorMessage, countSourceTextOf, formatDueIn } from './work-order-format.ts';
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

/** Who made a change: the person's name, or the system (an import, a rule). */
function actorText(actorLabel: string | null, t: ReturnType<typeof useI18n>['t']): string {
  return actorLabel === null ? t('wo.bySystem') : t('wo.by', { actor: actorLabel });
}

function Facts({ order, zone, context }: { order: TWorkOrder; zone: string; context: TDrawerContext }) {
  const i18n = useI18n();
  const { t, format } = i18n;
  const { lookup, nowMs } = context;
  const product = productTextOf(order.productId, lookup);
  const place = lookup.places.find((p) => p.id === order.lineId);
  return (
    <dl className="wo-facts">
      <div>
        <dt>{t('common.product')}</dt>
        <dd>
          <ProductCode code={product.code} />
          {product.name === '' ? null : (
            <span className="wo-cell-sub" translate="no">
              {product.name}
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('common.line')}</dt>
        <dd>
          {order.lineId === null ? (
            <span className="cell-note">{t('wo.notDispatched')}</span>
          ) : place === undefined ? (
            t('wo.archivedLine')
          ) : (
            <>
              <span translate="no">{place.name}</span>
              <span className="wo-cell-sub" translate="no">
                {place.siteName} · {place.areaName}
              </span>
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('wo.target')}</dt>
        <dd>{t('wo.goodParts', { quantity: format.count(order.targetQuantity) })}</dd>
      </div>
      <div>
        <dt>{t('wo.column.due')}</dt>
        <dd>
          {order.dueAt === null ? (
            <span className="cell-note">{t('wo.noDueDate')}</span>
          ) : (
            <>
              <span className="wo-due">
                {format.plantDateTimeLong(order.dueAt, zone)} <DueFlag order={order} nowMs={nowMs} />
              </span>
              {isOpenWorkOrderStatus(order.status) ? (
                <span className="wo-cell-sub">{formatDueIn(Date.parse(order.dueAt), nowMs, i18n)}</span>
              ) : null}
            </>
          )}
        </dd>
      </div>
    </dl>
  );
}

function Progress({ order, zone, context }: { order: TWorkOrder; zone: string; context: TDrawerContext }) {
  const { t, format } = useI18n();
  const p = order.production;
  const outputMachine =
    p.outputMachineId === null ? null : (context.lookup.machineNameById.get(p.outputMachineId) ?? null);
  const hasAdjustments = p.adjustmentGoodCount !== 0 || p.adjustmentScrapCount !== 0;
  // The id names the figure's test id, the same in every language.
  const figures: [id: string, label: string, value: string][] = [
    ['good', t('common.good'), format.count(p.goodCount)],
    ['scrap', t('common.scrap'), format.count(p.scrapCount)],
    ['run-time', t('wo.runTime'), p.runTimeSec > 0 ? format.duration(p.runTimeSec) : NO_VALUE],
    ['run-rate', t('wo.column.runRate'), format.runRate(p.runRatePartsPerHour)],
    [
      'remaining-run-time',
      t('wo.remainingRunTime'),
      p.remainingRunTimeSec === null ? NO_VALUE : format.duration(p.remainingRunTimeSec),
    ],
    order.status === 'COMPLETED'
      ? ['completed', t('wo.status.COMPLETED'), format.plantDateTimeLong(order.completedAt, zone)]
      : ['projected-finish', t('wo.projectedFinish'), format.plantDateTimeLong(p.projectedFinishAt, zone)],
  ];
  return (
    <section aria-label={t('wo.progress')}>
      <h3>{t('wo.progress')}</h3>
      <ProgressBar order={order} isLarge />
      <dl className="wo-figures">
        {figures.map(([id, label, value]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={`work-order-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="cell-note">
        {countSourceTextOf(order, outputMachine, t)}
        {order.startedAt === null
          ? null
          : ` ${t('wo.startedAt', { time: format.plantDateTimeLong(order.startedAt, zone) })}`}
        {order.status === 'PAUSED' ? ` ${t('wo.pausedNoFinish')}` : null}
      </p>
      {hasAdjustments ? (
        <p className="cell-note" data-testid="work-order-adjustments">
          {t('wo.includesAdjustments', {
            good: format.signedCount(p.adjustmentGoodCount),
            scrap: format.signedCount(p.adjustmentScrapCount),
            countedGood: format.count(p.countedGoodCount),
            countedScrap: format.count(p.countedScrapCount),
          })}
        </p>
      ) : null}
      <AdjustmentList orderId={order.id} zone={zone} />
    </section>
  );
}

/** Each manual correction with who made it, when and why (the totals above sum them). */
function AdjustmentList({ orderId, zone }: { orderId: string; zone: string }) {
  const { t, format } = useI18n();
  const adjustments = useWorkOrderAdjustments(orderId);
  if (adjustments.data === undefined || adjustments.data.items.length === 0) return null;
  return (
    <ul className="wo-history" aria-label={t('wo.adjustments')}>
      {[...adjustments.data.items].reverse().map((adjustment) => (
        <li key={adjustment.id}>
          <span className="wo-history-when">{format.plantDateTimeLong(adjustment.at, zone)}</span>
          <span>
            <strong>
              {t('wo.adjustmentDelta', {
                good: format.signedCount(adjustment.goodDelta),
                scrap: format.signedCount(adjustment.scrapDelta),
              })}
            </strong>
            <span className="cell-note"> {actorText(adjustment.actorLabel, t)}</span>
          </span>
          <q className="wo-history-note" translate="no">
            {adjustment.reason}
          </q>
        </li>
      ))}
    </ul>
  );
}

function History({ orderId, zone }: { orderId: string; zone: string }) {
  const { t, format, errorText } = useI18n();
  const transitions = useWorkOrderTransitions(orderId);
  if (transitions.data === undefined) {
    return (
      <p className="panel-muted">
        {transitions.isError
          ? t('wo.historyCouldNotLoad', { message: errorText(transitions.error) })
          : t('wo.historyLoading')}
      </p>
    );
  }
  // Newest first: the last step is what a supervisor opening the order wants to know.
  const items: TWorkOrderTransition[] = [...transitions.data.items].reverse();
  return (
    <ol className="wo-history" aria-label={t('wo.statusHistory')}>
      {items.map((transition) => (
        <li key={transition.id}>
          <span className="wo-history-when">{format.plantDateTimeLong(transition.at, zone)}</span>
          <span>
            <strong>{transitionLabelOf(transition, t)}</strong>
            <span className="cell-note"> {actorText(transition.actorLabel, t)}</span>
          </span>
          {transition.note === null ? null : (
            <q className="wo-history-note" translate="no">
              {transition.note}
            </q>
          )}
        </li>
      ))}
    </ol>
  );
}

function DeleteDraft({ order, onDeleted }: { order: TWorkOrder; onDeleted: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [isConfirming, setIsConfirming] = useState(false);
  const remove = useDeleteWorkOrder({ onSuccess: onDeleted });
  return (
    <div className="wo-delete">
      {isConfirming ? (
        <div className="wo-confirm" role="alertdialog" aria-label={t('wo.deleteOf', { number: order.number })}>
          <p>{t('wo.deleteQuestion', { number: order.number })}</p>
          <div className="wo-action-buttons">
            <button
              type="button"
              className="button wo-button-danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: order.id, version: order.version })}
            >
              {t('wo.deleteYes')}
            </button>
            <button type="button" className="button button-small" onClick={() => setIsConfirming(false)}>
              {t('wo.keep')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button-small" onClick={() => setIsConfirming(true)}>
          {t('wo.deleteDraft')}
        </button>
      )}
      {remove.isError ? (
        <p className="form-alert" role="alert">
          {actionErrorMessage(remove.error, i18n)}
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
  const { t } = useI18n();
  const id = useId();
  const canWrite = canChangeWorkOrders(role);
  const [isEditing, setIsEditing] = useState(false);
  const zone = timeZoneOfOrder(order.lineId, context.lookup.places, context.lookup.fallbackZone);
  return (
    <>
      {isEditing && canEditWorkOrderPlan(order.status) ? (
        <section aria-labelledby={`${id}-plan`}>
          <h3 id={`${id}-plan`}>{t('wo.plan')}</h3>
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
            <h3 id={`${id}-plan`}>{t('wo.plan')}</h3>
            {canWrite && canEditWorkOrderPlan(order.status) ? (
              <button type="button" className="button button-small" onClick={() => setIsEditing(true)}>
                {t('wo.editPlan')}
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
          <summary>{t('wo.adjustCounts')}</summary>
          <WorkOrderAdjustForm key={order.id} order={order} />
        </details>
      ) : null}

      {canWrite && canDeleteWorkOrder(order.status) ? <DeleteDraft order={order} onDeleted={onClose} /> : null}

      {canWrite ? null : (
        <p className="wo-read-only" role="note">
          {t('wo.readOnly')}
        </p>
      )}

      <section aria-labelledby={`${id}-history`}>
        <h3 id={`${id}-history`}>{t('wo.history')}</h3>
        <p className="cell-note">{t('common.timesIn', { zone })}</p>
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
  const i18n = useI18n();
  const { t } = i18n;
  const order = useWorkOrder(orderId);
  const data = order.data;
  return (
    <SidePanel
      titleId="work-order-drawer-title"
      title={data?.number ?? t('wo.drawerTitle')}
      badge={data === undefined ? undefined : <StatusChip status={data.status} />}
      subtitle={
        data === undefined
          ? undefined
          : t('wo.drawerSubtitle', {
              product: productTextOf(data.productId, context.lookup).code ?? t('wo.unknownProduct'),
              version: String(data.version),
            })
      }
      onClose={onClose}
    >
      {data === undefined ? (
        <p className="panel-muted" role={order.isError ? 'alert' : 'status'}>
          {order.isError
            ? t('wo.orderCouldNotLoad', { message: actionErrorMessage(order.error, i18n) })
            : t('wo.orderLoading')}
        </p>
      ) : (
        <DrawerBody order={data} role={role} context={context} onClose={onClose} />
      )}
    </SidePanel>
  );
}
