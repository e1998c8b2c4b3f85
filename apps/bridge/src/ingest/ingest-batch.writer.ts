// Writes one ingest batch in one PostgreSQL transaction with multi-row statements (never a round trip per
// event): state intervals, 60 s production_count buckets, dead letters, and the `takt_events`
// notification. Arrays are passed whole and expanded with unnest(), so a batch of any size is a fixed
// handful of statements with a fixed number of bind parameters.
import { TAKT_EVENTS_CHANNEL, type TMachineState, type TTaktEventsNotification } from '@takt/contracts';
import type { Prisma, PrismaClient } from '@takt/db';
import { encodeDeadLetterPayload } from './dead-letter-payload.encoder.ts';
import type { EventOrigin, StateEvent } from './ingest-event.ts';
import { planStateIntervals, type IntervalSnapshot, type PlannedStateEvent } from './state-interval.planner.ts';

/** production_count bucket length (schema.prisma ProductionCount, default bucket_sec 60). */
export const COUNT_BUCKET_SEC = 60;

// Serialises ingest writers (several bridge processes, later the HTTP ingest route): the read-plan-write of
// intervals and the update-else-insert of count buckets must not interleave. Arbitrary constant ("takt").
const INGEST_ADVISORY_LOCK_KEY = 0x74616b74;

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below.
const NOTIFY_PAYLOAD_MAX_BYTES = 7_000;
const REASON_MAX_CHARS = 2_000;

export type ResolvedStateEvent = {
  machineId: string;
  reasonId: string | null;
  /** undefined: the event named no product (the machine keeps its product). */
  productId: string | null | undefined;
  event: StateEvent;
};

export type ResolvedCountEvent = { machineId: string; tsMs: number; goodCount: number; rejectCount: number };

export type DeadLetterInput = { origin: EventOrigin; reason: string };

export type IngestBatch = {
  states: ResolvedStateEvent[];
  counts: ResolvedCountEvent[];
  deadLetters: DeadLetterInput[];
};

export type IngestBatchResult = {
  intervalsInserted: number;
  intervalsUpdated: number;
  countEvents: number;
  duplicateStates: number;
  staleReplays: number;
  /** Every dead letter written, including the out-of-order state events found while planning. */
  deadLetters: DeadLetterInput[];
  notifications: number;
};

type LatestIntervalRow = {
  id: bigint;
  machine_id: string;
  state: TMachineState;
  started_at: Date;
  ended_at: Date | null;
  reason_id: string | null;
  product_id: string | null;
  source_code: string | null;
};

/** Start of the 60 s bucket holding `tsMs` (floored to the UTC minute). */
export function countBucketStartMs(tsMs: number): number {
  return Math.floor(tsMs / (COUNT_BUCKET_SEC * 1000)) * COUNT_BUCKET_SEC * 1000;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

async function loadLatestIntervals(
  tx: Prisma.TransactionClient,
  machineIds: string[],
): Promise<Map<string, IntervalSnapshot>> {
  if (machineIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<LatestIntervalRow[]>`
    SELECT DISTINCT ON (machine_id) id, machine_id::text AS machine_id, state::text AS state, started_at, ended_at,
           reason_id::text AS reason_id, product_id::text AS product_id, source_code
    FROM machine_state_interval
    WHERE machine_id = ANY(${machineIds}::uuid[])
    ORDER BY machine_id, started_at DESC`;
  return new Map(
    rows.map((row) => [
      row.machine_id,
      {
        id: row.id,
        machineId: row.machine_id,
        state: row.state,
        startedAtMs: row.started_at.getTime(),
        endedAtMs: row.ended_at?.getTime() ?? null,
        reasonId: row.reason_id,
        productId: row.product_id,
        sourceCode: row.source_code,
      },
    ]),
  );
}

async function updateIntervals(tx: Prisma.TransactionClient, rows: IntervalSnapshot[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE machine_state_interval AS s
    SET state = u.state::"MachineState", ended_at = u.ended_at, reason_id = u.reason_id,
        product_id = u.product_id, source_code = u.source_code
    FROM unnest(${rows.map((r) => String(r.id))}::bigint[], ${rows.map((r) => r.state)}::text[],
                ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[], ${rows.map((r) => r.reasonId)}::uuid[],
                ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.sourceCode)}::text[])
         AS u(id, state, ended_at, reason_id, product_id, source_code)
    WHERE s.id = u.id`;
}

async function insertIntervals(tx: Prisma.TransactionClient, rows: IntervalSnapshot[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO machine_state_interval (machine_id, state, started_at, ended_at, reason_id, product_id, source_code)
    SELECT u.machine_id, u.state::"MachineState", u.started_at, u.ended_at, u.reason_id, u.product_id, u.source_code
    FROM unnest(${rows.map((r) => r.machineId)}::uuid[], ${rows.map((r) => r.state)}::text[],
                ${rows.map((r) => iso(r.startedAtMs))}::timestamptz[], ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[],
                ${rows.map((r) => r.reasonId)}::uuid[], ${rows.map((r) => r.productId)}::uuid[],
                ${rows.map((r) => r.sourceCode)}::text[])
         AS u(machine_id, state, started_at, ended_at, reason_id, product_id, source_code)`;
}

/**
 * Adds count deltas to their buckets. A bucket row is keyed by machine, minute and the product the machine
 * was making at the count's time (read from the state interval covering it, after this batch's interval
 * writes); work orders are attached by a later issue. production_count has no unique key to upsert on, so
 * it is update-then-insert-the-rest in one statement, made safe by the advisory lock.
 */
async function addCounts(tx: Prisma.TransactionClient, counts: ResolvedCountEvent[]): Promise<void> {
  if (counts.length === 0) return;
  await tx.$executeRaw`
    WITH raw AS (
      SELECT * FROM unnest(${counts.map((c) => c.machineId)}::uuid[], ${counts.map((c) => iso(c.tsMs))}::timestamptz[],
                           ${counts.map((c) => iso(countBucketStartMs(c.tsMs)))}::timestamptz[],
                           ${counts.map((c) => c.goodCount)}::int[], ${counts.map((c) => c.rejectCount)}::int[])
             AS r(machine_id, ts, bucket_start, good, reject)
    ), resolved AS (
      SELECT r.machine_id, r.bucket_start, r.good, r.reject,
             (SELECT s.product_id FROM machine_state_interval s
               WHERE s.machine_id = r.machine_id AND s.started_at <= r.ts
               ORDER BY s.started_at DESC LIMIT 1) AS product_id
      FROM raw r
    ), input AS (
      SELECT machine_id, bucket_start, product_id, SUM(good)::int AS good, SUM(reject)::int AS reject
      FROM resolved GROUP BY machine_id, bucket_start, product_id
    ), updated AS (
      UPDATE production_count p
      SET good_count = p.good_count + i.good, reject_count = p.reject_count + i.reject
      FROM input i
      WHERE p.machine_id = i.machine_id AND p.bucket_start = i.bucket_start AND p.bucket_sec = ${COUNT_BUCKET_SEC}
        AND p.product_id IS NOT DISTINCT FROM i.product_id AND p.work_order_id IS NULL
      RETURNING p.machine_id, p.bucket_start, p.product_id
    )
    INSERT INTO production_count (machine_id, bucket_start, bucket_sec, product_id, good_count, reject_count)
    SELECT i.machine_id, i.bucket_start, ${COUNT_BUCKET_SEC}, i.product_id, i.good, i.reject
    FROM input i
    WHERE NOT EXISTS (
      SELECT 1 FROM updated u
      WHERE u.machine_id = i.machine_id AND u.bucket_start = i.bucket_start AND u.product_id IS NOT DISTINCT FROM i.product_id
    )`;
}

async function insertDeadLetters(tx: Prisma.TransactionClient, deadLetters: DeadLetterInput[]): Promise<void> {
  if (deadLetters.length === 0) return;
  const rows = deadLetters.map(({ origin, reason }) => {
    const encoded = encodeDeadLetterPayload(origin.payload);
    const fullReason = encoded.encoding === 'base64' ? `${reason} (payload stored as base64)` : reason;
    return { origin, encoded, reason: fullReason.slice(0, REASON_MAX_CHARS) };
  });
  await tx.$executeRaw`
    INSERT INTO dead_letter (received_at, data_source_id, source_kind, address, payload, payload_truncated, reason)
    SELECT * FROM unnest(${rows.map((r) => iso(r.origin.receivedAtMs))}::timestamptz[],
                         ${rows.map((r) => r.origin.dataSourceId)}::uuid[],
                         ${rows.map((r) => r.origin.sourceKind)}::text[]::"DataSourceKind"[],
                         ${rows.map((r) => r.origin.address)}::text[], ${rows.map((r) => r.encoded.payload)}::text[],
                         ${rows.map((r) => r.encoded.isTruncated)}::boolean[], ${rows.map((r) => r.reason)}::text[])`;
}

type NotificationState = TTaktEventsNotification['states'][number];
type NotificationCount = TTaktEventsNotification['counts'][number];

/** Splits the batch's news into notification payloads that each stay below PostgreSQL's limit. */
export function buildNotificationPayloads(states: NotificationState[], counts: NotificationCount[]): string[] {
  const payloads: string[] = [];
  let chunk: TTaktEventsNotification = { v: 1, states: [], counts: [] };
  const flushChunk = () => {
    if (chunk.states.length + chunk.counts.length > 0) payloads.push(JSON.stringify(chunk));
    chunk = { v: 1, states: [], counts: [] };
  };
  let sizeBytes = JSON.stringify(chunk).length;
  const add = (item: NotificationState | NotificationCount, push: () => void) => {
    const itemBytes = JSON.stringify(item).length + 1; // ids and codes are ASCII, so chars = bytes
    if (sizeBytes + itemBytes > NOTIFY_PAYLOAD_MAX_BYTES) {
      flushChunk();
      sizeBytes = JSON.stringify(chunk).length;
    }
    push();
    sizeBytes += itemBytes;
  };
  for (const state of states) add(state, () => chunk.states.push(state));
  for (const count of counts) add(count, () => chunk.counts.push(count));
  flushChunk();
  return payloads;
}

function summariseCounts(counts: ResolvedCountEvent[]): NotificationCount[] {
  const byBucket = new Map<string, NotificationCount>();
  for (const count of counts) {
    const bucketStartMs = countBucketStartMs(count.tsMs);
    const key = `${count.machineId}/${bucketStartMs}`;
    const entry = byBucket.get(key) ?? { machineId: count.machineId, bucketStartMs, goodDelta: 0, rejectDelta: 0 };
    entry.goodDelta += count.goodCount;
    entry.rejectDelta += count.rejectCount;
    byBucket.set(key, entry);
  }
  return [...byBucket.values()];
}

/** Applies `batch` in one transaction and, on commit, notifies `takt_events` listeners. */
export async function writeIngestBatch(prisma: PrismaClient, batch: IngestBatch): Promise<IngestBatchResult> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${INGEST_ADVISORY_LOCK_KEY}::bigint)`;

      const eventsByMachine = new Map<string, PlannedStateEvent<StateEvent>[]>();
      for (const { machineId, reasonId, productId, event } of batch.states) {
        const list = eventsByMachine.get(machineId) ?? [];
        list.push({
          tsMs: event.tsMs,
          state: event.state,
          sourceCode: event.sourceCode,
          reasonId,
          productId,
          isReplay: event.origin.isReplay,
          ref: event,
        });
        eventsByMachine.set(machineId, list);
      }
      const latestByMachine = await loadLatestIntervals(tx, [...eventsByMachine.keys()]);

      const updates: IntervalSnapshot[] = [];
      const inserts: IntervalSnapshot[] = [];
      const changedStates: NotificationState[] = [];
      const deadLetters = [...batch.deadLetters];
      let duplicateStates = 0;
      let staleReplays = 0;
      for (const [machineId, events] of eventsByMachine) {
        const plan = planStateIntervals(machineId, latestByMachine.get(machineId) ?? null, events);
        updates.push(...plan.updates);
        inserts.push(...plan.inserts);
        duplicateStates += plan.duplicateCount;
        staleReplays += plan.staleReplayCount;
        for (const event of plan.outOfOrder) {
          // The later bridge issue reorders instead; until then an old event must not rewrite history.
          deadLetters.push({
            origin: event.origin,
            reason: `out of order: state event older than the machine's latest interval`,
          });
        }
        const current = plan.changedCurrent;
        if (current) {
          const { state, startedAtMs, reasonId, productId } = current;
          changedStates.push({ machineId, state, startedAtMs, reasonId, productId });
        }
      }

      // Close before insert: the partial unique index allows one open interval per machine at any time.
      await updateIntervals(tx, updates);
      await insertIntervals(tx, inserts);
      await addCounts(tx, batch.counts);
      await insertDeadLetters(tx, deadLetters);

      // NOTIFY inside the transaction: PostgreSQL delivers it on commit and drops it on rollback, so
      // listeners never hear of data that is not there.
      const payloads = buildNotificationPayloads(changedStates, summariseCounts(batch.counts));
      if (payloads.length > 0) {
        await tx.$executeRaw`SELECT pg_notify(${TAKT_EVENTS_CHANNEL}, p) FROM unnest(${payloads}::text[]) AS p`;
      }

      return {
        intervalsInserted: inserts.length,
        intervalsUpdated: updates.length,
        countEvents: batch.counts.length,
        duplicateStates,
        staleReplays,
        deadLetters,
        notifications: payloads.length,
      };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** Writes dead letters alone: the fallback for a batch that cannot be applied however often it is retried. */
export async function writeDeadLetters(prisma: PrismaClient, deadLetters: DeadLetterInput[]): Promise<void> {
  await prisma.$transaction(async (tx) => insertDeadLetters(tx, deadLetters));
}
