// PATCH /work-orders/:id: number, product, target or due date of a DRAFT or RELEASED order, If-Match the version
// on screen.
import { ZWorkOrder, type TWorkOrder, type TWorkOrderUpdate } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { applyWorkOrderChange, refetchAfterRefusal, type TWorkOrderRef } from './work-order-cache.ts';

export function updateWorkOrder(input: { order: TWorkOrderRef; body: TWorkOrderUpdate }): Promise<TWorkOrder> {
  return api.patch(`/work-orders/${encodeURIComponent(input.order.id)}`, input.body, ZWorkOrder, {
    ifMatchVersion: input.order.version,
  });
}

export function useUpdateWorkOrder({ onSuccess }: { onSuccess?: (order: TWorkOrder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateWorkOrder,
    onSuccess: async (order) => {
      onSuccess?.(order);
      await applyWorkOrderChange(queryClient, order);
    },
    onError: (error) => refetchAfterRefusal(queryClient, error),
  });
}
