// The forms against the shared contracts: a valid plan becomes the create body (due date read in the plant's zone),
// an edit sends only what changed, an adjustment needs a non-zero delta and a reason, and every invalid field gets
// its own message.
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../lib/i18n/i18n.tsx';
import { validateAdjustment, validateNewPlan, validatePlanChange, type TPlanValues } from './work-order-forms.ts';

const { t } = createI18n('en');

const PRODUCT_ID = 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const OTHER_PRODUCT_ID = 'bd1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';

const plan = (overrides: Partial<TPlanValues> = {}): TPlanValues => ({
  number: ' WO-9100 ',
  productId: PRODUCT_ID,
  targetQuantity: '2400',
  dueAt: '2026-11-28T14:00',
  timeZone: 'Europe/Berlin',
  ...overrides,
});

describe('validateNewPlan', () => {
  it('builds the create body, the due date read in the plant zone', () => {
    expect(validateNewPlan(plan(), t)).toEqual({
      isValid: true,
      body: { number: 'WO-9100', productId: PRODUCT_ID, targetQuantity: 2400, dueAt: '2026-11-28T13:00:00.000Z' },
    });
  });

  it('sends no due date when none is given', () => {
    expect(validateNewPlan(plan({ dueAt: '' }), t)).toMatchObject({ isValid: true, body: { dueAt: null } });
  });

  it('names every invalid field at once', () => {
    const result = validateNewPlan({ number: '', productId: '', targetQuantity: '', dueAt: '', timeZone: 'UTC' }, t);
    expect(result).toEqual({
      isValid: false,
      errors: {
        number: 'Enter the order number',
        productId: 'Choose a product',
        targetQuantity: 'Enter the number of good parts to make',
      },
    });
  });

  it.each([
    ['12.5', 'Must be a whole number of parts'],
    ['0', 'Must be at least 1'],
    ['100000001', 'At most 100,000,000'],
  ])('refuses a target of %s: %s', (targetQuantity, message) => {
    expect(validateNewPlan(plan({ targetQuantity }), t)).toEqual({
      isValid: false,
      errors: { targetQuantity: message },
    });
  });

  it("takes the contract's word on the number", () => {
    const result = validateNewPlan(plan({ number: 'WO 9100' }), t);
    expect(result.isValid).toBe(false);
    if (!result.isValid) expect(result.errors.number).toMatch(/letters, digits/);
  });
});

describe('validatePlanChange', () => {
  const order = {
    number: 'WO-9100',
    productId: PRODUCT_ID,
    targetQuantity: 2400,
    dueAt: '2026-11-28T13:00:00.000Z',
  };

  it('sends only the fields that changed', () => {
    expect(validatePlanChange(plan({ targetQuantity: '3000', productId: OTHER_PRODUCT_ID }), order, t)).toEqual({
      isValid: true,
      body: { productId: OTHER_PRODUCT_ID, targetQuantity: 3000 },
    });
  });

  it('clears the due date', () => {
    expect(validatePlanChange(plan({ dueAt: '' }), order, t)).toEqual({ isValid: true, body: { dueAt: null } });
  });

  it('says so when nothing changed', () => {
    const result = validatePlanChange(plan(), order, t);
    expect(result.isValid).toBe(false);
    if (!result.isValid) expect(Object.values(result.errors)).toEqual(['Change at least one field']);
  });

  it('checks the fields before comparing', () => {
    expect(validatePlanChange(plan({ targetQuantity: 'many' }), order, t)).toEqual({
      isValid: false,
      errors: { targetQuantity: 'Must be a whole number of parts' },
    });
  });
});

describe('validateAdjustment', () => {
  it('moves parts from good to scrap with a reason', () => {
    expect(validateAdjustment({ goodDelta: '−5', scrapDelta: '+5', reason: ' Final inspection: cracks ' }, t)).toEqual({
      isValid: true,
      body: { goodDelta: -5, scrapDelta: 5, reason: 'Final inspection: cracks' },
    });
  });

  it('takes an empty delta as zero', () => {
    expect(validateAdjustment({ goodDelta: '', scrapDelta: '3', reason: 'Rework' }, t)).toMatchObject({
      isValid: true,
      body: { goodDelta: 0, scrapDelta: 3 },
    });
  });

  it('needs a non-zero delta and a reason', () => {
    expect(validateAdjustment({ goodDelta: '0', scrapDelta: '', reason: '  ' }, t)).toEqual({
      isValid: false,
      errors: { reason: 'Give a reason', goodDelta: 'Adjust the good or the scrap count (a non-zero delta)' },
    });
  });

  it('refuses what is not a whole number', () => {
    const result = validateAdjustment({ goodDelta: '1.5', scrapDelta: 'x', reason: 'Recount' }, t);
    expect(result.isValid).toBe(false);
    if (!result.isValid) {
      expect(result.errors.goodDelta).toMatch(/whole number/);
      expect(result.errors.scrapDelta).toMatch(/whole number/);
    }
  });
});
