// GET /downtime-intervals: the stops of a scope over a range, newest first, a page at a time ("Load more").
import { ZDowntimeIntervalList, type TDowntimeIntervalList, type TKpiScopeKind } from '@takt/contracts';
import { infiniteQueryOptions, skipToken, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const DOWNTIME_PAGE_SIZE = 100;

export type TDowntimeListParams = {
  scope: TKpiScopeKind;
  id: string;
  from: string;
  to: string;
  /** Only stops without a reason (still to classify). */
  isOnlyUnclassified: boolean;
};

export const downtimeIntervalsQueryKey = ['downtime-intervals'] as const;

export function getDowntimeIntervals(
  params: TDowntimeListParams,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<TDowntimeIntervalList> {
  const query = new URLSearchParams({
    scope: params.scope,
    id: params.id,
    from: params.from,
    to: params.to,
    limit: String(DOWNTIME_PAGE_SIZE),
  });
  if (params.isOnlyUnclassified) query.set('hasReason', 'false');
  if (cursor !== null) query.set('cursor', cursor);
  return api.get(`/downtime-intervals?${query.toString()}`, ZDowntimeIntervalList, { signal });
}

/** The stops of `params`; null (no scope chosen yet) asks nothing. */
export function downtimeIntervalsQueryOptions(params: TDowntimeListParams | null) {
  return infiniteQueryOptions({
    queryKey: [...downtimeIntervalsQueryKey, params],
    queryFn: params === null ? skipToken : ({ pageParam, signal }) => getDowntimeIntervals(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useDowntimeIntervals(params: TDowntimeListParams | null) {
  return useInfiniteQuery(downtimeIntervalsQueryOptions(params));
}
