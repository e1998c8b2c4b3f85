// GET /products/:id/ideal-cycle-times: where a product has an ideal cycle time (per line or per machine), which is
// how the dispatch picker tells the lines set up for the product from the others.
import { ZIdealCycleTimes, type TIdealCycleTimes } from '@takt/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const productCycleTimesQueryKey = (productId: string) => ['products', 'ideal-cycle-times', productId] as const;

export function getProductCycleTimes(productId: string, signal?: AbortSignal): Promise<TIdealCycleTimes> {
  return api.get(`/products/${encodeURIComponent(productId)}/ideal-cycle-times`, ZIdealCycleTimes, { signal });
}

/** The cycle times of a product; null (no product to ask about) asks nothing. */
export function productCycleTimesQueryOptions(productId: string | null) {
  return queryOptions({
    queryKey: productCycleTimesQueryKey(productId ?? ''),
    queryFn: productId === null ? skipToken : ({ signal }) => getProductCycleTimes(productId, signal),
    staleTime: 300_000,
  });
}

export function useProductCycleTimes(productId: string | null) {
  return useQuery(productCycleTimesQueryOptions(productId));
}
