// The SPA's configuration: the only module that reads import.meta.env. Validated with zod at start-up so a
// bad build-time variable fails loudly with its name instead of as a broken request later.
import { loadEnv } from '@takt/contracts';
import { z } from 'zod';

const ZWebEnv = z.object({
  VITE_API_URL: z
    .string()
    .trim()
    .refine((value) => value.startsWith('/') || URL.canParse(value), {
      message: 'must be a path like /api/v1 or an absolute URL',
    })
    .transform((value) => value.replace(/\/+$/, ''))
    .default('/api/v1'),
  VITE_HEALTH_POLL_MS: z.coerce.number().int().min(1000).default(15_000),
});

const parsed = loadEnv(ZWebEnv, {
  VITE_API_URL: import.meta.env.VITE_API_URL,
  VITE_HEALTH_POLL_MS: import.meta.env.VITE_HEALTH_POLL_MS,
});

export const env = {
  apiUrl: parsed.VITE_API_URL,
  healthPollMs: parsed.VITE_HEALTH_POLL_MS,
} as const;
