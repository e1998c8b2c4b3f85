// Writes one ingest batch in one PostgreSQL transaction, with multi-row statements (never a round trip per event):
// lock the machines → de-duplication keys → state intervals recomputed where the events landed → counter readings
// turned into count adjustments → one combined statement (timeline log, count buckets, counter_state, NOTIFY) →
// the rest of the counts → dead letters → live-event outbox. Each step is a focused writer; this file is the order.
//
// Arrays are passed whole and expanded with unnest(), so a batch of any size is a fixed handful of statements with
// a fixed number of bind parameters. On the hot path columns travel as array literals (sql-array.encoder.ts) and
// times as epoch milliseconds, turned into timestamptz exactly in SQL
// (`timestamptz 'epoch' + ms * interval '1 millisecond'`), which spares a date string per value.
//
// Concurrency: every machine touched is locked with a transaction-scoped advisory lock (in id order, so that two
// writers cannot deadlock), so the read-recompute-write of a machine's intervals and counters is atomic across
// bridge processes and the API's HTTP ingest.
import { Prisma, type PrismaClient } from '@takt/db';
import {
  appendBatchLiveEvents,
  buildNotificationPayloads,
  changedStatesOf,
  notifyPart,
  summariseCounts,
} from './batch-news.writer.ts';
import {
  countBucketParts,
  finishCounts,
  groupCounts,
  type CountAdjustment,
  type CountGroup,
  type CountsWritten,
} from './count-bucket.writer.ts';
import { counterStatePart, planCounters, type CounterSeries } from './counter-reading.writer.ts';
import { insertDeadLetters } from './dead-letter.writer.ts';
import { insertEventKeys } from './event-key.writer.ts';
import { lockMachineTimelines } from './machine-timeline.lock.ts';
import type { DeadLetterInput, ResolvedEvent } from './resolved-event.ts';
import { planTimelines, writeIntervals } from './state-interval.writer.ts';
import { timelineLogParts } from './timeline-log.writer.ts';

export type IngestBatch = { events: ResolvedEvent[]; deadLetters: DeadLetterInput[] };

export type IngestBatchResult = {
  /** Tickets of events found to be duplicates (of stored events or of an earlier event in the batch). */
  duplicateTickets: Set<number>;
  intervalsWritten: number;
  countRows: number;
  notifications: number;
  committedAtMs: number;
};

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
): Promise<CountsWritten> {
  const { events, countGroups, counterSeries, payloads } = rows;
  const parts = timelineLogParts(events);
  const hasCounts = countGroups.length > 0;
  if (hasCounts) parts.push(...countBucketParts(countGroups));
  if (counterSeries.length > 0) parts.push(counterStatePart(counterSeries));
  if (payloads.length > 0) parts.push(notifyPart(payloads));
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
      const duplicateTickets = await insertEventKeys(tx, batch.events);
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

      const changedStates = changedStatesOf(timeline.changedCurrent);
      const countNews = summariseCounts(countGroups);
      const payloads = buildNotificationPayloads(changedStates, countNews);
      const written = await writeBatchRows(tx, {
        events: fresh,
        countGroups,
        counterSeries: counterPlan.series,
        payloads,
      });
      const countRows = await finishCounts(tx, countGroups, written);
      await insertDeadLetters(tx, batch.deadLetters);
      await appendBatchLiveEvents(tx, changedStates, countNews);
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
