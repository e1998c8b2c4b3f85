// GET /kpi/oee/explain: the state intervals, counts, shift calendar and ideal cycle times behind an OEE figure,
// with the engine's result over exactly that data (at most 7 days; fetched only when the panel is open).
import { ZKpiExplainResponse, type TKpiExplainResponse, type TKpiScopeKind } from '@takt/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type TOeeExplainParams = { scope: TKpiScopeKind; id: string; from: string; to: string };

export const oeeExplainQueryKey = ['kpi', 'oee-explain'] as const;

export function getOeeExplain(params: TOeeExplainParams, signal?: AbortSignal): Promise<TKpiExplainResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/oee/explain?${query.toString()}`, ZKpiExplainResponse, { signal });
}

/** The explanation of `params`; null asks nothing. */
export function oeeExplainQueryOptions(params: TOeeExplainParams | null) {
  return queryOptions({
    queryKey: [...oeeExplainQueryKey, params],
    queryFn: params === null ? skipToken : ({ signal }) => getOeeExplain(params, signal),
  });
}

export function useOeeExplain(params: TOeeExplainParams | null) {
  return useQuery(oeeExplainQueryOptions(params));
}
