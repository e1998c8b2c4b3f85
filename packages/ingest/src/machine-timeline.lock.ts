// The lock that serialises every read-recompute-write of a machine's state intervals: the ingest pipeline's batch
// writer and a supervisor's classification or split of a stop (apps/api) take it for the machines they change.
import type { Prisma } from '@takt/db';

/**
 * Takes the transaction-scoped advisory lock of each machine's timeline, in id order so that two writers
 * cannot deadlock; released at commit or rollback.
 */
export async function lockMachineTimelines(tx: Prisma.TransactionClient, machineIds: readonly string[]): Promise<void> {
  if (machineIds.length === 0) return;
  const sorted = [...new Set(machineIds)].sort();
  // The sorted subquery runs before the locks are taken, so every writer locks in the same order.
  await tx.$queryRaw`
    SELECT count(*)::int AS locked FROM (
      SELECT pg_advisory_xact_lock(hashtextextended('takt-ingest:' || s.m, 0))
      FROM (SELECT m FROM unnest(${sorted}::text[]) AS m ORDER BY m) s
    ) l`;
}
