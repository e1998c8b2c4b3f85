// GET /work-orders/:id: one order with its counts, progress, run rate and projected finish. Its `version` is what
// every write of the drawer sends as If-Match.
import { ZWorkOrder, type TWorkOrder } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { WORK_ORDERS_REFRESH_MS, workOrdersQueryKey } from './get-work-orders.ts';

export const workOrderQueryKey = (id: string) => [...workOrdersQueryKey, 'detail', id] as const;

export function getWorkOrder(id: string, signal?: AbortSignal): Promise<TWorkOrder> {
  return api.get(`/work-orders/${encodeURIComponent(id)}`, ZWorkOrder, { signal });
}

export function workOrderQueryOptions(id: string) {
  return queryOptions({
    queryKey: workOrderQueryKey(id),
    queryFn: ({ signal }) => getWorkOrder(id, signal),
    // A running order's counts grow without a work-order event; a finished one changes only by its events.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'IN_PROGRESS' || status === 'PAUSED' ? WORK_ORDERS_REFRESH_MS : false;
    },
  });
}

export function useWorkOrder(id: string) {
  return useQuery(workOrderQueryOptions(id));
}
