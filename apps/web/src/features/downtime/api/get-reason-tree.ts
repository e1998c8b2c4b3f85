// GET /downtime-reasons: the reason tree (categories → reasons) the classification pickers offer.
import { ZDowntimeReasonTree, type TDowntimeReasonTree } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const reasonTreeQueryKey = ['downtime-reasons'] as const;

export function getReasonTree(signal?: AbortSignal): Promise<TDowntimeReasonTree> {
  return api.get('/downtime-reasons', ZDowntimeReasonTree, { signal });
}

export function useReasonTree() {
  return useQuery(
    queryOptions({ queryKey: reasonTreeQueryKey, queryFn: ({ signal }) => getReasonTree(signal), staleTime: 300_000 }),
  );
}
