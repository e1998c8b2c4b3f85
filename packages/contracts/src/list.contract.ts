// List conventions (docs/api.md): `limit` + opaque `cursor` in the query string,
// `{ items, nextCursor }` in the answer (`nextCursor` null on the last page). The cursor of each list is one
// codec of cursor.contract.ts; the orders several lists share have theirs here.
import { z } from 'zod';
import {
  cursorCodec,
  ZCursorBigintId,
  ZCursorInstant,
  ZCursorText,
  ZCursorUuid,
  type CursorCodec,
} from './cursor.contract.ts';

const ZListLimit = z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Page size (1–500).' });

/** `limit` and the `cursor` of `codec`: the query of a list, which extends it with its filters. */
export function listQuery<T extends z.ZodTuple>(codec: CursorCodec<T>) {
  return z.object({ limit: ZListLimit, cursor: codec.param });
}

/** Lists ordered by a code, then the id (plant items, shift patterns, data sources). */
export const codeOrderCursor = cursorCodec(z.tuple([ZCursorText, ZCursorUuid]));
/** Lists ordered by an instant, then the id (work orders, ingest tokens, planned downtime). */
export const instantOrderCursor = cursorCodec(z.tuple([ZCursorInstant, ZCursorUuid]));
/** Lists ordered by a bigint sequence id (audit log, dead letters). */
export const sequenceOrderCursor = cursorCodec(z.tuple([ZCursorBigintId]));

/** The page schema of a list of `item`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Query-string booleans: `true`/`false`/`1`/`0`. */
export const ZQueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const ZUuidParams = z.object({ id: z.uuid().meta({ description: 'Resource id (UUID).' }) });
