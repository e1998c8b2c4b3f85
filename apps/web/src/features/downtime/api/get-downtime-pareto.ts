// GET /kpi/downtime-pareto: unplanned down time of a scope by reason, longest first, with cumulative shares.
import { ZKpiParetoResponse, type TKpiParetoResponse, type TKpiScopeKind } from '@takt/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type TParetoParams = { scope: TKpiScopeKind; id: string; from: string; to: string };

/** Under ['kpi'] so that anything changing KPI figures invalidates it with the other KPI queries. */
export const downtimeParetoQueryKey = ['kpi', 'downtime-pareto'] as const;

export function getDowntimePareto(params: TParetoParams, signal?: AbortSignal): Promise<TKpiParetoResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/downtime-pareto?${query.toString()}`, ZKpiParetoResponse, { signal });
}

/** The Pareto of `params`; null asks nothing. */
export function downtimeParetoQueryOptions(params: TParetoParams | null) {
  return queryOptions({
    queryKey: [...downtimeParetoQueryKey, params],
    queryFn: params === null ? skipToken : ({ signal }) => getDowntimePareto(params, signal),
  });
}

export function useDowntimePareto(params: TParetoParams | null) {
  return useQuery(downtimeParetoQueryOptions(params));
}
