// POST /work-orders/:id/dispatch: assign a RELEASED order to a line (again, to move it, until it starts).
import { ZWorkOrder, type TWorkOrder } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { applyWorkOrderChange, refetchAfterRefusal, type TWorkOrderRef } from './work-order-cache.ts';

export function dispatchWorkOrder(input: {
  order: TWorkOrderRef;
  lineId: string;
  note: string | undefined;
}): Promise<TWorkOrder> {
  const body = input.note === undefined ? { lineId: input.lineId } : { lineId: input.lineId, note: input.note };
  return api.post(`/work-orders/${encodeURIComponent(input.order.id)}/dispatch`, body, ZWorkOrder, {
    ifMatchVersion: input.order.version,
  });
}

export function useDispatchWorkOrder({ onSuccess }: { onSuccess?: (order: TWorkOrder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: dispatchWorkOrder,
    onSuccess: async (order) => {
      onSuccess?.(order);
      await applyWorkOrderChange(queryClient, order);
    },
    onError: (error) => refetchAfterRefusal(queryClient, error),
  });
}
