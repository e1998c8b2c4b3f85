// POST /downtime-intervals/classify: one reason for one or several stops. The stop lists and every KPI query
// (Pareto, OEE) are refetched, because the server recomputed their figures.
import { ZDowntimeIntervalItems, type TDowntimeClassifyRequest, type TDowntimeIntervalItems } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { downtimeIntervalsQueryKey } from './get-downtime-intervals.ts';

export function classifyDowntime(body: TDowntimeClassifyRequest): Promise<TDowntimeIntervalItems> {
  return api.post('/downtime-intervals/classify', body, ZDowntimeIntervalItems);
}

export function useClassifyDowntime({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: classifyDowntime,
    onSuccess: async () => {
      onSuccess?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: downtimeIntervalsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['kpi'] }),
      ]);
    },
  });
}
