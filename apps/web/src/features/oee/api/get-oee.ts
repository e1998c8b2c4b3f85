// GET /kpi/oee: totals with components and KPIs, loss waterfall, losses, series and per-child breakdown of a scope.
import { ZKpiOeeResponse, type TKpiBucket, type TKpiOeeResponse, type TKpiScopeKind } from '@takt/contracts';
import { keepPreviousData, queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type TOeeParams = { scope: TKpiScopeKind; id: string; from: string; to: string; bucket: TKpiBucket };

/** Under ['kpi'] so that anything changing KPI figures (classifying a stop) invalidates it too. */
export const oeeQueryKey = ['kpi', 'oee'] as const;

/** How often figures of a range that includes the present are refetched. */
export const LIVE_REFRESH_MS = 60_000;

export function getOee(params: TOeeParams, signal?: AbortSignal): Promise<TKpiOeeResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/oee?${query.toString()}`, ZKpiOeeResponse, { signal });
}

/** The figures of `params`; null (no scope yet) asks nothing. */
export function oeeQueryOptions(params: TOeeParams | null, isLive: boolean) {
  return queryOptions({
    queryKey: [...oeeQueryKey, params],
    queryFn: params === null ? skipToken : ({ signal }) => getOee(params, signal),
    // Drilling down or changing the range keeps the previous figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: isLive ? LIVE_REFRESH_MS : false,
  });
}

export function useOee(params: TOeeParams | null, isLive: boolean) {
  return useQuery(oeeQueryOptions(params, isLive));
}
