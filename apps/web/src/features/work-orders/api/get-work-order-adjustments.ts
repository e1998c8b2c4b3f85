// GET /work-orders/:id/adjustments: the manual count corrections of an order with who, when and why, oldest first.
import { ZWorkOrderAdjustmentList, type TWorkOrderAdjustmentList } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { workOrdersQueryKey } from './get-work-orders.ts';

export const workOrderAdjustmentsQueryKey = (id: string) => [...workOrdersQueryKey, 'adjustments', id] as const;

export function getWorkOrderAdjustments(id: string, signal?: AbortSignal): Promise<TWorkOrderAdjustmentList> {
  return api.get(`/work-orders/${encodeURIComponent(id)}/adjustments`, ZWorkOrderAdjustmentList, { signal });
}

export function useWorkOrderAdjustments(id: string) {
  return useQuery(
    queryOptions({
      queryKey: workOrderAdjustmentsQueryKey(id),
      queryFn: ({ signal }) => getWorkOrderAdjustments(id, signal),
    }),
  );
}
