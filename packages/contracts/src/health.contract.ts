// GET /api/v1/health: liveness plus the status of the two peers the product depends on.
import { z } from 'zod';

export const ZDependencyStatus = z.object({
  status: z.enum(['up', 'down']),
  mode: z.enum(['embedded', 'external']),
  latencyMs: z.number().nonnegative().optional(),
  detail: z.string().optional(),
});

export const ZHealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptimeSec: z.number().nonnegative(),
    database: ZDependencyStatus,
    broker: ZDependencyStatus,
  })
  .meta({
    examples: [
      {
        status: 'degraded',
        version: '0.1.0',
        uptimeSec: 3600,
        database: { status: 'up', mode: 'external', latencyMs: 1.2 },
        broker: { status: 'down', mode: 'external', detail: 'not connected' },
      },
    ],
  });
export type THealthResponse = z.infer<typeof ZHealthResponse>;
export type TDependencyStatus = z.infer<typeof ZDependencyStatus>;
