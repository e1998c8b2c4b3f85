// GET /auth/me: who is signed in. The query's data is the session state of the whole SPA: a user, or null
// when the API answers 401. Login writes it, logout and any 401 elsewhere reset it to null.
import { ZSessionResponse, type TUser } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api-client.ts';

export const meQueryKey = ['auth', 'me'] as const;

export async function getMe(signal?: AbortSignal): Promise<TUser | null> {
  try {
    const session = await api.get('/auth/me', ZSessionResponse, { signal });
    return session.user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
    // Coming back to the tab is when an expired session is most likely to surface; ask once then.
    refetchOnWindowFocus: true,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}
