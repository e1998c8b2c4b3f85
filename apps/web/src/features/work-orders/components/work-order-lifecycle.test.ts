// The lifecycle the drawer offers: the next steps of each status (and only those), the questions before steps that
// cannot be undone, the history's wording and the board's grouping.
import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES, type TWorkOrder, type TWorkOrderStatus } from '@takt/contracts';
import {
  canAdjustCounts,
  canDelete,
  canEditPlan,
  confirmationOf,
  groupOpenOrders,
  nextActionsOf,
  startBlockerOf,
  transitionLabelOf,
} from './work-order-lifecycle.ts';

const LINE_ID = '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const plain = (text: string | null) => text?.replace(/\s/g, ' ') ?? null;

function orderOf(overrides: Partial<TWorkOrder> = {}): TWorkOrder {
  return {
    id: '3d7c2e1a-5b4f-4c6d-9e8f-0a1b2c3d4e5f',
    number: 'WO-9001',
    productId: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    lineId: LINE_ID,
    status: 'IN_PROGRESS',
    targetQuantity: 2400,
    dueAt: null,
    startedAt: '2026-11-25T06:00:00.000Z',
    completedAt: null,
    createdAt: '2026-11-24T08:00:00.000Z',
    updatedAt: '2026-11-25T06:00:00.000Z',
    version: 4,
    production: {
      goodCount: 1200,
      scrapCount: 17,
      countedGoodCount: 1200,
      countedScrapCount: 17,
      adjustmentGoodCount: 0,
      adjustmentScrapCount: 0,
      countSource: 'line-output',
      outputMachineId: null,
      runTimeSec: 14_400,
      progress: 0.5,
      runRatePartsPerHour: 300,
      remainingRunTimeSec: 14_400,
      projectedFinishAt: null,
    },
    ...overrides,
  };
}

describe('nextActionsOf', () => {
  it.each([
    ['DRAFT', LINE_ID, ['release', 'cancel']],
    ['RELEASED', null, ['dispatch', 'cancel']],
    ['RELEASED', LINE_ID, ['start', 'dispatch', 'cancel']],
    ['IN_PROGRESS', LINE_ID, ['pause', 'complete', 'cancel']],
    ['PAUSED', LINE_ID, ['resume', 'complete', 'cancel']],
    ['COMPLETED', LINE_ID, []],
    ['CANCELLED', null, []],
  ] as const)('offers %s (line %s) exactly %j', (status, lineId, actions) => {
    expect(nextActionsOf({ status, lineId })).toEqual(actions);
  });

  it('never offers start without a line, and says why', () => {
    expect(nextActionsOf({ status: 'RELEASED', lineId: null })).not.toContain('start');
    expect(startBlockerOf({ status: 'RELEASED', lineId: null })).toMatch(/dispatch/i);
    expect(startBlockerOf({ status: 'RELEASED', lineId: LINE_ID })).toBeNull();
    expect(startBlockerOf({ status: 'DRAFT', lineId: null })).toBeNull();
  });

  it('offers cancel from every open status and from no closed one', () => {
    for (const status of WORK_ORDER_STATUSES) {
      const isOpen = status !== 'COMPLETED' && status !== 'CANCELLED';
      expect(nextActionsOf({ status, lineId: LINE_ID }).includes('cancel')).toBe(isOpen);
    }
  });
});

describe('what may change in which status', () => {
  const allowed = (check: (status: TWorkOrderStatus) => boolean) => WORK_ORDER_STATUSES.filter(check);

  it('edits the plan only while DRAFT or RELEASED', () => {
    expect(allowed(canEditPlan)).toEqual(['DRAFT', 'RELEASED']);
  });

  it('deletes only a DRAFT', () => {
    expect(allowed(canDelete)).toEqual(['DRAFT']);
  });

  it('adjusts counts once the order has run, completed included', () => {
    expect(allowed(canAdjustCounts)).toEqual(['IN_PROGRESS', 'PAUSED', 'COMPLETED']);
  });
});

describe('confirmationOf', () => {
  it('always asks before cancelling, and says a running order frees its line', () => {
    expect(confirmationOf('cancel', orderOf({ status: 'DRAFT' }), 'en-US')).toBe(
      'Cancel WO-9001? A cancelled order cannot be reopened.',
    );
    expect(confirmationOf('cancel', orderOf({ status: 'PAUSED' }), 'en-US')).toMatch(/frees its line/);
  });

  it('asks before completing an order short of its target, with the figures', () => {
    expect(plain(confirmationOf('complete', orderOf(), 'en-US'))).toBe(
      'WO-9001 has 1,200 of 2,400 good parts (50.0%). Complete it anyway? A completed order cannot be restarted.',
    );
  });

  it('completes an order at or over target without asking', () => {
    const done = orderOf({ production: { ...orderOf().production, goodCount: 2400, progress: 1 } });
    expect(confirmationOf('complete', done)).toBeNull();
  });

  it('does not ask for steps that can be taken back', () => {
    for (const action of ['release', 'dispatch', 'start', 'pause', 'resume'] as const) {
      expect(confirmationOf(action, orderOf())).toBeNull();
    }
  });
});

describe('transitionLabelOf', () => {
  it.each([
    [null, 'DRAFT', 'Created'],
    ['DRAFT', 'RELEASED', 'Released'],
    ['RELEASED', 'RELEASED', 'Dispatched'],
    ['RELEASED', 'IN_PROGRESS', 'Started'],
    ['IN_PROGRESS', 'PAUSED', 'Paused'],
    ['PAUSED', 'IN_PROGRESS', 'Resumed'],
    ['PAUSED', 'COMPLETED', 'Completed'],
    ['RELEASED', 'CANCELLED', 'Cancelled'],
  ] as const)('%s → %s is "%s"', (fromStatus, toStatus, label) => {
    expect(transitionLabelOf({ fromStatus, toStatus })).toBe(label);
  });
});

describe('groupOpenOrders', () => {
  it('groups running, paused, released and draft in that order, soonest due first, undated last', () => {
    const orders = [
      orderOf({ id: 'a', number: 'WO-1', status: 'DRAFT' }),
      orderOf({ id: 'b', number: 'WO-2', status: 'RELEASED', dueAt: null }),
      orderOf({ id: 'c', number: 'WO-3', status: 'RELEASED', dueAt: '2026-11-30T12:00:00.000Z' }),
      orderOf({ id: 'd', number: 'WO-4', status: 'RELEASED', dueAt: '2026-11-27T12:00:00.000Z' }),
      orderOf({ id: 'e', number: 'WO-5', status: 'IN_PROGRESS' }),
      orderOf({ id: 'f', number: 'WO-6', status: 'COMPLETED' }),
    ];
    const groups = groupOpenOrders(orders);
    expect(groups.map((group) => group.status)).toEqual(['IN_PROGRESS', 'RELEASED', 'DRAFT']);
    expect(groups[1]?.orders.map((order) => order.number)).toEqual(['WO-4', 'WO-3', 'WO-2']);
  });

  it('orders undated orders of a status by number', () => {
    const groups = groupOpenOrders([
      orderOf({ id: 'a', number: 'WO-20', status: 'DRAFT' }),
      orderOf({ id: 'b', number: 'WO-10', status: 'DRAFT' }),
    ]);
    expect(groups[0]?.orders.map((order) => order.number)).toEqual(['WO-10', 'WO-20']);
  });
});
