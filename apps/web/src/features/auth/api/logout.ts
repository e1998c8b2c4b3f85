// POST /auth/logout: ends the session server-side, then drops everything cached for this user so the next
// person at a shared plant-floor terminal never sees it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api-client.ts';
import { meQueryKey } from './get-me.ts';

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } catch (error) {
    // An expired session is as signed out as it gets; anything else (network, 5xx) is a real failure.
    if (error instanceof ApiError && error.status === 401) return;
    throw error;
  }
}

export function useLogout({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      // Leave the page first (the caller navigates to /login), then forget the user.
      onSuccess?.();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
