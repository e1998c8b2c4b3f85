// GET /products: every product, archived ones included, so that an old order still shows its product's name;
// the create form offers only the active ones. Every page is read, so a long catalogue is never cut off.
import { listOf, ZProduct, type TProduct } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

const PAGE_SIZE = 500;
const ZProductPage = listOf(ZProduct);

export const productsQueryKey = ['products', 'all'] as const;

export async function getProducts(signal?: AbortSignal): Promise<TProduct[]> {
  const products: TProduct[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), includeArchived: 'true' });
    if (cursor !== null) query.set('cursor', cursor);
    const page: { items: TProduct[]; nextCursor: string | null } = await api.get(
      `/products?${query.toString()}`,
      ZProductPage,
      { signal },
    );
    products.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return products;
}

export function useProducts() {
  return useQuery(
    queryOptions({
      queryKey: productsQueryKey,
      queryFn: ({ signal }) => getProducts(signal),
      // The catalogue changes by administration, rarely.
      staleTime: 300_000,
    }),
  );
}
