// The news of a batch, sent inside its transaction so that listeners hear of it exactly on commit and never of
// data that was rolled back: `NOTIFY takt_events` payloads (ZTaktEventsNotification in @takt/contracts: machines
// whose current state changed, counts added per machine and bucket) and the live-event outbox rows
// (appendLiveEvents, read by GET /api/v1/stream).
import { TAKT_EVENTS_CHANNEL, type TTaktEventsNotification } from '@takt/contracts';
import { appendLiveEvents, Prisma } from '@takt/db';
import type { CountGroup } from './count-bucket.writer.ts';
import { encodeTextArray } from './sql-array.encoder.ts';
import type { IntervalSnapshot } from './timeline.planner.ts';

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay well below.
const NOTIFY_PAYLOAD_MAX_BYTES = 7_000;

export type NotificationState = TTaktEventsNotification['states'][number];
export type NotificationCount = TTaktEventsNotification['counts'][number];

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
export function summariseCounts(groups: readonly CountGroup[]): NotificationCount[] {
  return groups
    .filter((group) => group.good >= 0 && group.reject >= 0 && group.good + group.reject > 0)
    .map((group) => ({
      machineId: group.machineId,
      bucketStartMs: group.bucketStartMs,
      goodDelta: group.good,
      rejectDelta: group.reject,
    }));
}

/** The machines whose current interval the batch created or changed. */
export function changedStatesOf(changedCurrent: readonly IntervalSnapshot[]): NotificationState[] {
  return changedCurrent.map((row) => ({
    machineId: row.machineId,
    state: row.state,
    startedAtMs: row.startedAtMs,
    reasonId: row.reasonId,
    productId: row.productId,
  }));
}

/** The NOTIFY of `payloads`, as a part (`notified`) of the batch's combined statement. */
export function notifyPart(payloads: readonly string[]): Prisma.Sql {
  return Prisma.sql`notified AS (SELECT pg_notify(${TAKT_EVENTS_CHANNEL}, p) FROM unnest(${encodeTextArray(payloads)}::text[]) AS p)`;
}

/** Appends the batch's news to the live-event outbox (in the batch's transaction). */
export async function appendBatchLiveEvents(
  tx: Prisma.TransactionClient,
  states: readonly NotificationState[],
  counts: readonly NotificationCount[],
): Promise<void> {
  await appendLiveEvents(tx, [
    ...states.map((payload) => ({ type: 'machine-state' as const, machineId: payload.machineId, payload })),
    ...counts.map((payload) => ({ type: 'count' as const, machineId: payload.machineId, payload })),
  ]);
}
