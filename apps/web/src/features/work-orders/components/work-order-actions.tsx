// The next steps of an order: only those its status allows (the server re-checks each), the dispatch line picker
// for a released order, an optional note for the history, a question before steps that cannot be undone, and the
// server's refusal next to the buttons (a busy line names the order holding it; a stale version says the order
// was reloaded).
import { useId, useState } from 'react';
import { nextWorkOrderActions, type TRole, type TWorkOrder } from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import { translateWithNodes, useI18n } from '../../../lib/i18n/i18n.tsx';
import { useDispatchWorkOrder } from '../api/dispatch-work-order.ts';
import { useProductCycleTimes } from '../api/get-product-cycle-times.ts';
import { useTransitionWorkOrder, type TTransitionAction } from '../api/transition-work-order.ts';
import { actionErrorMessage } from './work-order-format.ts';
import { confirmationOf, startBlockerOf } from './work-order-steps.ts';
import {
  defaultDispatchLineOf,
  dispatchChoicesOf,
  lineHoldersOf,
  linesSetUpFor,
  type TLinePlace,
} from './work-order-lines.ts';

export function WorkOrderActions({
  order,
  role,
  places,
  openOrders,
  tree,
  onOpenOrder,
}: {
  order: TWorkOrder;
  role: TRole;
  places: readonly TLinePlace[];
  openOrders: readonly TWorkOrder[];
  tree: TPlantTree | undefined;
  onOpenOrder: (id: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState<TTransitionAction | null>(null);
  const [chosenLineId, setChosenLineId] = useState<string | null>(null);
  const transition = useTransitionWorkOrder({
    onSuccess: () => {
      setNote('');
      setConfirming(null);
    },
  });
  const dispatch = useDispatchWorkOrder({
    onSuccess: () => {
      setNote('');
      setChosenLineId(null);
    },
  });
  const isReleased = order.status === 'RELEASED';
  const cycleTimes = useProductCycleTimes(isReleased ? order.productId : null);

  const actions = nextWorkOrderActions(order, role);
  const ref = { id: order.id, version: order.version };
  const trimmedNote = note.trim() === '' ? undefined : note.trim();
  const isPending = transition.isPending || dispatch.isPending;
  const error = transition.error ?? dispatch.error;

  const choices = isReleased
    ? dispatchChoicesOf({
        places,
        openOrders,
        setUpLineIds: cycleTimes.data === undefined || tree === undefined ? null : linesSetUpFor(cycleTimes.data, tree),
        orderId: order.id,
        t,
      })
    : [];
  const lineId = chosenLineId ?? defaultDispatchLineOf(choices, order.lineId);
  const holder = order.lineId === null ? undefined : lineHoldersOf(openOrders).get(order.lineId);
  const busyHolder = isReleased && holder !== undefined && holder.id !== order.id ? holder : undefined;
  const blocker = startBlockerOf(order, t);

  function run(action: TTransitionAction) {
    if (confirmationOf(action, order, i18n) !== null && confirming !== action) {
      setConfirming(action);
      return;
    }
    dispatch.reset();
    transition.mutate({ order: ref, action, note: trimmedNote });
  }

  function dispatchTo() {
    if (lineId === '') return;
    transition.reset();
    setConfirming(null);
    dispatch.mutate({ order: ref, lineId, note: trimmedNote });
  }

  const buttons = actions.filter((action): action is TTransitionAction => action !== 'dispatch');
  const question = confirming === null ? null : confirmationOf(confirming, order, i18n);
  const lineName = places.find((place) => place.id === order.lineId)?.name;
  return (
    <section className="wo-actions" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('wo.nextSteps')}</h3>
      <div className="wo-action-buttons">
        {buttons.map((action, index) => (
          <button
            key={action}
            type="button"
            className={
              action === 'cancel'
                ? 'button wo-button-danger'
                : index === 0
                  ? 'button button-primary'
                  : 'button button-small'
            }
            disabled={isPending}
            onClick={() => run(action)}
          >
            {t(`wo.action.${action}`)}
          </button>
        ))}
      </div>
      {/* The refusal sits right under the buttons that caused it. */}
      {error === null ? null : (
        <p className="form-alert" role="alert" data-testid="work-order-action-error">
          {actionErrorMessage(error, i18n)}
        </p>
      )}
      {blocker === null ? null : <p className="cell-note">{blocker}</p>}
      {busyHolder === undefined ? null : (
        <p className="wo-hint">
          {translateWithNodes(t, 'wo.busyLine', {
            line: lineName === undefined ? t('wo.theLine') : <span translate="no">{lineName}</span>,
            order: (
              <button type="button" className="wo-link-button" onClick={() => onOpenOrder(busyHolder.id)}>
                {busyHolder.number}
              </button>
            ),
            status: t(`wo.status.${busyHolder.status}`),
          })}
        </p>
      )}

      {question === null || confirming === null ? null : (
        <div className="wo-confirm" role="alertdialog" aria-labelledby={`${id}-question`}>
          <p id={`${id}-question`}>{question}</p>
          <div className="wo-action-buttons">
            <button
              type="button"
              className={confirming === 'cancel' ? 'button wo-button-danger' : 'button button-primary'}
              disabled={isPending}
              onClick={() => run(confirming)}
            >
              {confirming === 'cancel' ? t('wo.confirmYes.cancel') : t('wo.confirmYes.complete')}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(null)}>
              {t('wo.keep')}
            </button>
          </div>
        </div>
      )}

      {actions.includes('dispatch') ? (
        <div className="wo-dispatch">
          <div className="field">
            <label className="field-label" htmlFor={`${id}-line`}>
              {order.lineId === null ? t('wo.dispatchTo') : t('wo.moveTo')}
            </label>
            <select
              id={`${id}-line`}
              className="field-input"
              value={lineId}
              onChange={(event) => setChosenLineId(event.target.value)}
            >
              {choices.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.lines.map((line) => (
                    <option key={line.id} value={line.id}>
                      {line.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <button
            type="button"
            className={order.lineId === null ? 'button button-primary' : 'button button-small'}
            disabled={isPending || lineId === '' || lineId === order.lineId}
            onClick={dispatchTo}
          >
            {t('wo.dispatch')}
          </button>
        </div>
      ) : null}

      <div className="field">
        <label className="field-label" htmlFor={`${id}-note`}>
          {t('wo.note')}
        </label>
        <textarea
          id={`${id}-note`}
          className="field-input wo-textarea"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          maxLength={500}
          rows={2}
          placeholder={t('wo.notePlaceholder')}
        />
      </div>
    </section>
  );
}
