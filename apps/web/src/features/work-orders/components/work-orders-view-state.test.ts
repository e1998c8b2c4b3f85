// The page's state in the URL: defaults left out, a round trip keeps everything, a hand-edited URL falls back.
import { describe, expect, it } from 'vitest';
import type { TWorkOrder } from '@takt/contracts';
import {
  groupOpenOrders,
  isOpenView,
  parseViewState,
  searchOfViewState,
  statusesOfView,
  type TWorkOrdersViewState,
} from './work-orders-view-state.ts';

const LINE_ID = '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const ORDER_ID = '3d7c2e1a-5b4f-4c6d-9e8f-0a1b2c3d4e5f';

describe('work-orders view state', () => {
  it('opens on the open orders with nothing filtered', () => {
    expect(parseViewState(new URLSearchParams())).toEqual({
      view: 'open',
      lineId: null,
      productId: null,
      orderId: null,
      isCreating: false,
    });
    expect(searchOfViewState(parseViewState(new URLSearchParams())).toString()).toBe('');
  });

  it('keeps every part through a round trip', () => {
    const state: TWorkOrdersViewState = {
      view: 'completed',
      lineId: LINE_ID,
      productId: null,
      orderId: ORDER_ID,
      isCreating: true,
    };
    const search = searchOfViewState(state);
    expect(search.toString()).toBe(`view=completed&line=${LINE_ID}&order=${ORDER_ID}&new=1`);
    expect(parseViewState(search)).toEqual(state);
  });

  it('ignores an unknown view and ids that are not ids', () => {
    expect(parseViewState(new URLSearchParams('view=everything&line=1&order=abc'))).toMatchObject({
      view: 'open',
      lineId: null,
      orderId: null,
    });
  });

  it('reads the open views from the open orders and the closed ones from the API', () => {
    expect(isOpenView('running')).toBe(true);
    expect(isOpenView('completed')).toBe(false);
    expect(statusesOfView('running')).toEqual(['IN_PROGRESS', 'PAUSED']);
    expect(statusesOfView('cancelled')).toEqual(['CANCELLED']);
  });
});

/** Just what the grouping reads: status, due date and number. */
const orderOf = (fields: Pick<TWorkOrder, 'id' | 'number' | 'status'> & { dueAt?: string | null }): TWorkOrder =>
  ({ dueAt: null, ...fields }) as TWorkOrder;

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
