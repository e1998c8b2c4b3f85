// GET /machines/status: every machine's current state for the overview tiles. Refreshed every few
// seconds; the server answers from a shared, at most one-second-old snapshot.
import { ZMachineStatusResponse, type TMachineStatusResponse } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const MACHINE_STATUS_REFRESH_MS = 5_000;

export const machineStatusesQueryKey = ['machines', 'status'] as const;

export function getMachineStatuses(signal?: AbortSignal): Promise<TMachineStatusResponse> {
  return api.get('/machines/status', ZMachineStatusResponse, { signal });
}

export function machineStatusesQueryOptions() {
  return queryOptions({
    queryKey: machineStatusesQueryKey,
    queryFn: ({ signal }) => getMachineStatuses(signal),
    refetchInterval: MACHINE_STATUS_REFRESH_MS,
  });
}

export function useMachineStatuses() {
  return useQuery(machineStatusesQueryOptions());
}
