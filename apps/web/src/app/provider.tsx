// Providers around the whole SPA: the language and the query client. The query client lives here because this
// is where the session rule can see both the cache and the auth feature: any query answered 401 means the
// session is gone.
import { hashKey, MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { meQueryKey } from '../features/auth/api/get-me.ts';
import { loginMutationKey } from '../features/auth/api/login.ts';
import { ApiError } from '../lib/api-client.ts';
import { I18nProvider } from '../lib/i18n/i18n.tsx';
import { queryConfig } from '../lib/react-query.ts';

function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    defaultOptions: queryConfig,
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(meQueryKey, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        // A 401 from the login form means wrong credentials, not an expired session.
        const isLogin =
          mutation.options.mutationKey !== undefined &&
          hashKey(mutation.options.mutationKey) === hashKey(loginMutationKey);
        if (!isLogin && error instanceof ApiError && error.status === 401) queryClient.setQueryData(meQueryKey, null);
      },
    }),
  });
  return queryClient;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </I18nProvider>
  );
}
