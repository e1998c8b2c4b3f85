// POST /auth/login: exchanges a username and password for a session cookie and seeds the `me` query with the
// returned user, so the shell renders at once without asking /auth/me again.
import { ZSessionResponse, type TLoginRequest, type TUser } from '@takt/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { meQueryKey } from './get-me.ts';

/** Lets the global 401 handler tell "wrong password" from "session expired". */
export const loginMutationKey = ['auth', 'login'] as const;

export async function login(input: TLoginRequest): Promise<TUser> {
  const session = await api.post('/auth/login', input, ZSessionResponse);
  return session.user;
}

export function useLogin({ onSuccess }: { onSuccess?: (user: TUser) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: loginMutationKey,
    mutationFn: login,
    onSuccess: (user) => {
      queryClient.setQueryData(meQueryKey, user);
      onSuccess?.(user);
    },
  });
}
