// Forgets what the reorder window no longer needs. Keys and timeline events are kept for twice the window
// (`maxEventAgeMs`; older events are rejected as too late), so that a duplicate can never outlive its key and a
// late event always finds the events around it.
import type { PrismaClient } from '@takt/db';

/**
 * Deletes de-duplication keys and timeline events older than `cutoffMs`, keeping each counter's last reading
 * before the cutoff (the baseline of the next one).
 */
export async function pruneIngestHistory(prisma: PrismaClient, cutoffMs: number): Promise<void> {
  const cutoff = new Date(cutoffMs).toISOString();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM ingest_event_key WHERE received_at < ${cutoff}::timestamptz`;
    await tx.$executeRaw`
      DELETE FROM ingest_timeline_event e
      WHERE e.ts < ${cutoff}::timestamptz
        AND (e.kind NOT LIKE 'counter:%' OR EXISTS (
          SELECT 1 FROM ingest_timeline_event n
          WHERE n.machine_id = e.machine_id AND n.kind = e.kind AND n.ts < ${cutoff}::timestamptz
            AND (n.ts, n.id) > (e.ts, e.id)))`;
  });
}
