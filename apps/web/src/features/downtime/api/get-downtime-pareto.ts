// GET /kpi/downtime-pareto: unplanned down time of a scope by reason, longest first, with cumulative shares.
import { ZKpiParetoResponse, type TKpiParetoResponse, type TKpiScopeKind } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type TParetoParams = { scope: TKpiScopeKind; id: string; from: string; to: string };

/** Under ['kpi'] so that anything changing KPI figures invalidates it with the other KPI queries. */
export const downtimeParetoQueryKey = ['kpi', 'downtime-pareto'] as const;

export function getDowntimePareto(params: TParetoParams, signal?: AbortSignal): Promise<TKpiParetoResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/downtime-pareto?${query.toString()}`, ZKpiParetoResponse, { signal });
}

export function useDowntimePareto(params: TParetoParams | null) {
  return useQuery({
    ...queryOptions({
      queryKey: [...downtimeParetoQueryKey, params],
      queryFn: ({ signal }) => getDowntimePareto(params ?? { scope: 'line', id: '', from: '', to: '' }, signal),
    }),
    enabled: params !== null,
  });
}
