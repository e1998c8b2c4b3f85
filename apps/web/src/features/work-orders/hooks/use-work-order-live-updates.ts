// Keeps the work-order queries in step with the plant (docs/conventions.md rule 6): a `work-order` event on the live stream
// (created, released, dispatched, started, paused, counts adjusted … by anyone) refetches every work-order query,
// so a second supervisor sees a status change without reloading; `reload` (events missed for good) does the same.
// Counts that grow while an order runs are not work-order events: the queries re-read those on their interval.
import { useQueryClient } from '@tanstack/react-query';
import { useLiveEvents, type TLiveConnection } from '../../../lib/live-stream.ts';
import { workOrdersQueryKey } from '../api/get-work-orders.ts';

const EVENT_TYPES = ['work-order', 'reload'] as const;

export function useWorkOrderLiveUpdates(): TLiveConnection {
  const queryClient = useQueryClient();
  return useLiveEvents(EVENT_TYPES, () => {
    void queryClient.invalidateQueries({ queryKey: workOrdersQueryKey });
  });
}
