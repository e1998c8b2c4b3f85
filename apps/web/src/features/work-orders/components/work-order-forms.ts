// The work-order forms' values checked against the shared contracts before they are sent (pure): the plan of an
// order (create, or the changed fields of an edit) and a manual count adjustment. Inputs hold text; the messages
// for empty or non-numeric text are the form's own, everything else is the contract's word, field by field.
import {
  ZWorkOrderAdjustmentRequest,
  ZWorkOrderCreate,
  ZWorkOrderUpdate,
  type TWorkOrder,
  type TWorkOrderAdjustmentRequest,
  type TWorkOrderCreate,
  type TWorkOrderUpdate,
} from '@takt/contracts';
import type { z } from 'zod';
import type { TTranslate } from '../../../lib/i18n/translate.ts';
import { instantOfLocalDateTime } from '../../../lib/zoned-time.ts';

/** Messages keyed by field name; `form` for what belongs to no single field. */
export type TFormErrors = Partial<Record<string, string>>;

export type TValidation<T> = { isValid: true; body: T } | { isValid: false; errors: TFormErrors };

/** The first message per field of a failed parse, keyed by the first path segment. */
function errorsOf(error: z.ZodError): TFormErrors {
  const errors: TFormErrors = {};
  for (const issue of error.issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}

const WHOLE_NUMBER = /^[+\-−]?\d+$/;

/** A signed whole number typed by hand ("-5", "−5", "+3"); '' is 0, anything else undefined. */
function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (!WHOLE_NUMBER.test(trimmed)) return undefined;
  return Number(trimmed.replace('−', '-'));
}

// ------------------------------------------------------------------------------------------------ plan

export type TPlanValues = {
  number: string;
  productId: string;
  targetQuantity: string;
  /** A `datetime-local` value in `timeZone`, or '' for no due date. */
  dueAt: string;
  timeZone: string;
};

type TPlanFields = { parsed: Partial<TWorkOrderCreate> & { dueAt: string | null }; errors: TFormErrors };

function planFieldsOf(values: TPlanValues, t: TTranslate): TPlanFields {
  const errors: TFormErrors = {};
  if (values.number.trim() === '') errors.number = t('wo.form.numberRequired');
  const target = values.targetQuantity.trim();
  const targetQuantity = target === '' ? undefined : parseWholeNumber(target);
  if (target === '') errors.targetQuantity = t('wo.form.targetRequired');
  else if (targetQuantity === undefined) errors.targetQuantity = t('wo.form.targetWhole');
  if (values.productId === '') errors.productId = t('wo.form.productRequired');
  let dueAt: string | null = null;
  if (values.dueAt !== '') {
    const dueMs = instantOfLocalDateTime(values.dueAt, values.timeZone);
    if (dueMs === null) errors.dueAt = t('wo.form.dueInvalid');
    else dueAt = new Date(dueMs).toISOString();
  }
  return {
    parsed: {
      number: values.number.trim(),
      productId: values.productId,
      ...(targetQuantity === undefined ? {} : { targetQuantity }),
      dueAt,
    },
    errors,
  };
}

/** A new order's body, or the messages of every invalid field. */
export function validateNewPlan(values: TPlanValues, t: TTranslate): TValidation<TWorkOrderCreate> {
  const { parsed, errors } = planFieldsOf(values, t);
  const result = ZWorkOrderCreate.safeParse(parsed);
  const allErrors = { ...(result.success ? {} : errorsOf(result.error)), ...errors };
  if (Object.keys(allErrors).length > 0 || !result.success) return { isValid: false, errors: allErrors };
  return { isValid: true, body: result.data };
}

/** The fields of an edit that differ from the order, or the messages (also when nothing changed). */
export function validatePlanChange(
  values: TPlanValues,
  order: Pick<TWorkOrder, 'number' | 'productId' | 'targetQuantity' | 'dueAt'>,
  t: TTranslate,
): TValidation<TWorkOrderUpdate> {
  const { parsed, errors } = planFieldsOf(values, t);
  const sameInstant = (a: string | null, b: string | null) =>
    a === null || b === null ? a === b : Date.parse(a) === Date.parse(b);
  const change: TWorkOrderUpdate = {
    ...(parsed.number === order.number ? {} : { number: parsed.number }),
    ...(parsed.productId === order.productId ? {} : { productId: parsed.productId }),
    ...(parsed.targetQuantity === undefined || parsed.targetQuantity === order.targetQuantity
      ? {}
      : { targetQuantity: parsed.targetQuantity }),
    ...(sameInstant(parsed.dueAt, order.dueAt) ? {} : { dueAt: parsed.dueAt }),
  };
  if (Object.keys(errors).length > 0) return { isValid: false, errors };
  const result = ZWorkOrderUpdate.safeParse(change);
  if (!result.success) return { isValid: false, errors: errorsOf(result.error) };
  return { isValid: true, body: result.data };
}

// ------------------------------------------------------------------------------------------------ adjustment

export type TAdjustmentValues = { goodDelta: string; scrapDelta: string; reason: string };

/** An adjustment's body (signed deltas, at least one non-zero, with a reason), or the messages. */
export function validateAdjustment(values: TAdjustmentValues, t: TTranslate): TValidation<TWorkOrderAdjustmentRequest> {
  const errors: TFormErrors = {};
  const goodDelta = parseWholeNumber(values.goodDelta);
  const scrapDelta = parseWholeNumber(values.scrapDelta);
  if (goodDelta === undefined) errors.goodDelta = t('wo.form.goodDeltaWhole');
  if (scrapDelta === undefined) errors.scrapDelta = t('wo.form.scrapDeltaWhole');
  const result = ZWorkOrderAdjustmentRequest.safeParse({
    goodDelta: goodDelta ?? 0,
    scrapDelta: scrapDelta ?? 0,
    reason: values.reason,
  });
  const allErrors = { ...(result.success ? {} : errorsOf(result.error)), ...errors };
  // The "non-zero" rule is reported on goodDelta by the contract; with a typing error there, that one wins.
  if (Object.keys(allErrors).length > 0 || !result.success) return { isValid: false, errors: allErrors };
  return { isValid: true, body: result.data };
}
