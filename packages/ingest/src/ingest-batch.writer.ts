// Writes one ingest batch in one PostgreSQL transaction with multi-row statements (never a round trip per
// event): de-duplication keys, the timeline log, state intervals (recomputed where late events landed),
// counter readings turned into deltas, 60 s production_count buckets, counter_state, dead letters, the
// `takt_events` notification and the live-event outbox. Arrays are passed whole and expanded with unnest(), so a
// batch of any size is a fixed handful of statements with a fixed number of bind parameters; the writes that do
// not depend on each other go as one statement (writeBatchRows). On the hot path columns travel as array literals
// (sql-array.encoder.ts) and times as epoch milliseconds, turned into timestamptz exactly in SQL
// (`timestamptz 'epoch' + ms * interval '1 millisecond'`), which spares a date string per value.
//
// Concurrency: every machine touched is locked with a transaction-scoped advisory lock (in id order, so that
// two writers cannot deadlock), so the read-recompute-write of a machine's intervals and counters is atomic
// across bridge processes and the API's HTTP ingest.
import { TAKT_EVENTS_CHANNEL, type TMachineState, type TTaktEventsNotification } from '@takt/contracts';
import { appendLiveEvents, Prisma, type PrismaClient } from '@takt/db';
import { refreshRollupsMany } from '@takt/kpi-sql';
import { planCounterDeltas, type CounterReading } from './counter-delta.planner.ts';
import { encodeDeadLetterPayload } from './dead-letter-payload.encoder.ts';
import type { IngestSourceInfo } from './ingest-event.ts';
import { lockMachineTimelines } from './machine-timeline.lock.ts';
import { encodePlainArray, encodeTextArray } from './sql-array.encoder.ts';
import { planTimeline, type IntervalSnapshot, type TimelineEvent } from './timeline.planner.ts';

/** production_count bucket length (schema.prisma ProductionCount, default bucket_sec 60). */
export const COUNT_BUCKET_SEC = 60;

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below.
const NOTIFY_PAYLOAD_MAX_BYTES = 7_000;
const REASON_MAX_CHARS = 2_000;
// Order of a new (not yet logged) event among logged ones with equal time and seq: after all of them.
const NEW_EVENT_ORDER_BASE = 2 ** 52;

export type ResolvedBody =
  | {
      kind: 'state';
      state: TMachineState;
      reasonId: string | null;
      sourceCode: string | null;
      hasProduct: boolean;
      productId: string | null;
    }
  | { kind: 'product'; productId: string | null }
  | { kind: 'work_order'; workOrderId: string | null }
  | { kind: 'count'; good: number; reject: number }
  | { kind: 'counter'; counter: 'good' | 'reject'; value: number }
  | { kind: 'heartbeat' };

/** An event ready to write: validated, machine and codes resolved. */
export type ResolvedEvent = {
  /** Index into the batch's caller-side bookkeeping (results). */
  ticket: number;
  machineId: string;
  tsMs: number;
  seq: number | null;
  dedupKey: string;
  sourceCode: string;
  body: ResolvedBody;
};

export type DeadLetterInput = {
  source: IngestSourceInfo;
  address: string;
  payload: Uint8Array;
  reason: string;
  receivedAtMs: number;
};

export type IngestBatch = { events: ResolvedEvent[]; deadLetters: DeadLetterInput[] };

export type IngestBatchResult = {
  /** Tickets of events found to be duplicates (of stored events or of an earlier event in the batch). */
  duplicateTickets: Set<number>;
  intervalsWritten: number;
  countRows: number;
  notifications: number;
  committedAtMs: number;
};

type IntervalRow = {
  id: bigint;
  machine_id: string;
  state: TMachineState;
  started_at: Date;
  ended_at: Date | null;
  reason_id: string | null;
  product_id: string | null;
  work_order_id: string | null;
  source_code: string | null;
  is_classified: boolean;
  is_base: boolean;
};

type LogRow = {
  id: bigint;
  machine_id: string;
  kind: string;
  ts: Date;
  seq: bigint | null;
  state: TMachineState | null;
  reason_id: string | null;
  source_code: string | null;
  has_product: boolean;
  product_id: string | null;
  work_order_id: string | null;
  counter_value: bigint | null;
};

type CountAdjustment = { machineId: string; tsMs: number; good: number; reject: number };

/** Start of the 60 s bucket holding `tsMs` (floored to the UTC minute). */
export function countBucketStartMs(tsMs: number): number {
  return Math.floor(tsMs / (COUNT_BUCKET_SEC * 1000)) * COUNT_BUCKET_SEC * 1000;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

type Sortable = { tsMs: number; seq: number | null; order: number };
const compareTimeline = (a: Sortable, b: Sortable): number =>
  a.tsMs - b.tsMs || (a.seq ?? -1) - (b.seq ?? -1) || a.order - b.order;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Inserts the batch's keys; returns the tickets whose key was already stored or repeated within the batch. */
async function deduplicate(tx: Prisma.TransactionClient, events: readonly ResolvedEvent[]): Promise<Set<number>> {
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

function toSnapshot(row: IntervalRow): IntervalSnapshot {
  return {
    id: row.id,
    machineId: row.machine_id,
    state: row.state,
    startedAtMs: row.started_at.getTime(),
    endedAtMs: row.ended_at?.getTime() ?? null,
    reasonId: row.reason_id,
    productId: row.product_id,
    workOrderId: row.work_order_id,
    sourceCode: row.source_code,
    isClassified: row.is_classified,
  };
}

function toTimelineEvent(row: LogRow): TimelineEvent & Sortable {
  const common = { tsMs: row.ts.getTime(), seq: row.seq === null ? null : Number(row.seq), order: Number(row.id) };
  if (row.kind === 'product') return { ...common, kind: 'product', productId: row.product_id };
  if (row.kind === 'work_order') return { ...common, kind: 'work_order', workOrderId: row.work_order_id };
  if (row.kind === 'split') return { ...common, kind: 'split' };
  return {
    ...common,
    kind: 'state',
    state: row.state ?? 'OFFLINE',
    reasonId: row.reason_id,
    sourceCode: row.source_code,
    hasProduct: row.has_product,
    productId: row.product_id,
  };
}

type TimelineOutcome = {
  deletes: bigint[];
  updates: IntervalSnapshot[];
  inserts: IntervalSnapshot[];
  changedCurrent: IntervalSnapshot[];
};

/** Recomputes the intervals of every machine with new timeline events, from the interval before the earliest one. */
async function planTimelines(tx: Prisma.TransactionClient, events: readonly ResolvedEvent[]): Promise<TimelineOutcome> {
  const outcome: TimelineOutcome = { deletes: [], updates: [], inserts: [], changedCurrent: [] };
  const byMachine = groupBy(events, (event) => event.machineId);
  if (byMachine.size === 0) return outcome;
  const machineIds = [...byMachine.keys()];
  const minTs = machineIds.map((id) => iso(Math.min(...(byMachine.get(id) ?? []).map((e) => e.tsMs))));
  // The base of each machine: its latest interval starting before the earliest new event. Rows from there on
  // are the ones the recomputation may change; logged events at or after the earliest new one are replayed.
  const [intervals, logged] = await Promise.all([
    tx.$queryRaw<IntervalRow[]>`
      WITH k AS (SELECT * FROM unnest(${machineIds}::uuid[], ${minTs}::timestamptz[]) AS k(machine_id, min_ts)),
      base AS (
        SELECT k.machine_id, b.started_at FROM k
        LEFT JOIN LATERAL (
          SELECT started_at FROM machine_state_interval s
          WHERE s.machine_id = k.machine_id AND s.started_at < k.min_ts ORDER BY s.started_at DESC LIMIT 1
        ) b ON true
      )
      SELECT s.id, s.machine_id::text AS machine_id, s.state::text AS state, s.started_at, s.ended_at,
             s.reason_id::text AS reason_id, s.product_id::text AS product_id,
             s.work_order_id::text AS work_order_id, s.source_code, s.classified_at IS NOT NULL AS is_classified,
             s.started_at = base.started_at AS is_base
      FROM base JOIN machine_state_interval s
        ON s.machine_id = base.machine_id AND (base.started_at IS NULL OR s.started_at >= base.started_at)`,
    tx.$queryRaw<LogRow[]>`
      WITH k AS (SELECT * FROM unnest(${machineIds}::uuid[], ${minTs}::timestamptz[]) AS k(machine_id, min_ts)),
      base AS (
        SELECT k.machine_id, k.min_ts, b.started_at FROM k
        LEFT JOIN LATERAL (
          SELECT started_at FROM machine_state_interval s
          WHERE s.machine_id = k.machine_id AND s.started_at < k.min_ts ORDER BY s.started_at DESC LIMIT 1
        ) b ON true
      )
      SELECT e.id, e.machine_id::text AS machine_id, e.kind, e.ts, e.seq, e.state::text AS state,
             e.reason_id::text AS reason_id, e.source_code, e.has_product, e.product_id::text AS product_id,
             e.work_order_id::text AS work_order_id, e.counter_value
      FROM base JOIN ingest_timeline_event e
        ON e.machine_id = base.machine_id AND e.kind IN ('state', 'product', 'work_order', 'split')
       AND (base.started_at IS NULL OR e.ts >= base.min_ts)`,
  ]);
  const intervalsByMachine = groupBy(intervals, (row) => row.machine_id);
  const loggedByMachine = groupBy(logged, (row) => row.machine_id);
  for (const [machineId, newEvents] of byMachine) {
    const rows = (intervalsByMachine.get(machineId) ?? []).map((row) => ({ row, snapshot: toSnapshot(row) }));
    const base = rows.find(({ row }) => row.is_base)?.snapshot ?? null;
    const timeline: (TimelineEvent & Sortable)[] = (loggedByMachine.get(machineId) ?? []).map(toTimelineEvent);
    newEvents.forEach((event, index) => {
      const common = { tsMs: event.tsMs, seq: event.seq, order: NEW_EVENT_ORDER_BASE + index };
      const { body } = event;
      if (body.kind === 'state') timeline.push({ ...common, ...body });
      else if (body.kind === 'product') timeline.push({ ...common, kind: 'product', productId: body.productId });
      else if (body.kind === 'work_order')
        timeline.push({ ...common, kind: 'work_order', workOrderId: body.workOrderId });
    });
    timeline.sort(compareTimeline);
    const plan = planTimeline(
      machineId,
      base,
      rows.map(({ snapshot }) => snapshot),
      timeline,
    );
    outcome.deletes.push(...plan.deletes);
    outcome.updates.push(...plan.updates);
    outcome.inserts.push(...plan.inserts);
    if (plan.changedCurrent) outcome.changedCurrent.push(plan.changedCurrent);
  }
  return outcome;
}

type CounterSeries = {
  machineId: string;
  kind: 'counter:good' | 'counter:reject';
  counter: 'good' | 'reject';
  minTsMs: number;
  readings: CounterReading[];
  /** The batch's latest reading (by time, the later arrival on a tie): the new counter_state. */
  latest: { tsMs: number; value: number };
};

type CounterPlan = { adjustments: CountAdjustment[]; series: CounterSeries[] };

type LoggedReadingRow = {
  machine_id: string;
  kind: string;
  id: bigint;
  ts_ms: number;
  seq: bigint | null;
  counter_value: bigint | null;
  is_before: boolean;
};

/** Turns new counter readings into count adjustments (see counter-delta.planner.ts). */
async function planCounters(tx: Prisma.TransactionClient, events: readonly ResolvedEvent[]): Promise<CounterPlan> {
  // Per machine: its good and its reject series.
  const seriesByMachine = new Map<string, [CounterSeries | null, CounterSeries | null]>();
  const list: CounterSeries[] = [];
  for (const event of events) {
    const { body } = event;
    if (body.kind !== 'counter') continue;
    let pair = seriesByMachine.get(event.machineId);
    if (!pair) {
      pair = [null, null];
      seriesByMachine.set(event.machineId, pair);
    }
    const slot = body.counter === 'good' ? 0 : 1;
    let series = pair[slot];
    if (!series) {
      series = {
        machineId: event.machineId,
        kind: body.counter === 'good' ? 'counter:good' : 'counter:reject',
        counter: body.counter,
        minTsMs: event.tsMs,
        readings: [],
        latest: { tsMs: event.tsMs, value: body.value },
      };
      pair[slot] = series;
      list.push(series);
    }
    if (event.tsMs < series.minTsMs) series.minTsMs = event.tsMs;
    if (event.tsMs >= series.latest.tsMs) series.latest = { tsMs: event.tsMs, value: body.value };
    series.readings.push({
      tsMs: event.tsMs,
      value: body.value,
      seq: event.seq,
      order: NEW_EVENT_ORDER_BASE + series.readings.length,
    });
  }
  if (list.length === 0) return { adjustments: [], series: [] };
  // Per series: the last logged reading before its earliest new one (found through max(ts) on the index, then
  // ordered by seq and id among the few rows at that instant) and the logged readings from there on.
  const logged = await tx.$queryRaw<LoggedReadingRow[]>`
    WITH k AS (
      SELECT k.machine_id, k.kind, timestamptz 'epoch' + k.min_ms * interval '1 millisecond' AS min_ts
      FROM unnest(${encodeTextArray(list.map((s) => s.machineId))}::uuid[],
                  ${encodeTextArray(list.map((s) => s.kind))}::text[],
                  ${encodePlainArray(list.map((s) => s.minTsMs))}::bigint[]) AS k(machine_id, kind, min_ms)
    )
    SELECT e.machine_id::text AS machine_id, e.kind, e.id, (extract(epoch FROM e.ts) * 1000)::float8 AS ts_ms,
           e.seq, e.counter_value, e.is_before
    FROM k CROSS JOIN LATERAL (
      (SELECT l.id, l.machine_id, l.kind, l.ts, l.seq, l.counter_value, true AS is_before
       FROM ingest_timeline_event l
       WHERE l.machine_id = k.machine_id AND l.kind = k.kind
         AND l.ts = (SELECT max(p.ts) FROM ingest_timeline_event p
                     WHERE p.machine_id = k.machine_id AND p.kind = k.kind AND p.ts < k.min_ts)
       ORDER BY l.seq DESC NULLS LAST, l.id DESC LIMIT 1)
      UNION ALL
      (SELECT l.id, l.machine_id, l.kind, l.ts, l.seq, l.counter_value, false AS is_before
       FROM ingest_timeline_event l
       WHERE l.machine_id = k.machine_id AND l.kind = k.kind AND l.ts >= k.min_ts)
    ) e`;
  const loggedByKey = groupBy(logged, (row) => `${row.machine_id}|${row.kind}`);
  const adjustments: CountAdjustment[] = [];
  for (const series of list) {
    let before: CounterReading | null = null;
    const after: CounterReading[] = [];
    for (const row of loggedByKey.get(`${series.machineId}|${series.kind}`) ?? []) {
      const reading: CounterReading = {
        tsMs: row.ts_ms,
        value: Number(row.counter_value ?? 0),
        seq: row.seq === null ? null : Number(row.seq),
        order: Number(row.id),
      };
      if (row.is_before) before = reading;
      else after.push(reading);
    }
    const isGood = series.counter === 'good';
    for (const { tsMs, delta } of planCounterDeltas(before, after, series.readings)) {
      adjustments.push({
        machineId: series.machineId,
        tsMs,
        good: isGood ? delta : 0,
        reject: isGood ? 0 : delta,
      });
    }
  }
  return { adjustments, series: list };
}

/** The timeline log inserts of the batch's fresh events, as parts (`name AS (...)`) of the batch's write statement. */
function timelineLogParts(events: readonly ResolvedEvent[]): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  // Counter readings, most of a busy batch, go as narrow rows: machines by index into the batch's few ids.
  const machineIndex = new Map<string, number>();
  const counterMachine: number[] = [];
  const counterIsGood: boolean[] = [];
  const counterTsMs: number[] = [];
  const counterSeq: (number | null)[] = [];
  const counterValue: number[] = [];
  const changes: ResolvedEvent[] = [];
  for (const event of events) {
    const { body } = event;
    if (body.kind === 'counter') {
      let index = machineIndex.get(event.machineId);
      if (index === undefined) {
        index = machineIndex.size + 1;
        machineIndex.set(event.machineId, index);
      }
      counterMachine.push(index);
      counterIsGood.push(body.counter === 'good');
      counterTsMs.push(event.tsMs);
      counterSeq.push(event.seq);
      counterValue.push(body.value);
    } else if (body.kind === 'state' || body.kind === 'product' || body.kind === 'work_order') {
      changes.push(event);
    }
  }
  // Each insert goes in batch order, so that ids order equal-time readings (and changes) by arrival.
  if (counterMachine.length > 0) {
    parts.push(Prisma.sql`logged_readings AS (
      INSERT INTO ingest_timeline_event (machine_id, kind, ts, seq, counter_value)
      SELECT (${encodeTextArray([...machineIndex.keys()])}::uuid[])[u.machine],
             CASE WHEN u.is_good THEN 'counter:good' ELSE 'counter:reject' END,
             timestamptz 'epoch' + u.ts_ms * interval '1 millisecond', u.seq, u.counter_value
      FROM unnest(${encodePlainArray(counterMachine)}::int[], ${encodePlainArray(counterIsGood)}::boolean[],
                  ${encodePlainArray(counterTsMs)}::bigint[], ${encodePlainArray(counterSeq)}::bigint[],
                  ${encodePlainArray(counterValue)}::bigint[])
           WITH ORDINALITY AS u(machine, is_good, ts_ms, seq, counter_value, ord)
      ORDER BY u.ord
      RETURNING 1)`);
  }
  if (changes.length === 0) return parts;
  const rows = changes.map((event) => {
    const { body } = event;
    const row = {
      machineId: event.machineId,
      kind: body.kind,
      tsMs: event.tsMs,
      seq: event.seq,
      state: null as string | null,
      reasonId: null as string | null,
      sourceCode: null as string | null,
      hasProduct: false,
      productId: null as string | null,
      workOrderId: null as string | null,
    };
    if (body.kind === 'state') {
      row.state = body.state;
      row.reasonId = body.reasonId;
      row.sourceCode = body.sourceCode;
      row.hasProduct = body.hasProduct;
      row.productId = body.productId;
    } else if (body.kind === 'product') {
      row.hasProduct = true;
      row.productId = body.productId;
    } else if (body.kind === 'work_order') {
      row.workOrderId = body.workOrderId;
    }
    return row;
  });
  parts.push(Prisma.sql`logged_changes AS (
    INSERT INTO ingest_timeline_event
      (machine_id, kind, ts, seq, state, reason_id, source_code, has_product, product_id, work_order_id)
    SELECT u.machine_id, u.kind, timestamptz 'epoch' + u.ts_ms * interval '1 millisecond', u.seq,
           u.state::"MachineState", u.reason_id, u.source_code, u.has_product, u.product_id, u.work_order_id
    FROM unnest(${encodeTextArray(rows.map((r) => r.machineId))}::uuid[], ${encodeTextArray(rows.map((r) => r.kind))}::text[],
                ${encodePlainArray(rows.map((r) => r.tsMs))}::bigint[], ${encodePlainArray(rows.map((r) => r.seq))}::bigint[],
                ${encodeTextArray(rows.map((r) => r.state))}::text[], ${encodeTextArray(rows.map((r) => r.reasonId))}::uuid[],
                ${encodeTextArray(rows.map((r) => r.sourceCode))}::text[],
                ${encodePlainArray(rows.map((r) => r.hasProduct))}::boolean[],
                ${encodeTextArray(rows.map((r) => r.productId))}::uuid[],
                ${encodeTextArray(rows.map((r) => r.workOrderId))}::uuid[])
         WITH ORDINALITY AS u(machine_id, kind, ts_ms, seq, state, reason_id, source_code, has_product, product_id,
                              work_order_id, ord)
    ORDER BY u.ord
    RETURNING 1)`);
  return parts;
}

async function writeIntervals(tx: Prisma.TransactionClient, outcome: TimelineOutcome): Promise<void> {
  if (outcome.deletes.length > 0) {
    await tx.$executeRaw`
      DELETE FROM machine_state_interval WHERE id = ANY(${outcome.deletes.map(String)}::bigint[])`;
  }
  // Closed rows first, the (at most one per machine) open row after: the partial unique index allows one open
  // interval per machine at every moment, and non-deferred unique indexes are checked row by row.
  const closed = outcome.updates.filter((row) => row.endedAtMs !== null);
  const open = outcome.updates.filter((row) => row.endedAtMs === null);
  for (const rows of [closed, open]) {
    if (rows.length === 0) continue;
    await tx.$executeRaw`
      UPDATE machine_state_interval AS s
      SET state = u.state::"MachineState", ended_at = u.ended_at, reason_id = u.reason_id,
          product_id = u.product_id, work_order_id = u.work_order_id, source_code = u.source_code
      FROM unnest(${rows.map((r) => String(r.id))}::bigint[], ${rows.map((r) => r.state)}::text[],
                  ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[], ${rows.map((r) => r.reasonId)}::uuid[],
                  ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.workOrderId)}::uuid[],
                  ${rows.map((r) => r.sourceCode)}::text[])
           AS u(id, state, ended_at, reason_id, product_id, work_order_id, source_code)
      WHERE s.id = u.id`;
  }
  const rows = outcome.inserts;
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO machine_state_interval
      (machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id, source_code)
    SELECT u.machine_id, u.state::"MachineState", u.started_at, u.ended_at, u.reason_id, u.product_id,
           u.work_order_id, u.source_code
    FROM unnest(${rows.map((r) => r.machineId)}::uuid[], ${rows.map((r) => r.state)}::text[],
                ${rows.map((r) => iso(r.startedAtMs))}::timestamptz[], ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[],
                ${rows.map((r) => r.reasonId)}::uuid[], ${rows.map((r) => r.productId)}::uuid[],
                ${rows.map((r) => r.workOrderId)}::uuid[], ${rows.map((r) => r.sourceCode)}::text[])
         AS u(machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id, source_code)`;
}

/** The count adjustments of one machine in one bucket: what addCounts writes and listeners hear of. */
type CountGroup = {
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

function groupCounts(counts: readonly CountAdjustment[]): CountGroup[] {
  const groups = new Map<string, CountGroup>();
  for (const count of counts) {
    const bucketStartMs = countBucketStartMs(count.tsMs);
    const key = `${count.machineId}|${bucketStartMs}`;
    const group = groups.get(key);
    if (group) {
      if (count.tsMs < group.minTsMs) group.minTsMs = count.tsMs;
      if (count.tsMs > group.maxTsMs) group.maxTsMs = count.tsMs;
      group.good += count.good;
      group.reject += count.reject;
      if (count.good < 0 || count.reject < 0) group.hasNegative = true;
      group.members.push(count);
    } else {
      groups.set(key, {
        machineId: count.machineId,
        bucketStartMs,
        minTsMs: count.tsMs,
        maxTsMs: count.tsMs,
        good: count.good,
        reject: count.reject,
        hasNegative: count.good < 0 || count.reject < 0,
        members: [count],
      });
    }
  }
  return [...groups.values()];
}

type CountsWritten = { written: number; ids: string[] };

/**
 * Count adjustments go to their buckets: keyed by machine, minute, and the product and work order of the state
 * interval covering the count's time (after this batch's interval writes). Adjustments may be negative (a late
 * counter reading moves parts between buckets); a bucket never goes below 0. A machine's counts in one bucket
 * are resolved together when no interval starts among them (the rule, by far); the groups that hold an interval
 * start are left out here (`resolved.is_split`) and written count by count afterwards (addCountsOneByOne).
 * Defines `resolved` and `written` for the statement's result.
 */
function countParts(groups: readonly CountGroup[]): Prisma.Sql[] {
  return [
    Prisma.sql`g AS (
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
      FROM g
      LEFT JOIN LATERAL (
        SELECT product_id, work_order_id FROM machine_state_interval s
        WHERE s.machine_id = g.machine_id AND s.started_at <= g.min_ts ORDER BY s.started_at DESC LIMIT 1
      ) s ON true
    )`,
    Prisma.sql`lowered AS (
      -- Net-negative sums only ever lower an existing bucket (the CHECK forbids inserting them).
      UPDATE production_count p
      SET good_count = GREATEST(0, p.good_count + g.good), reject_count = GREATEST(0, p.reject_count + g.reject)
      FROM resolved g
      WHERE NOT g.is_split AND (g.good < 0 OR g.reject < 0) AND p.machine_id = g.machine_id
        AND p.bucket_start = g.bucket_start AND p.bucket_sec = ${COUNT_BUCKET_SEC}
        AND p.product_id IS NOT DISTINCT FROM g.product_id AND p.work_order_id IS NOT DISTINCT FROM g.work_order_id
      RETURNING p.id
    )`,
    Prisma.sql`raised AS (
      INSERT INTO production_count AS p
        (machine_id, bucket_start, bucket_sec, product_id, work_order_id, good_count, reject_count)
      SELECT machine_id, bucket_start, ${COUNT_BUCKET_SEC}, product_id, work_order_id, good, reject
      FROM resolved WHERE NOT is_split AND good >= 0 AND reject >= 0
      ON CONFLICT (machine_id, bucket_start, bucket_sec, product_id, work_order_id) DO UPDATE
      SET good_count = p.good_count + EXCLUDED.good_count, reject_count = p.reject_count + EXCLUDED.reject_count
      RETURNING p.id
    )`,
    Prisma.sql`written AS (SELECT id FROM lowered UNION ALL SELECT id FROM raised)`,
  ];
}

/** The rest of the count writes: the groups holding an interval start, and buckets a late reading emptied. */
async function finishCounts(
  tx: Prisma.TransactionClient,
  groups: readonly CountGroup[],
  first: CountsWritten & { splitOrds: number[] },
): Promise<number> {
  const result: CountsWritten = { written: first.written, ids: first.ids };
  const splitCounts = first.splitOrds.flatMap((ord) => groups[ord - 1]?.members ?? []);
  if (splitCounts.length > 0) {
    const more = await addCountsOneByOne(tx, splitCounts);
    result.written += more.written;
    result.ids.push(...more.ids);
  }
  if (groups.some((group) => group.hasNegative)) {
    // Parts moved away can leave a bucket empty: remove it, as if they had never been there.
    await tx.$executeRaw`
      DELETE FROM production_count
      WHERE id = ANY(${encodeTextArray(result.ids)}::bigint[]) AND good_count = 0 AND reject_count = 0`;
  }
  return result.written;
}

/** addCounts for counts whose bucket holds an interval boundary: each resolved at its own time. */
async function addCountsOneByOne(
  tx: Prisma.TransactionClient,
  counts: readonly CountAdjustment[],
): Promise<CountsWritten> {
  const rows = await tx.$queryRaw<{ id: bigint | string }[]>`
    WITH raw AS (
      SELECT r.machine_id, timestamptz 'epoch' + r.ts_ms * interval '1 millisecond' AS ts,
             timestamptz 'epoch' + r.bucket_ms * interval '1 millisecond' AS bucket_start, r.good, r.reject
      FROM unnest(${encodeTextArray(counts.map((c) => c.machineId))}::uuid[],
                  ${encodePlainArray(counts.map((c) => c.tsMs))}::bigint[],
                  ${encodePlainArray(counts.map((c) => countBucketStartMs(c.tsMs)))}::bigint[],
                  ${encodePlainArray(counts.map((c) => c.good))}::int[],
                  ${encodePlainArray(counts.map((c) => c.reject))}::int[])
           AS r(machine_id, ts_ms, bucket_ms, good, reject)
    ), resolved AS (
      SELECT r.machine_id, r.bucket_start, r.good, r.reject, s.product_id, s.work_order_id
      FROM raw r
      LEFT JOIN LATERAL (
        SELECT product_id, work_order_id FROM machine_state_interval s
        WHERE s.machine_id = r.machine_id AND s.started_at <= r.ts ORDER BY s.started_at DESC LIMIT 1
      ) s ON true
    ), grouped AS (
      SELECT machine_id, bucket_start, product_id, work_order_id, SUM(good)::int AS good, SUM(reject)::int AS reject
      FROM resolved GROUP BY machine_id, bucket_start, product_id, work_order_id
    ), lowered AS (
      UPDATE production_count p
      SET good_count = GREATEST(0, p.good_count + g.good), reject_count = GREATEST(0, p.reject_count + g.reject)
      FROM grouped g
      WHERE (g.good < 0 OR g.reject < 0) AND p.machine_id = g.machine_id AND p.bucket_start = g.bucket_start
        AND p.bucket_sec = ${COUNT_BUCKET_SEC} AND p.product_id IS NOT DISTINCT FROM g.product_id
        AND p.work_order_id IS NOT DISTINCT FROM g.work_order_id
      RETURNING p.id
    ), raised AS (
      INSERT INTO production_count AS p
        (machine_id, bucket_start, bucket_sec, product_id, work_order_id, good_count, reject_count)
      SELECT machine_id, bucket_start, ${COUNT_BUCKET_SEC}, product_id, work_order_id, good, reject
      FROM grouped WHERE good >= 0 AND reject >= 0
      ON CONFLICT (machine_id, bucket_start, bucket_sec, product_id, work_order_id) DO UPDATE
      SET good_count = p.good_count + EXCLUDED.good_count, reject_count = p.reject_count + EXCLUDED.reject_count
      RETURNING p.id
    )
    SELECT id FROM lowered UNION ALL SELECT id FROM raised`;
  return { written: rows.length, ids: rows.map((row) => String(row.id)) };
}

/** counter_state: each counter's latest reading, unless a later one is stored already (a statement part). */
function counterStatePart(series: readonly CounterSeries[]): Prisma.Sql {
  return Prisma.sql`counter_states AS (
    INSERT INTO counter_state AS c (machine_id, signal, last_value, last_ts)
    SELECT u.machine_id, u.signal::"SignalKind", u.value, timestamptz 'epoch' + u.ts_ms * interval '1 millisecond'
    FROM unnest(${encodeTextArray(series.map((s) => s.machineId))}::uuid[],
                ${encodeTextArray(series.map((s) => (s.counter === 'good' ? 'GOOD_COUNT' : 'REJECT_COUNT')))}::text[],
                ${encodePlainArray(series.map((s) => s.latest.value))}::bigint[],
                ${encodePlainArray(series.map((s) => s.latest.tsMs))}::bigint[])
         AS u(machine_id, signal, value, ts_ms)
    ON CONFLICT (machine_id, signal) DO UPDATE
    SET last_value = EXCLUDED.last_value, last_ts = EXCLUDED.last_ts
    WHERE c.last_ts <= EXCLUDED.last_ts
    RETURNING 1
  )`;
}

/**
 * One statement for the batch's independent writes (one round trip): the timeline log, the count buckets,
 * counter_state and the `takt_events` notifications. Runs after the interval writes, whose result the count
 * buckets read.
 */
async function writeBatchRows(
  tx: Prisma.TransactionClient,
  rows: {
    events: readonly ResolvedEvent[];
    countGroups: readonly CountGroup[];
    counterSeries: readonly CounterSeries[];
    payloads: readonly string[];
  },
): Promise<CountsWritten & { splitOrds: number[] }> {
  const { events, countGroups, counterSeries, payloads } = rows;
  const parts = timelineLogParts(events);
  const hasCounts = countGroups.length > 0;
  if (hasCounts) parts.push(...countParts(countGroups));
  if (counterSeries.length > 0) parts.push(counterStatePart(counterSeries));
  if (payloads.length > 0) {
    parts.push(
      Prisma.sql`notified AS (SELECT pg_notify(${TAKT_EVENTS_CHANNEL}, p) FROM unnest(${encodeTextArray(payloads)}::text[]) AS p)`,
    );
  }
  if (parts.length === 0) return { written: 0, ids: [], splitOrds: [] };
  const hasNegative = countGroups.some((group) => group.hasNegative);
  // Data-modifying parts run whether read or not; `notified` (a SELECT) runs because it is read.
  const [row] = await tx.$queryRaw<
    { written: number; ids: (bigint | string)[] | null; split: number[] | null; notified: number }[]
  >`
    WITH ${Prisma.join(parts, ',\n')}
    SELECT ${hasCounts ? Prisma.sql`(SELECT count(*)::int FROM written)` : Prisma.sql`0`} AS written,
           ${hasCounts && hasNegative ? Prisma.sql`(SELECT array_agg(id) FROM written)` : Prisma.sql`NULL::bigint[]`} AS ids,
           ${hasCounts ? Prisma.sql`(SELECT array_agg(ord::int) FROM resolved WHERE is_split)` : Prisma.sql`NULL::int[]`} AS split,
           ${payloads.length > 0 ? Prisma.sql`(SELECT count(*)::int FROM notified)` : Prisma.sql`0`} AS notified`;
  return { written: row?.written ?? 0, ids: (row?.ids ?? []).map(String), splitOrds: row?.split ?? [] };
}

async function insertDeadLetters(tx: Prisma.TransactionClient, deadLetters: readonly DeadLetterInput[]): Promise<void> {
  if (deadLetters.length === 0) return;
  const rows = deadLetters.map((deadLetter) => {
    const encoded = encodeDeadLetterPayload(deadLetter.payload);
    const reason =
      encoded.encoding === 'base64' ? `${deadLetter.reason} (payload stored as base64)` : deadLetter.reason;
    return { ...deadLetter, encoded, reason: reason.slice(0, REASON_MAX_CHARS) };
  });
  await tx.$executeRaw`
    INSERT INTO dead_letter (received_at, data_source_id, source_kind, address, payload, payload_truncated, reason)
    SELECT * FROM unnest(${rows.map((r) => iso(r.receivedAtMs))}::timestamptz[],
                         ${rows.map((r) => r.source.dataSourceId)}::uuid[],
                         ${rows.map((r) => r.source.kind)}::text[]::"DataSourceKind"[],
                         ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.encoded.payload)}::text[],
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

/** Count news per machine and bucket; only additions (a late counter reading that moves parts is not news). */
function summariseCounts(groups: readonly CountGroup[]): NotificationCount[] {
  return groups
    .filter((group) => group.good >= 0 && group.reject >= 0 && group.good + group.reject > 0)
    .map((group) => ({
      machineId: group.machineId,
      bucketStartMs: group.bucketStartMs,
      goodDelta: group.good,
      rejectDelta: group.reject,
    }));
}

/** Applies `batch` in one transaction; on commit, `takt_events` listeners and the live-event outbox hear of it. */
export async function writeIngestBatch(
  prisma: PrismaClient,
  batch: IngestBatch,
  now: () => number = Date.now,
): Promise<IngestBatchResult> {
  const result = await prisma.$transaction(
    async (tx) => {
      await lockMachineTimelines(
        tx,
        batch.events.map((event) => event.machineId),
      );
      const duplicateTickets = await deduplicate(tx, batch.events);
      const fresh =
        duplicateTickets.size === 0
          ? batch.events
          : batch.events.filter((event) => !duplicateTickets.has(event.ticket));
      const timelineEvents = fresh.filter(
        ({ body }) => body.kind === 'state' || body.kind === 'product' || body.kind === 'work_order',
      );

      const [timeline, counterPlan] = await Promise.all([planTimelines(tx, timelineEvents), planCounters(tx, fresh)]);
      await writeIntervals(tx, timeline);

      const counts: CountAdjustment[] = [];
      for (const { machineId, tsMs, body } of fresh) {
        if (body.kind === 'count' && body.good + body.reject > 0)
          counts.push({ machineId, tsMs, good: body.good, reject: body.reject });
      }
      for (const adjustment of counterPlan.adjustments) {
        if (adjustment.good !== 0 || adjustment.reject !== 0) counts.push(adjustment);
      }
      const countGroups = groupCounts(counts);

      const changedStates: NotificationState[] = timeline.changedCurrent.map((row) => ({
        machineId: row.machineId,
        state: row.state,
        startedAtMs: row.startedAtMs,
        reasonId: row.reasonId,
        productId: row.productId,
      }));
      const countNews = summariseCounts(countGroups);
      // NOTIFY and the outbox inside the transaction: delivered exactly on commit, dropped on rollback, so that
      // listeners never hear of data that is not there.
      const payloads = buildNotificationPayloads(changedStates, countNews);
      const written = await writeBatchRows(tx, {
        events: fresh,
        countGroups,
        counterSeries: counterPlan.series,
        payloads,
      });
      const countRows = await finishCounts(tx, countGroups, written);
      await insertDeadLetters(tx, batch.deadLetters);
      await appendLiveEvents(tx, [
        ...changedStates.map((payload) => ({ type: 'machine-state' as const, machineId: payload.machineId, payload })),
        ...countNews.map((payload) => ({ type: 'count' as const, machineId: payload.machineId, payload })),
      ]);
      return {
        duplicateTickets,
        intervalsWritten: timeline.inserts.length + timeline.updates.length + timeline.deletes.length,
        countRows,
        notifications: payloads.length,
      };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  return { ...result, committedAtMs: now() };
}

/**
 * Keeps the KPI rollups current after a committed batch (issue: rollups "maintained incrementally as
 * events arrive, with late-event correction"): each machine's complete hours from its earliest event in
 * the batch are recomputed. For events inside the running hour this is a no-op without a round trip.
 */
export async function refreshRollupsAfterBatch(
  prisma: PrismaClient,
  events: readonly { machineId: string; tsMs: number }[],
  nowMs: number,
): Promise<void> {
  const earliestByMachine = new Map<string, number>();
  for (const event of events) {
    earliestByMachine.set(event.machineId, Math.min(earliestByMachine.get(event.machineId) ?? event.tsMs, event.tsMs));
  }
  const touched = [...earliestByMachine].map(([machineId, fromMs]) => ({ machineId, fromMs, toMs: nowMs }));
  await refreshRollupsMany({ prisma, touched, nowMs });
}

/** Writes dead letters alone: the fallback for a batch that cannot be applied however often it is retried. */
export async function writeDeadLetters(prisma: PrismaClient, deadLetters: readonly DeadLetterInput[]): Promise<void> {
  await prisma.$transaction(async (tx) => insertDeadLetters(tx, deadLetters));
}

/**
 * Forgets what the reorder window no longer needs: de-duplication keys and timeline events older than `cutoffMs`
 * (events that old are rejected as too late), keeping each counter's last reading before the cutoff (the
 * baseline of the next one).
 */
export async function pruneIngestHistory(prisma: PrismaClient, cutoffMs: number): Promise<void> {
  const cutoff = iso(cutoffMs);
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
