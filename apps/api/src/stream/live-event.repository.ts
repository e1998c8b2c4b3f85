// Reads of the live-event outbox and the current line states for the stream: the only stream module that
// touches Prisma. Writers append with appendLiveEvents (@takt/db).
import type { PrismaClient } from '@takt/db';

/** An outbox row as the hub needs it: the payload stays JSON text, so that it is never re-serialised. */
export type LiveEventRow = {
  id: bigint;
  atMs: number;
  type: string;
  siteId: string | null;
  areaId: string | null;
  lineId: string | null;
  machineId: string | null;
  payloadJson: string;
};

type RawRow = {
  id: string;
  at_ms: number;
  type: string;
  site_id: string | null;
  area_id: string | null;
  line_id: string | null;
  machine_id: string | null;
  payload_json: string;
};

export async function readMaxLiveEventId(prisma: PrismaClient): Promise<bigint> {
  const rows = await prisma.$queryRaw<{ id: string | null }[]>`SELECT max(id)::text AS id FROM live_event`;
  return BigInt(rows[0]?.id ?? 0);
}

/** Smallest id still in the outbox (older ones were pruned), or null when it is empty. */
export async function readOldestLiveEventId(prisma: PrismaClient): Promise<bigint | null> {
  const rows = await prisma.$queryRaw<{ id: string | null }[]>`SELECT min(id)::text AS id FROM live_event`;
  const id = rows[0]?.id ?? null;
  return id === null ? null : BigInt(id);
}

/** Rows with afterId < id <= upToId, in id order, at most `limit`. */
export async function readLiveEventsAfter(
  prisma: PrismaClient,
  afterId: bigint,
  upToId: bigint | null,
  limit: number,
): Promise<LiveEventRow[]> {
  const upper = upToId ?? 9_223_372_036_854_775_807n;
  const rows = await prisma.$queryRaw<RawRow[]>`
    SELECT id::text AS id, (extract(epoch FROM at) * 1000)::float8 AS at_ms, type,
           site_id::text AS site_id, area_id::text AS area_id, line_id::text AS line_id,
           machine_id::text AS machine_id, payload::text AS payload_json
    FROM live_event
    WHERE live_event.id > ${afterId.toString()}::bigint AND live_event.id <= ${upper.toString()}::bigint
    -- live_event.id, not the text alias of the select list, which would sort '10' before '8'.
    ORDER BY live_event.id
    LIMIT ${limit}`;
  return rows.map((row) => ({
    id: BigInt(row.id),
    atMs: Math.round(Number(row.at_ms)),
    type: row.type,
    siteId: row.site_id,
    areaId: row.area_id,
    lineId: row.line_id,
    machineId: row.machine_id,
    payloadJson: row.payload_json,
  }));
}

/** Deletes outbox rows older than `before`; returns how many. */
export async function pruneLiveEvents(prisma: PrismaClient, before: Date): Promise<number> {
  return prisma.$executeRaw`DELETE FROM live_event WHERE at < ${before}`;
}

export type LineStateCountRow = {
  lineId: string;
  areaId: string;
  siteId: string;
  state: string | null;
  machineCount: number;
};

/** Per line of the plant (not archived), how many machines are in each state now (null: no open interval). */
export async function readLineStateCounts(prisma: PrismaClient): Promise<LineStateCountRow[]> {
  const rows = await prisma.$queryRaw<
    { line_id: string; area_id: string; site_id: string; state: string | null; machine_count: number }[]
  >`
    SELECT l.id::text AS line_id, a.id::text AS area_id, a.site_id::text AS site_id,
           msi.state::text AS state, count(*)::int AS machine_count
    FROM machine m
    JOIN line l ON l.id = m.line_id
    JOIN area a ON a.id = l.area_id
    LEFT JOIN machine_state_interval msi ON msi.machine_id = m.id AND msi.ended_at IS NULL
    WHERE m.archived_at IS NULL AND l.archived_at IS NULL
    GROUP BY 1, 2, 3, 4`;
  return rows.map((row) => ({
    lineId: row.line_id,
    areaId: row.area_id,
    siteId: row.site_id,
    state: row.state,
    machineCount: Number(row.machine_count),
  }));
}

/** Which of `sessionIds` are still valid now: not ended, not past their absolute expiry, user enabled. */
export async function readValidSessionIds(prisma: PrismaClient, sessionIds: readonly string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await prisma.session.findMany({
    where: { id: { in: [...sessionIds] }, expiresAt: { gt: new Date() }, user: { disabledAt: null } },
    select: { id: true },
  });
  return new Set(rows.map((row) => row.id));
}
