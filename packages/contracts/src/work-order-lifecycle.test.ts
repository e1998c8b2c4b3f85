// The lifecycle table, checked exhaustively: every (status, action) pair is either the one allowed transition to
// its target status or a refusal that names what the action needs; the next steps offered per status and role;
// what may change in which status; and how a recorded transition reads back as the action that made it.
import { describe, expect, it } from 'vitest';
import { ROLES } from './roles.contract.ts';
import {
  actionOfTransition,
  canAdjustWorkOrderCounts,
  canChangeWorkOrders,
  canDeleteWorkOrder,
  canEditWorkOrderPlan,
  checkTransition,
  holdsLine,
  isOpenWorkOrderStatus,
  nextWorkOrderActions,
} from './work-order-lifecycle.ts';
import {
  WORK_ORDER_ACTIONS,
  WORK_ORDER_STATUSES,
  type TWorkOrderAction,
  type TWorkOrderStatus,
} from './work-order.contract.ts';

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

describe('nextWorkOrderActions', () => {
  it.each([
    ['DRAFT', LINE, ['release', 'cancel']],
    ['RELEASED', null, ['dispatch', 'cancel']],
    ['RELEASED', LINE, ['start', 'dispatch', 'cancel']],
    ['IN_PROGRESS', LINE, ['pause', 'complete', 'cancel']],
    ['PAUSED', LINE, ['resume', 'complete', 'cancel']],
    ['COMPLETED', LINE, []],
    ['CANCELLED', null, []],
  ] as const)('offers a supervisor %s (line %s) exactly %j', (status, lineId, actions) => {
    expect(nextWorkOrderActions({ status, lineId }, 'SUPERVISOR')).toEqual(actions);
    expect(nextWorkOrderActions({ status, lineId }, 'ADMIN')).toEqual(actions);
  });

  it('offers a viewer nothing', () => {
    for (const status of WORK_ORDER_STATUSES) {
      expect(nextWorkOrderActions({ status, lineId: LINE }, 'VIEWER')).toEqual([]);
    }
  });

  it('offers only steps the state machine allows, cancel from every open status', () => {
    for (const status of WORK_ORDER_STATUSES) {
      for (const lineId of [LINE, null]) {
        const actions = nextWorkOrderActions({ status, lineId }, 'SUPERVISOR');
        for (const action of actions) expect(checkTransition({ status, lineId }, action).isAllowed).toBe(true);
        expect(actions.includes('cancel')).toBe(isOpenWorkOrderStatus(status));
      }
    }
  });

  it('lets supervisors and admins change work orders, viewers not', () => {
    expect(ROLES.filter(canChangeWorkOrders)).toEqual(['SUPERVISOR', 'ADMIN']);
  });
});

describe('what may change in which status', () => {
  const allowed = (check: (status: TWorkOrderStatus) => boolean) => WORK_ORDER_STATUSES.filter(check);

  it('edits the plan only while DRAFT or RELEASED', () => {
    expect(allowed(canEditWorkOrderPlan)).toEqual(['DRAFT', 'RELEASED']);
  });

  it('deletes only a DRAFT', () => {
    expect(allowed(canDeleteWorkOrder)).toEqual(['DRAFT']);
  });

  it('adjusts counts once the order has run, completed included', () => {
    expect(allowed(canAdjustWorkOrderCounts)).toEqual(['IN_PROGRESS', 'PAUSED', 'COMPLETED']);
  });

  it('holds the line while IN_PROGRESS or PAUSED, and is open until completed or cancelled', () => {
    expect(allowed(holdsLine)).toEqual(['IN_PROGRESS', 'PAUSED']);
    expect(allowed(isOpenWorkOrderStatus)).toEqual(['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED']);
  });
});

describe('actionOfTransition', () => {
  it.each([
    [null, 'DRAFT', 'create'],
    ['DRAFT', 'RELEASED', 'release'],
    ['RELEASED', 'RELEASED', 'dispatch'],
    ['RELEASED', 'IN_PROGRESS', 'start'],
    ['IN_PROGRESS', 'PAUSED', 'pause'],
    ['PAUSED', 'IN_PROGRESS', 'resume'],
    ['PAUSED', 'COMPLETED', 'complete'],
    ['RELEASED', 'CANCELLED', 'cancel'],
    ['COMPLETED', 'DRAFT', null],
  ] as const)('%s → %s was %s', (fromStatus, toStatus, action) => {
    expect(actionOfTransition({ fromStatus, toStatus })).toBe(action);
  });
});
