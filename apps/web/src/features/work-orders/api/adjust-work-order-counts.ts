// POST /work-orders/:id/adjustments: a manual correction of the good and scrap counts with its reason (audited),
// e.g. parts found defective at final inspection.
import { ZWorkOrder, type TWorkOrder, type TWorkOrderAdjustmentRequest } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { applyWorkOrderChange, refetchAfterRefusal, type TWorkOrderRef } from './work-order-cache.ts';

export function adjustWorkOrderCounts(input: {
  order: TWorkOrderRef;
  body: TWorkOrderAdjustmentRequest;
}): Promise<TWorkOrder> {
  return api.post(`/work-orders/${encodeURIComponent(input.order.id)}/adjustments`, input.body, ZWorkOrder, {
    ifMatchVersion: input.order.version,
  });
}

export function useAdjustWorkOrderCounts({ onSuccess }: { onSuccess?: (order: TWorkOrder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: adjustWorkOrderCounts,
    onSuccess: async (order) => {
      onSuccess?.(order);
      await applyWorkOrderChange(queryClient, order);
    },
    onError: (error) => refetchAfterRefusal(queryClient, error),
  });
}
