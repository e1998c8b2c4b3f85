// Writes the per-source ingest counters to ingest_source_status (read by GET /api/v1/ingest/status, which runs
// in another process than the bridge). Counters are added (each process reports what it counted since its last
// report), so that several processes and restarts sum up; the gauges (connected, rate, backlog, lag) are set.
import type { DataSourceKind, PrismaClient } from '@takt/db';

export type SourceStatusDelta = {
  sourceCode: string;
  sourceKind: DataSourceKind;
  isConnected: boolean | null;
  lastMessageAtMs: number | null;
  messages: number;
  messagesPerSec: number;
  duplicates: number;
  deadLetters: number;
  spoolDepth: number;
  pendingEvents: number;
  unackedMessages: number;
  lagMs: number | null;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Upserts one row per source in one statement. */
export async function writeIngestSourceStatus(prisma: PrismaClient, rows: readonly SourceStatusDelta[]): Promise<void> {
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO ingest_source_status AS s
      (source_code, source_kind, is_connected, last_message_at, messages_total, messages_per_sec, duplicates,
       dead_letters, spool_depth, pending_events, unacked_messages, lag_ms, updated_at)
    SELECT u.code, u.kind::"DataSourceKind", u.connected, u.last_at, u.messages, u.rate, u.duplicates, u.dead_letters,
           u.spool, u.pending, u.unacked, u.lag, now()
    FROM unnest(${rows.map((r) => r.sourceCode)}::text[], ${rows.map((r) => r.sourceKind)}::text[],
                ${rows.map((r) => r.isConnected)}::boolean[], ${rows.map((r) => iso(r.lastMessageAtMs))}::timestamptz[],
                ${rows.map((r) => r.messages)}::bigint[], ${rows.map((r) => r.messagesPerSec)}::float8[],
                ${rows.map((r) => r.duplicates)}::bigint[], ${rows.map((r) => r.deadLetters)}::bigint[],
                ${rows.map((r) => r.spoolDepth)}::int[], ${rows.map((r) => r.pendingEvents)}::int[],
                ${rows.map((r) => r.unackedMessages)}::int[],
                ${rows.map((r) => (r.lagMs === null ? null : Math.min(r.lagMs, 2_000_000_000)))}::int[])
         AS u(code, kind, connected, last_at, messages, rate, duplicates, dead_letters, spool, pending, unacked, lag)
    ON CONFLICT (source_code) DO UPDATE SET
      source_kind = EXCLUDED.source_kind,
      is_connected = EXCLUDED.is_connected,
      last_message_at = GREATEST(s.last_message_at, EXCLUDED.last_message_at),
      messages_total = s.messages_total + EXCLUDED.messages_total,
      messages_per_sec = EXCLUDED.messages_per_sec,
      duplicates = s.duplicates + EXCLUDED.duplicates,
      dead_letters = s.dead_letters + EXCLUDED.dead_letters,
      spool_depth = EXCLUDED.spool_depth,
      pending_events = EXCLUDED.pending_events,
      unacked_messages = EXCLUDED.unacked_messages,
      lag_ms = COALESCE(EXCLUDED.lag_ms, s.lag_ms),
      updated_at = now()`;
}
