// A manual correction of an order's counts: signed deltas for good and scrap with the reason, e.g. parts found
// defective at final inspection (good −5, scrap +5). The API records who, when and why in the audit log.
import { useId, useState, type FormEvent } from 'react';
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useAdjustWorkOrderCounts } from '../api/adjust-work-order-counts.ts';
import { actionErrorMessage } from './work-order-format.ts';
import { validateAdjustment, type TAdjustmentValues, type TFormErrors } from './work-order-forms.ts';

const EMPTY: TAdjustmentValues = { goodDelta: '', scrapDelta: '', reason: '' };

export function WorkOrderAdjustForm({ order }: { order: TWorkOrder }) {
  const i18n = useI18n();
  const { t, format } = i18n;
  const id = useId();
  const [values, setValues] = useState<TAdjustmentValues>(EMPTY);
  const [errors, setErrors] = useState<TFormErrors>({});
  const [done, setDone] = useState<string | null>(null);
  const adjust = useAdjustWorkOrderCounts({
    onSuccess: () => {
      setValues(EMPTY);
      setDone(t('wo.adjusted'));
    },
  });
  const serverErrors = adjust.error instanceof ApiError ? adjust.error.fieldMessages() : {};
  const errorOf = (field: keyof TAdjustmentValues) => errors[field] ?? serverErrors[field];

  function change(field: keyof TAdjustmentValues, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setDone(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateAdjustment(values, t);
    if (!result.isValid) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setDone(null);
    adjust.mutate({ order: { id: order.id, version: order.version }, body: result.body });
  }

  const field = (name: keyof TAdjustmentValues, label: string, hint: string) => {
    const error = errorOf(name);
    return (
      <div className="field">
        <label className="field-label" htmlFor={`${id}-${name}`}>
          {label}
        </label>
        <input
          id={`${id}-${name}`}
          className="field-input"
          inputMode="numeric"
          value={values[name]}
          onChange={(event) => change(name, event.target.value)}
          aria-invalid={error !== undefined}
          aria-describedby={`${id}-${name}-hint${error === undefined ? '' : ` ${id}-${name}-error`}`}
          autoComplete="off"
        />
        <span className="cell-note" id={`${id}-${name}-hint`}>
          {hint}
        </span>
        {error === undefined ? null : (
          <span className="field-error" id={`${id}-${name}-error`}>
            {error}
          </span>
        )}
      </div>
    );
  };

  const reasonError = errorOf('reason');
  const production = order.production;
  return (
    <form className="wo-form" onSubmit={submit} noValidate aria-label={t('wo.adjustOf', { number: order.number })}>
      <p className="cell-note">
        {t('wo.adjustedSoFar', {
          good: format.signedCount(production.adjustmentGoodCount),
          scrap: format.signedCount(production.adjustmentScrapCount),
        })}
      </p>
      <div className="wo-form-row">
        {field('goodDelta', t('wo.goodDelta'), t('wo.negativeToSubtract'))}
        {field('scrapDelta', t('wo.scrapDelta'), t('wo.negativeToSubtract'))}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-reason`}>
          {t('common.reason')}
        </label>
        <textarea
          id={`${id}-reason`}
          className="field-input wo-textarea"
          value={values.reason}
          onChange={(event) => change('reason', event.target.value)}
          maxLength={500}
          rows={2}
          aria-invalid={reasonError !== undefined}
          aria-describedby={reasonError === undefined ? undefined : `${id}-reason-error`}
        />
        {reasonError === undefined ? null : (
          <span className="field-error" id={`${id}-reason-error`}>
            {reasonError}
          </span>
        )}
      </div>
      {adjust.isError && Object.keys(serverErrors).length === 0 ? (
        <p className="form-alert" role="alert">
          {actionErrorMessage(adjust.error, i18n)}
        </p>
      ) : null}
      {done === null ? null : (
        <p className="wo-success" role="status">
          {done}
        </p>
      )}
      <div className="wo-form-actions">
        <button className="button button-primary" type="submit" disabled={adjust.isPending}>
          {t('wo.adjustCounts')}
        </button>
      </div>
    </form>
  );
}
