// Production counts (production_count): count adjustments — count events, and the deltas of counter readings,
// negative when a late reading moves parts to another bucket — are added to 60 s buckets keyed (machine, minute,
// product, work order), with the product and work order of the state interval covering the count's time (after
// the batch's interval writes). A bucket never goes below 0, and one a late reading empties is deleted.
//
// One SQL writes them (countBucketParts). A machine's counts in one bucket go as one group, resolved at its
// earliest count, when no interval starts among them (the rule, by far); a group holding an interval start is
// skipped (`is_split`), and finishCounts runs the same SQL again over its counts, each a group of its own.
import { Prisma } from '@takt/db';
import { encodePlainArray, encodeTextArray } from './sql-array.encoder.ts';

/** production_count bucket length (schema.prisma ProductionCount, default bucket_sec 60). */
export const COUNT_BUCKET_SEC = 60;

/** Parts to add at `tsMs` (negative: parts a late counter reading moved away). */
export type CountAdjustment = { machineId: string; tsMs: number; good: number; reject: number };

/** The count adjustments of one machine in one bucket: what the SQL writes and listeners hear of. */
export type CountGroup = {
  machineId: string;
  bucketStartMs: number;
  minTsMs: number;
  maxTsMs: number;
  good: number;
  reject: number;
  /** Some member is negative (a late reading moved parts away): emptied buckets are deleted. */
  hasNegative: boolean;
  members: CountAdjustment[];
};

/** What the count SQL wrote: rows written, their ids, and the (1-based) groups it skipped as split. */
export type CountsWritten = { written: number; ids: string[]; splitOrds: number[] };

/** Start of the 60 s bucket holding `tsMs` (floored to the UTC minute). */
export function countBucketStartMs(tsMs: number): number {
  return Math.floor(tsMs / (COUNT_BUCKET_SEC * 1000)) * COUNT_BUCKET_SEC * 1000;
}

function groupOf(count: CountAdjustment): CountGroup {
  return {
    machineId: count.machineId,
    bucketStartMs: countBucketStartMs(count.tsMs),
    minTsMs: count.tsMs,
    maxTsMs: count.tsMs,
    good: count.good,
    reject: count.reject,
    hasNegative: count.good < 0 || count.reject < 0,
    members: [count],
  };
}

/** The adjustments by machine and bucket. */
export function groupCounts(counts: readonly CountAdjustment[]): CountGroup[] {
  const groups = new Map<string, CountGroup>();
  for (const count of counts) {
    const key = `${count.machineId}|${countBucketStartMs(count.tsMs)}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, groupOf(count));
      continue;
    }
    if (count.tsMs < group.minTsMs) group.minTsMs = count.tsMs;
    if (count.tsMs > group.maxTsMs) group.maxTsMs = count.tsMs;
    group.good += count.good;
    group.reject += count.reject;
    if (count.good < 0 || count.reject < 0) group.hasNegative = true;
    group.members.push(count);
  }
  return [...groups.values()];
}

/**
 * The count SQL, as parts (`name AS (...)`) of a statement: defines `resolved` (with `is_split` and `ord`) and
 * `written` (the ids of the rows written) for the statement's result.
 */
export function countBucketParts(groups: readonly CountGroup[]): Prisma.Sql[] {
  return [
    Prisma.sql`count_groups AS (
      SELECT g.machine_id, timestamptz 'epoch' + g.bucket_ms * interval '1 millisecond' AS bucket_start,
             timestamptz 'epoch' + g.min_ms * interval '1 millisecond' AS min_ts,
             timestamptz 'epoch' + g.max_ms * interval '1 millisecond' AS max_ts, g.good, g.reject, g.ord
      FROM unnest(${encodeTextArray(groups.map((group) => group.machineId))}::uuid[],
                  ${encodePlainArray(groups.map((group) => group.bucketStartMs))}::bigint[],
                  ${encodePlainArray(groups.map((group) => group.minTsMs))}::bigint[],
                  ${encodePlainArray(groups.map((group) => group.maxTsMs))}::bigint[],
                  ${encodePlainArray(groups.map((group) => group.good))}::int[],
                  ${encodePlainArray(groups.map((group) => group.reject))}::int[])
           WITH ORDINALITY AS g(machine_id, bucket_ms, min_ms, max_ms, good, reject, ord)
    )`,
    Prisma.sql`resolved AS (
      SELECT g.*, s.product_id, s.work_order_id,
             EXISTS (SELECT 1 FROM machine_state_interval x
                     WHERE x.machine_id = g.machine_id AND x.started_at > g.min_ts AND x.started_at <= g.max_ts)
               AS is_split
      FROM count_groups g
      LEFT JOIN LATERAL (
        SELECT product_id, work_order_id FROM machine_state_interval s
        WHERE s.machine_id = g.machine_id AND s.started_at <= g.min_ts ORDER BY s.started_at DESC LIMIT 1
      ) s ON true
    )`,
    Prisma.sql`grouped AS (
      SELECT machine_id, bucket_start, product_id, work_order_id, SUM(good)::int AS good, SUM(reject)::int AS reject
      FROM resolved WHERE NOT is_split GROUP BY machine_id, bucket_start, product_id, work_order_id
    )`,
    Prisma.sql`lowered AS (
      -- Net-negative sums only ever lower an existing bucket (the CHECK forbids inserting them).
      UPDATE production_count p
      SET good_count = GREATEST(0, p.good_count + g.good), reject_count = GREATEST(0, p.reject_count + g.reject)
      FROM grouped g
      WHERE (g.good < 0 OR g.reject < 0) AND p.machine_id = g.machine_id
        AND p.bucket_start = g.bucket_start AND p.bucket_sec = ${COUNT_BUCKET_SEC}
        AND p.product_id IS NOT DISTINCT FROM g.product_id AND p.work_order_id IS NOT DISTINCT FROM g.work_order_id
      RETURNING p.id
    )`,
    Prisma.sql`raised AS (
      INSERT INTO production_count AS p
        (machine_id, bucket_start, bucket_sec, product_id, work_order_id, good_count, reject_count)
      SELECT machine_id, bucket_start, ${COUNT_BUCKET_SEC}, product_id, work_order_id, good, reject
      FROM grouped WHERE good >= 0 AND reject >= 0
      ON CONFLICT (machine_id, bucket_start, bucket_sec, product_id, work_order_id) DO UPDATE
      SET good_count = p.good_count + EXCLUDED.good_count, reject_count = p.reject_count + EXCLUDED.reject_count
      RETURNING p.id
    )`,
    Prisma.sql`written AS (SELECT id FROM lowered UNION ALL SELECT id FROM raised)`,
  ];
}

/**
 * The rest of the count writes after the batch's statement (`first`): the counts of the groups it skipped as
 * split, each resolved at its own time, and the buckets a late reading emptied. Returns the rows written in all.
 */
export async function finishCounts(
  tx: Prisma.TransactionClient,
  groups: readonly CountGroup[],
  first: CountsWritten,
): Promise<number> {
  let written = first.written;
  const ids = [...first.ids];
  const splitCounts = first.splitOrds.flatMap((ord) => groups[ord - 1]?.members ?? []);
  if (splitCounts.length > 0) {
    const [row] = await tx.$queryRaw<{ written: number; ids: (bigint | string)[] | null }[]>`
      WITH ${Prisma.join(countBucketParts(splitCounts.map(groupOf)), ',\n')}
      SELECT (SELECT count(*)::int FROM written) AS written, (SELECT array_agg(id) FROM written) AS ids`;
    written += row?.written ?? 0;
    for (const id of row?.ids ?? []) ids.push(String(id));
  }
  if (groups.some((group) => group.hasNegative)) {
    // Parts moved away can leave a bucket empty: remove it, as if they had never been there.
    await tx.$executeRaw`
      DELETE FROM production_count
      WHERE id = ANY(${encodeTextArray(ids)}::bigint[]) AND good_count = 0 AND reject_count = 0`;
  }
  return written;
}
