// GET /health: is the API up, and are its database and MQTT broker? Polled for the status bar, so a plant
// engineer sees a dead broker before wondering why the OEE figures stopped moving.
import { ZHealthResponse, type THealthResponse } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { env } from '../../../config/env.ts';
import { api } from '../../../lib/api-client.ts';

export const healthQueryKey = ['health'] as const;

export function getHealth(signal?: AbortSignal): Promise<THealthResponse> {
  // A degraded API may answer 503 with the same body; that is a status to show, not an error.
  return api.get('/health', ZHealthResponse, { signal, okStatuses: [503] });
}

export function healthQueryOptions() {
  return queryOptions({
    queryKey: healthQueryKey,
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: env.healthPollMs,
    staleTime: 0,
    retry: false,
  });
}

export function useHealth() {
  return useQuery(healthQueryOptions());
}
