// RFC 9457 problem details: the one error shape of the HTTP API.
import { z } from 'zod';

export const ZFieldError = z.object({
  path: z.string().meta({ description: 'Where the bad value is, e.g. `body.username`.' }),
  message: z.string(),
});

export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(ZFieldError).optional(),
});
export type TProblem = z.infer<typeof ZProblem>;
export type TFieldError = z.infer<typeof ZFieldError>;
