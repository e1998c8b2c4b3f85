// POST /work-orders: a new DRAFT order (409 when the number is in use).
import { ZWorkOrder, type TWorkOrder, type TWorkOrderCreate } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { applyWorkOrderChange } from './work-order-cache.ts';

export function createWorkOrder(body: TWorkOrderCreate): Promise<TWorkOrder> {
  return api.post('/work-orders', body, ZWorkOrder);
}

export function useCreateWorkOrder({ onSuccess }: { onSuccess?: (order: TWorkOrder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWorkOrder,
    onSuccess: async (order) => {
      onSuccess?.(order);
      await applyWorkOrderChange(queryClient, order);
    },
  });
}
