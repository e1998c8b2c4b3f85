// List conventions (DESIGN.md "HTTP API conventions"): `limit` + opaque `cursor` in the query string,
// `{ items, nextCursor }` in the answer (`nextCursor` null on the last page).
import { z } from 'zod';

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Page size (1–500).' }),
  cursor: z.string().min(1).max(500).optional().meta({ description: 'nextCursor of the previous page.' }),
});
export type TListQuery = z.infer<typeof ZListQuery>;

/** The page schema of a list of `item`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Query-string booleans: `true`/`false`/`1`/`0`. */
export const ZQueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const ZUuidParams = z.object({ id: z.uuid().meta({ description: 'Resource id (UUID).' }) });
