// TanStack Query defaults for the whole SPA. Plant-floor screens stay open for hours, so failures are
// retried only when retrying can help (network trouble, 5xx), never for a 4xx the server meant.
import type { DefaultOptions } from '@tanstack/react-query';
import { ApiError } from './api-client.ts';

const MAX_RETRIES = 2;

/** Whether a failed query should be tried again after `failureCount` failures. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export const queryConfig = {
  queries: {
    retry: shouldRetry,
    staleTime: 30_000,
    // Monitors on the line never lose focus; desktops that do would refetch everything on every alt-tab.
    refetchOnWindowFocus: false,
  },
  mutations: {
    retry: false,
  },
} satisfies DefaultOptions;
