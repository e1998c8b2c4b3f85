// What a work-order write does to the query cache: the answered order replaces the cached one at once (the drawer
// shows the new status and version without waiting), and every work-order query is refetched, because a change
// moves an order between lists and boards. A write refused because the order changed meanwhile (409, 412) or
// vanished (404) also refetches, so that the page shows what is true now.
import type { QueryClient } from '@tanstack/react-query';
import type { TWorkOrder } from '@takt/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { workOrderQueryKey } from './get-work-order.ts';
import { workOrdersQueryKey } from './get-work-orders.ts';

/** The identity and version of the order as displayed: the version travels as If-Match. */
export type TWorkOrderRef = { id: string; version: number };

export async function applyWorkOrderChange(queryClient: QueryClient, order: TWorkOrder): Promise<void> {
  queryClient.setQueryData(workOrderQueryKey(order.id), order);
  await queryClient.invalidateQueries({ queryKey: workOrdersQueryKey });
}

const STALE_STATUSES = new Set([404, 409, 412]);

export async function refetchAfterRefusal(queryClient: QueryClient, error: unknown): Promise<void> {
  if (error instanceof ApiError && STALE_STATUSES.has(error.status)) {
    await queryClient.invalidateQueries({ queryKey: workOrdersQueryKey });
  }
}
