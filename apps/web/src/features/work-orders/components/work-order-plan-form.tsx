// The plan of an order: number, product, target quantity and due date, for a new order (DRAFT) or for an order
// still DRAFT or RELEASED. Checked against the shared contract before it is sent; the server's refusals (number
// in use, archived product, changed meanwhile) are shown next to their field or above the buttons. The due date
// is typed in a plant's local time; where the plant has sites in several zones, the form asks which.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { TProduct, TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { localDateTimeInputValue } from '../../../lib/zoned-time.ts';
import { useCreateWorkOrder } from '../api/create-work-order.ts';
import { useUpdateWorkOrder } from '../api/update-work-order.ts';
import { actionErrorMessage } from './work-order-format.ts';
import { validateNewPlan, validatePlanChange, type TFormErrors, type TPlanValues } from './work-order-forms.ts';
import type { TZoneChoice } from './work-order-lines.ts';

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const describedBy = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy || undefined })}
      {hint === undefined ? null : (
        <span className="cell-note" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error === undefined ? null : (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function WorkOrderPlanForm({
  order,
  products,
  zoneChoices,
  initialZone,
  onSaved,
  onCancel,
}: {
  /** null: a new order. */
  order: TWorkOrder | null;
  products: readonly TProduct[];
  zoneChoices: readonly TZoneChoice[];
  initialZone: string;
  onSaved: (order: TWorkOrder) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const [values, setValues] = useState<TPlanValues>(() => ({
    number: order?.number ?? '',
    productId: order?.productId ?? '',
    targetQuantity: order === null ? '' : String(order.targetQuantity),
    dueAt: order?.dueAt == null ? '' : localDateTimeInputValue(Date.parse(order.dueAt), initialZone),
    timeZone: initialZone,
  }));
  const [errors, setErrors] = useState<TFormErrors>({});
  const create = useCreateWorkOrder({ onSuccess: onSaved });
  const update = useUpdateWorkOrder({ onSuccess: onSaved });
  const mutation = order === null ? create : update;
  const serverErrors = mutation.error instanceof ApiError ? mutation.error.fieldMessages() : {};
  const errorOf = (field: keyof TPlanValues) => errors[field] ?? serverErrors[field];
  // The catalogue's active products; an order keeps showing its own product even once that is archived.
  const choices = products
    .filter((product) => product.archivedAt === null || product.id === order?.productId)
    .sort((a, b) => a.code.localeCompare(b.code));

  function change(field: keyof TPlanValues, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (order === null) {
      const result = validateNewPlan(values, t);
      setErrors(result.isValid ? {} : result.errors);
      if (result.isValid) create.mutate(result.body);
    } else {
      const result = validatePlanChange(values, order, t);
      setErrors(result.isValid ? {} : result.errors);
      if (result.isValid) update.mutate({ order: { id: order.id, version: order.version }, body: result.body });
    }
  }

  const zoneLabel = zoneChoices.find((choice) => choice.timeZone === values.timeZone)?.label ?? values.timeZone;
  const hasFieldError = Object.keys(serverErrors).length > 0;
  return (
    <form
      className="wo-form"
      onSubmit={submit}
      noValidate
      aria-label={order === null ? t('wo.new') : t('wo.editPlanOf', { number: order.number })}
    >
      <Field id={`${id}-number`} label={t('wo.number')} hint={t('wo.numberHint')} error={errorOf('number')}>
        {(props) => (
          <input
            {...props}
            className="field-input"
            value={values.number}
            onChange={(event) => change('number', event.target.value)}
            autoComplete="off"
            maxLength={40}
          />
        )}
      </Field>
      <Field id={`${id}-product`} label={t('common.product')} error={errorOf('productId')}>
        {(props) => (
          <select
            {...props}
            className="field-input"
            value={values.productId}
            onChange={(event) => change('productId', event.target.value)}
          >
            <option value="">{t('wo.chooseProduct')}</option>
            {choices.map((product) => {
              const text = t('wo.productOption', { code: product.code, name: product.name });
              return (
                <option key={product.id} value={product.id}>
                  {product.archivedAt === null ? text : t('common.archived', { text })}
                </option>
              );
            })}
          </select>
        )}
      </Field>
      <Field
        id={`${id}-target`}
        label={t('wo.targetQuantity')}
        hint={t('wo.targetHint')}
        error={errorOf('targetQuantity')}
      >
        {(props) => (
          <input
            {...props}
            className="field-input"
            inputMode="numeric"
            value={values.targetQuantity}
            onChange={(event) => change('targetQuantity', event.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      <div className="wo-form-row">
        <Field
          id={`${id}-due`}
          label={t('wo.dueOptional')}
          hint={zoneChoices.length > 1 ? undefined : t('wo.localTimeOf', { zone: zoneLabel })}
          error={errorOf('dueAt')}
        >
          {(props) => (
            <input
              {...props}
              className="field-input"
              type="datetime-local"
              value={values.dueAt}
              onChange={(event) => change('dueAt', event.target.value)}
            />
          )}
        </Field>
        {zoneChoices.length > 1 ? (
          <Field id={`${id}-zone`} label={t('wo.dueZone')} error={undefined}>
            {(props) => (
              <select
                {...props}
                className="field-input"
                value={values.timeZone}
                onChange={(event) => change('timeZone', event.target.value)}
              >
                {zoneChoices.map((choice) => (
                  <option key={choice.timeZone} value={choice.timeZone}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      {errors.form === undefined ? null : (
        <p className="form-alert" role="alert">
          {errors.form}
        </p>
      )}
      {mutation.isError && !hasFieldError ? (
        <p className="form-alert" role="alert">
          {actionErrorMessage(mutation.error, i18n)}
        </p>
      ) : null}
      <div className="wo-form-actions">
        <button className="button button-primary" type="submit" disabled={mutation.isPending}>
          {order === null ? t('wo.createDraft') : t('wo.savePlan')}
        </button>
        <button className="button button-small" type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
