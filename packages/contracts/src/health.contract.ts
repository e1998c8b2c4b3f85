// GET /api/v1/health: liveness plus the status of the two peers the product depends on.
import { z } from 'zod';

export const ZDependencyStatus = z.object({
  status: z.enum(['up', 'down']),
  mode: z.enum(['embedded', 'external']),
  latencyMs: z.number().nonnegative().optional(),
  detail: z.string().optional(),
});

export const ZHealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSec: z.number().nonnegative(),
  database: ZDependencyStatus,
  broker: ZDependencyStatus,
});
export type THealthResponse = z.infer<typeof ZHealthResponse>;
export type TDependencyStatus = z.infer<typeof ZDependencyStatus>;
