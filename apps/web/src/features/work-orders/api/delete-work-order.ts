// DELETE /work-orders/:id: a DRAFT order that never went anywhere (later ones are cancelled instead).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { workOrderQueryKey } from './get-work-order.ts';
import { workOrdersQueryKey } from './get-work-orders.ts';
import { refetchAfterRefusal, type TWorkOrderRef } from './work-order-cache.ts';

export function deleteWorkOrder(order: TWorkOrderRef): Promise<void> {
  return api.delete(`/work-orders/${encodeURIComponent(order.id)}`, undefined, { ifMatchVersion: order.version });
}

export function useDeleteWorkOrder({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteWorkOrder,
    onSuccess: async (_result, order) => {
      onSuccess?.();
      queryClient.removeQueries({ queryKey: workOrderQueryKey(order.id) });
      await queryClient.invalidateQueries({ queryKey: workOrdersQueryKey });
    },
    onError: (error) => refetchAfterRefusal(queryClient, error),
  });
}
