// GET /work-orders/:id/transitions: the status history of an order (creation, transitions, dispatch), oldest first.
import { ZWorkOrderTransitionList, type TWorkOrderTransitionList } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { workOrdersQueryKey } from './get-work-orders.ts';

export const workOrderTransitionsQueryKey = (id: string) => [...workOrdersQueryKey, 'transitions', id] as const;

export function getWorkOrderTransitions(id: string, signal?: AbortSignal): Promise<TWorkOrderTransitionList> {
  return api.get(`/work-orders/${encodeURIComponent(id)}/transitions`, ZWorkOrderTransitionList, { signal });
}

export function useWorkOrderTransitions(id: string) {
  return useQuery(
    queryOptions({
      queryKey: workOrderTransitionsQueryKey(id),
      queryFn: ({ signal }) => getWorkOrderTransitions(id, signal),
    }),
  );
}
