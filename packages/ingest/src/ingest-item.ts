// The items that travel through the pipeline: what submit() and reject() queue (one per event or rejection, with
// the submission that waits for its result; the watchdog's OFFLINE events have none), the same item once prepared
// (validated and resolved) for the batch writer, and how an item's outcome answers its submission.
import { hash } from 'node:crypto';
import type { TIngestEventResult } from '@takt/contracts';
import type { IngestEventOrigin, IngestRejection, IngestSubmitResult, IngestSourceInfo } from './ingest-event.ts';
import { SILENCE_SOURCE_CODE, type SilenceEvent } from './machine-liveness.watchdog.ts';
import type { DeadLetterInput, ResolvedEvent } from './resolved-event.ts';

/** The result of one item: accepted, duplicate, or rejected with a reason. */
export type Outcome = { status: TIngestEventResult['status']; reason?: string };

/** One submit() or reject() call: answered when its last item has an outcome. */
export type Submission = {
  results: TIngestEventResult[];
  remaining: number;
  resolve: (result: IngestSubmitResult) => void;
};

export type PendingItem =
  | {
      kind: 'event';
      source: IngestSourceInfo;
      input: unknown;
      origin: IngestEventOrigin;
      receivedAtMs: number;
      /** When the pipeline got it (receivedAtMs may be the original receipt of a replayed event). */
      queuedAtMs: number;
      submission: Submission | null;
      index: number;
      /** Set for events the pipeline makes up itself (watchdog): already resolved. */
      internal?: ResolvedEvent;
    }
  | {
      kind: 'rejection';
      source: IngestSourceInfo;
      rejection: IngestRejection;
      receivedAtMs: number;
      queuedAtMs: number;
      submission: Submission | null;
      index: number;
    };

export type PendingEvent = PendingItem & { kind: 'event' };

/** One item after validation and resolution, ready to be written. */
export type PreparedItem = {
  item: PendingItem;
  /** The event to write (its ticket is set when its batch is written). */
  event: ResolvedEvent | null;
  /** Decided before writing: rejected (and dead-lettered) or a stale replay. */
  outcome: Outcome | null;
  /** Dead letters of this item: its rejection, or warnings about an event applied anyway. */
  deadLetters: DeadLetterInput[] | null;
  /** Preparing failed (the directory could not be loaded): the writer prepares it again. */
  isUnprepared?: boolean;
};

const encoder = new TextEncoder();

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The dead letter of an event that cannot be applied: its raw message (default: the event as JSON) and why. */
export function deadLetterOfEvent(item: PendingEvent, reason: string): DeadLetterInput {
  return {
    source: item.source,
    address: item.origin.address,
    payload: item.origin.payload ?? encoder.encode(safeJson(item.input)),
    reason,
    receivedAtMs: item.receivedAtMs,
  };
}

/** The dead letter of a message its source could not decode. */
export function deadLetterOfRejection(item: PendingItem & { kind: 'rejection' }): DeadLetterInput {
  return {
    source: item.source,
    address: item.rejection.address,
    payload: item.rejection.payload,
    reason: item.rejection.reason,
    receivedAtMs: item.receivedAtMs,
  };
}

/** A submission of `count` items, answered through `resolve` once all have an outcome. */
export function submissionOf(count: number, resolve: (result: IngestSubmitResult) => void): Submission {
  return { results: new Array(count), remaining: count, resolve };
}

/** Records the outcome of `item`; the last one of its submission answers the submitter. */
export function settle(item: PendingItem, outcome: Outcome): void {
  if (!item.submission) return;
  const { submission } = item;
  submission.results[item.index] =
    outcome.reason === undefined
      ? { index: item.index, status: outcome.status }
      : { index: item.index, status: outcome.status, reason: outcome.reason };
  submission.remaining -= 1;
  if (submission.remaining > 0) return;
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const result of submission.results) {
    if (result.status === 'accepted') accepted += 1;
    else if (result.status === 'duplicate') duplicates += 1;
    else rejected += 1;
  }
  submission.resolve({ accepted, duplicates, rejected, results: submission.results });
}

/** The OFFLINE event the watchdog makes up for a silent machine, resolved already (no submitter waits). */
export function offlineItemOf(silence: SilenceEvent, source: IngestSourceInfo, nowMs: number): PendingEvent {
  const { machineId, tsMs, silentSec, lastAddress } = silence;
  const payload = { state: 'OFFLINE', machineId, timestamp_ms: tsMs, note: `no data for ${silentSec} s` };
  return {
    kind: 'event',
    source,
    input: payload,
    origin: { address: lastAddress ?? 'watchdog', isReplay: true },
    receivedAtMs: nowMs,
    queuedAtMs: nowMs,
    submission: null,
    index: 0,
    internal: {
      ticket: 0,
      machineId,
      tsMs,
      seq: null,
      dedupKey: `${source.code}|h|${hash('sha256', JSON.stringify(payload), 'base64url')}`,
      sourceCode: source.code,
      body: {
        kind: 'state',
        state: 'OFFLINE',
        reasonId: null,
        sourceCode: SILENCE_SOURCE_CODE,
        hasProduct: false,
        productId: null,
      },
    },
  };
}
