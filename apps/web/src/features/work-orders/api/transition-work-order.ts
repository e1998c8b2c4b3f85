// POST /work-orders/:id/{release,start,pause,resume,complete,cancel}: one step of the lifecycle, with an optional
// note for the history, If-Match the version on screen. The server re-checks the step (409 with the reason, e.g.
// the line is busy with another order).
import { ZWorkOrder, type TWorkOrder, type TWorkOrderAction } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { applyWorkOrderChange, refetchAfterRefusal, type TWorkOrderRef } from './work-order-cache.ts';

export type TTransitionAction = Exclude<TWorkOrderAction, 'dispatch'>;

export function transitionWorkOrder(input: {
  order: TWorkOrderRef;
  action: TTransitionAction;
  note: string | undefined;
}): Promise<TWorkOrder> {
  const body = input.note === undefined ? {} : { note: input.note };
  return api.post(`/work-orders/${encodeURIComponent(input.order.id)}/${input.action}`, body, ZWorkOrder, {
    ifMatchVersion: input.order.version,
  });
}

export function useTransitionWorkOrder({ onSuccess }: { onSuccess?: (order: TWorkOrder) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: transitionWorkOrder,
    onSuccess: async (order) => {
      onSuccess?.(order);
      await applyWorkOrderChange(queryClient, order);
    },
    onError: (error) => refetchAfterRefusal(queryClient, error),
  });
}
