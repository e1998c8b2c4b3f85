// POST /downtime-intervals/:id/split: a stop in two at an instant inside it, each part optionally classified.
import { ZDowntimeIntervalItems, type TDowntimeIntervalItems, type TDowntimeSplitRequest } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { downtimeIntervalsQueryKey } from './get-downtime-intervals.ts';

export function splitDowntime(input: { id: string; body: TDowntimeSplitRequest }): Promise<TDowntimeIntervalItems> {
  return api.post(`/downtime-intervals/${encodeURIComponent(input.id)}/split`, input.body, ZDowntimeIntervalItems);
}

export function useSplitDowntime({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: splitDowntime,
    onSuccess: async () => {
      onSuccess?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: downtimeIntervalsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['kpi'] }),
      ]);
    },
  });
}
