// GET /kpi/mtbf-mttr: DOWN events, mean time between failures and mean time to repair of a scope over a range.
import { ZKpiMtbfMttrResponse, type TKpiMtbfMttrResponse } from '@takt/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { LIVE_REFRESH_MS, type TOeeParams } from './get-oee.ts';

export const mtbfMttrQueryKey = ['kpi', 'mtbf-mttr'] as const;

export function getMtbfMttr(params: TOeeParams, signal?: AbortSignal): Promise<TKpiMtbfMttrResponse> {
  const query = new URLSearchParams(params);
  return api.get(`/kpi/mtbf-mttr?${query.toString()}`, ZKpiMtbfMttrResponse, { signal });
}

export function mtbfMttrQueryOptions(params: TOeeParams, isLive: boolean) {
  return queryOptions({
    queryKey: [...mtbfMttrQueryKey, params],
    queryFn: ({ signal }) => getMtbfMttr(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: isLive ? LIVE_REFRESH_MS : false,
  });
}

export function useMtbfMttr(params: TOeeParams | null, isLive: boolean) {
  return useQuery({
    ...mtbfMttrQueryOptions(params ?? { scope: 'site', id: '', from: '', to: '', bucket: 'day' }, isLive),
    enabled: params !== null,
  });
}
