// The database side of the OFFLINE watchdog (machine-liveness.watchdog.ts): which machines the plant has, with
// their latest state interval and latest logged timeline event (of any process), for the never-heard-from check.
import type { TMachineState } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { UnheardCandidate } from './machine-liveness.watchdog.ts';

/** Every machine that is not archived, with its latest interval's state and start and its latest event time. */
export async function loadUnheardCandidates(prisma: PrismaClient): Promise<UnheardCandidate[]> {
  const rows = await prisma.$queryRaw<
    { id: string; state: TMachineState | null; started_at: Date | null; latest_ts: Date | null }[]
  >`
    SELECT m.id::text AS id, s.state::text AS state, s.started_at,
           (SELECT max(e.ts) FROM ingest_timeline_event e WHERE e.machine_id = m.id) AS latest_ts
    FROM machine m
    LEFT JOIN LATERAL (
      SELECT state, started_at FROM machine_state_interval i WHERE i.machine_id = m.id
      ORDER BY started_at DESC LIMIT 1
    ) s ON true
    WHERE m.archived_at IS NULL`;
  return rows.map((row) => ({
    machineId: row.id,
    latestState: row.state,
    latestStartedAtMs: row.started_at?.getTime() ?? null,
    latestEventTsMs: row.latest_ts?.getTime() ?? null,
  }));
}
