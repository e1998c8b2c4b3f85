// De-duplication keys (ingest_event_key): a batch inserts the keys of its events, and an event whose key was
// stored already, or repeated earlier in the batch, is a duplicate that writes nothing else.
import type { Prisma } from '@takt/db';
import type { ResolvedEvent } from './resolved-event.ts';
import { encodeTextArray } from './sql-array.encoder.ts';

/** Inserts the batch's keys; returns the tickets whose key was already stored or repeated within the batch. */
export async function insertEventKeys(
  tx: Prisma.TransactionClient,
  events: readonly ResolvedEvent[],
): Promise<Set<number>> {
  const duplicates = new Set<number>();
  const firstByKey = new Map<string, number>();
  for (const event of events) {
    // A heartbeat writes nothing: nothing to repeat, no key to keep.
    if (event.body.kind === 'heartbeat') continue;
    if (firstByKey.has(event.dedupKey)) duplicates.add(event.ticket);
    else firstByKey.set(event.dedupKey, event.ticket);
  }
  if (firstByKey.size === 0) return duplicates;
  // The inserted keys come back only when some key was stored already (rare): the common answer is one number.
  const [row] = await tx.$queryRaw<{ inserted: number; keys: string[] | null }[]>`
    WITH ins AS (
      INSERT INTO ingest_event_key (event_key)
      SELECT k FROM unnest(${encodeTextArray([...firstByKey.keys()])}::text[]) AS k
      ON CONFLICT (event_key) DO NOTHING
      RETURNING event_key
    ), n AS (SELECT count(*)::int AS inserted FROM ins)
    SELECT n.inserted, CASE WHEN n.inserted < ${firstByKey.size} THEN (SELECT array_agg(event_key) FROM ins) END AS keys
    FROM n`;
  if (!row || row.inserted === firstByKey.size) return duplicates;
  const isNew = new Set(row.keys ?? []);
  for (const [key, ticket] of firstByKey) if (!isNew.has(key)) duplicates.add(ticket);
  return duplicates;
}
