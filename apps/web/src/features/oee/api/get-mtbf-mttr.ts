// GET /kpi/mtbf-mttr: DOWN events, mean time between failures and mean time to repair of a scope over a range.
import { ZKpiMtbfMttrResponse, type TKpiMtbfMttrResponse } from '@takt/contracts';
import { keepPreviousData, queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { LIVE_REFRESH_MS, type TOeeParams } from './get-oee.ts';

export const mtbfMttrQueryKey = ['kpi', 'mtbf-mttr'] as const;

export function getMtbfMttr(params: TOeeParams, signal?: AbortSignal): Promise<TKpiMtbfMttrResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/mtbf-mttr?${query.toString()}`, ZKpiMtbfMttrResponse, { signal });
}

/** The reliability of `params`; null asks nothing. */
export function mtbfMttrQueryOptions(params: TOeeParams | null, isLive: boolean) {
  return queryOptions({
    queryKey: [...mtbfMttrQueryKey, params],
    queryFn: params === null ? skipToken : ({ signal }) => getMtbfMttr(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: isLive ? LIVE_REFRESH_MS : false,
  });
}

export function useMtbfMttr(params: TOeeParams | null, isLive: boolean) {
  return useQuery(mtbfMttrQueryOptions(params, isLive));
}
