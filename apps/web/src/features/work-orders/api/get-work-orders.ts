// GET /work-orders: work orders with their progress figures, newest first, filtered by status, line and product.
// The board reads the open orders in one page (a plant's open backlog is far below the limit); the finished ones
// are read a page at a time ("Load more").
import { ZWorkOrder, listOf, type TWorkOrder, type TWorkOrderStatus } from '@takt/contracts';
import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  skipToken,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** Every work-order query sits under this key, so a change or a live event refreshes them all at once. */
export const workOrdersQueryKey = ['work-orders'] as const;

/** Counts come from the machines without a work-order event, so running orders are re-read this often. */
export const WORK_ORDERS_REFRESH_MS = 30_000;

/** The most orders the API answers in one page. */
export const WORK_ORDERS_MAX_PAGE = 500;
const HISTORY_PAGE_SIZE = 100;

export type TWorkOrderListParams = {
  statuses: readonly TWorkOrderStatus[];
  lineId: string | null;
  productId: string | null;
};

export type TWorkOrderPage = { items: TWorkOrder[]; nextCursor: string | null };

const ZWorkOrderPage = listOf(ZWorkOrder);

export function getWorkOrders(
  params: TWorkOrderListParams,
  page: { limit: number; cursor: string | null },
  signal?: AbortSignal,
): Promise<TWorkOrderPage> {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (params.statuses.length > 0) query.set('status', params.statuses.join(','));
  if (params.lineId !== null) query.set('lineId', params.lineId);
  if (params.productId !== null) query.set('productId', params.productId);
  if (page.cursor !== null) query.set('cursor', page.cursor);
  return api.get(`/work-orders?${query.toString()}`, ZWorkOrderPage, { signal });
}

/** One page of up to 500 orders, re-read every 30 s (the open orders: the board and the dispatch picker). */
export function workOrdersQueryOptions(params: TWorkOrderListParams) {
  return queryOptions({
    queryKey: [...workOrdersQueryKey, 'list', params],
    queryFn: ({ signal }) => getWorkOrders(params, { limit: WORK_ORDERS_MAX_PAGE, cursor: null }, signal),
    refetchInterval: WORK_ORDERS_REFRESH_MS,
  });
}

export function useWorkOrders(params: TWorkOrderListParams) {
  return useQuery(workOrdersQueryOptions(params));
}

/** Pages of 100, newest first (the finished orders); null (an open view, read in full instead) asks nothing. */
export function workOrderPagesQueryOptions(params: TWorkOrderListParams | null) {
  return infiniteQueryOptions({
    queryKey: [...workOrdersQueryKey, 'pages', params],
    queryFn:
      params === null
        ? skipToken
        : ({ pageParam, signal }) => getWorkOrders(params, { limit: HISTORY_PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useWorkOrderPages(params: TWorkOrderListParams | null) {
  return useInfiniteQuery(workOrderPagesQueryOptions(params));
}
