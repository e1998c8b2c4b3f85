// The lifecycle table, checked exhaustively: every (status, action) pair is either the one allowed
// transition to its target status or a refusal that names what the action needs.
import { describe, expect, it } from 'vitest';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES, type TWorkOrderAction, type TWorkOrderStatus } from '@takt/contracts';
import { canAdjust, canDelete, canEdit, checkTransition } from './work-order-state-machine.ts';

const LINE = '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';

/** The allowed transitions (with a line); everything else is refused. */
const ALLOWED: Partial<Record<TWorkOrderStatus, Partial<Record<TWorkOrderAction, TWorkOrderStatus>>>> = {
  DRAFT: { release: 'RELEASED', cancel: 'CANCELLED' },
  RELEASED: { dispatch: 'RELEASED', start: 'IN_PROGRESS', cancel: 'CANCELLED' },
  IN_PROGRESS: { pause: 'PAUSED', complete: 'COMPLETED', cancel: 'CANCELLED' },
  PAUSED: { resume: 'IN_PROGRESS', complete: 'COMPLETED', cancel: 'CANCELLED' },
};

describe('checkTransition', () => {
  const cases = WORK_ORDER_STATUSES.flatMap((status) => WORK_ORDER_ACTIONS.map((action) => ({ status, action })));

  it.each(cases)('$status + $action', ({ status, action }) => {
    const check = checkTransition({ status, lineId: LINE }, action);
    const expected = ALLOWED[status]?.[action];
    if (expected === undefined) {
      expect(check.isAllowed).toBe(false);
      if (!check.isAllowed) expect(check.reason).toContain(`this one is ${status}`);
    } else {
      expect(check).toEqual({ isAllowed: true, to: expected });
    }
  });

  it('refuses to start an order that was never dispatched to a line', () => {
    const check = checkTransition({ status: 'RELEASED', lineId: null }, 'start');
    expect(check).toEqual({ isAllowed: false, reason: 'start needs a line: dispatch the order to a line first.' });
    expect(checkTransition({ status: 'RELEASED', lineId: null }, 'dispatch').isAllowed).toBe(true);
  });

  it('names every status an action accepts', () => {
    const check = checkTransition({ status: 'COMPLETED', lineId: LINE }, 'cancel');
    expect(check).toEqual({
      isAllowed: false,
      reason: 'cancel needs an order that is DRAFT, RELEASED, IN_PROGRESS or PAUSED, and this one is COMPLETED.',
    });
  });

  it('has no way out of COMPLETED and CANCELLED', () => {
    for (const status of ['COMPLETED', 'CANCELLED'] as const) {
      for (const action of WORK_ORDER_ACTIONS) {
        expect(checkTransition({ status, lineId: LINE }, action).isAllowed).toBe(false);
      }
    }
  });
});

describe('edit, delete and adjust rules', () => {
  it.each([
    ['DRAFT', true, true, false],
    ['RELEASED', true, false, false],
    ['IN_PROGRESS', false, false, true],
    ['PAUSED', false, false, true],
    ['COMPLETED', false, false, true],
    ['CANCELLED', false, false, false],
  ] as const)('%s: edit %s, delete %s, adjust %s', (status, isEditable, isDeletable, isAdjustable) => {
    expect(canEdit(status)).toBe(isEditable);
    expect(canDelete(status)).toBe(isDeletable);
    expect(canAdjust(status)).toBe(isAdjustable);
  });
});
