// The one ingest pipeline every source feeds (DESIGN.md "OT ingest contracts"): buffer → validate (zod) →
// resolve machine, signal, product, reason and work order → de-duplicate → apply → write one batch per
// transaction → notify → count. Batches are cut at `maxBatchEvents` items or `maxBatchDelayMs` after the oldest
// waiting item arrived, whichever comes first; a batch that had to wait for the previous commit goes at once.
//
// Pipelining: items are validated and resolved (the CPU part) as they arrive, in small chunks, while the previous
// batch is being committed; one batch is written at a time, in arrival order, so that per machine the order and
// the de-duplication are those of a serial writer.
//
// Back-pressure: `pending` (items submitted and not yet committed or given up) is bounded. Once it reaches
// `pauseAtPendingItems`, waitForRoom() hands sources a promise that resolves when it is down to
// `resumeAtPendingItems`; the MQTT sources stop reading (and acknowledging) meanwhile, so that QoS 1 messages wait
// at the broker instead of in memory. Beyond `maxPendingItems` (callers that do not wait: HTTP ingest) new items
// are refused with `ingest buffer full`.
//
// Rules (apps/bridge/README.md "What the ingest does"):
// - De-duplication key: `{source}|id|{eventId}`, else `{source}|seq|{seq}`, else a SHA-256 of the event;
//   `source` is the event's `source`, else the connection's code. Keys live for twice `maxEventAgeMs`, and
//   events older than `maxEventAgeMs` are rejected as too late, so that a duplicate can never be applied twice.
// - Ordering: late events are put in their place (timeline.planner.ts, counter-delta.planner.ts).
// - Failure policy: a failed batch is retried with backoff while the buffer keeps filling (bounded, see above); a
//   batch failing `maxDataErrorAttempts` times for a reason other than the connection is dead-lettered, so that
//   one poison batch cannot stop ingest; after `maxTransientAttempts` connection failures its events and
//   rejections are answered `database unavailable` (the bridge's spool takes them).
import { hash } from 'node:crypto';
import { ZIngestEvent, type TIngestEvent, type TIngestEventResult, type TMachineState } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  pruneIngestHistory,
  writeDeadLetters,
  refreshRollupsAfterBatch,
  writeIngestBatch,
  type DeadLetterInput,
  type ResolvedBody,
  type ResolvedEvent,
} from './ingest-batch.writer.ts';
import type {
  IngestEventOrigin,
  IngestInput,
  IngestPipeline,
  IngestRejection,
  IngestSourceCounters,
  IngestSourceInfo,
  IngestStats,
  IngestSubmitResult,
} from './ingest-event.ts';
import { writeIngestSourceStatus, type SourceStatusDelta } from './ingest-source-status.writer.ts';
import {
  createLivenessWatchdog,
  SILENCE_SOURCE_CODE,
  type LivenessWatchdog,
  type UnheardCandidate,
} from './machine-liveness.watchdog.ts';
import { createPlantDirectory, mappingKeyOf, type PlantLookup } from './plant-directory.cache.ts';
import { mapStateCode } from './state-code.mapping.ts';

export type IngestPipelineOptions = {
  prisma: PrismaClient;
  logger: Logger;
  maxBatchEvents?: number;
  maxBatchDelayMs?: number;
  /** Events stamped further ahead of their arrival than this are dead-lettered (a wrong machine clock). */
  futureToleranceMs?: number;
  /** The reorder window: events older than this on arrival are dead-lettered as too late. Default 24 h. */
  maxEventAgeMs?: number;
  /** Hard bound of pending items: beyond it new ones are refused (`ingest buffer full`). Default 100,000. */
  maxPendingItems?: number;
  /** waitForRoom() asks sources to pause from this many pending items on. Default: half of maxPendingItems. */
  pauseAtPendingItems?: number;
  /** … and lets them resume once no more than this many are pending. Default: half of pauseAtPendingItems. */
  resumeAtPendingItems?: number;
  /** null (default) disables the OFFLINE watchdog. */
  offlineAfterMs?: number | null;
  /** Also put machines OFFLINE that were never heard from since the start (default true when the watchdog runs). */
  isWatchingUnheardMachines?: boolean;
  /** How often per-source counters are written to ingest_source_status; null: never. Default 2 s. */
  statusIntervalMs?: number | null;
  /** How often keys and timeline events beyond the window are pruned; null: never. Default 10 min. */
  pruneIntervalMs?: number | null;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  maxDataErrorAttempts?: number;
  /** Give up on a batch after this many connection failures (HTTP ingest answers 503); default: never. */
  maxTransientAttempts?: number;
  now?: () => number;
};

/** Result reason of events given up because PostgreSQL stayed unreachable (maxTransientAttempts). */
export const DATABASE_UNAVAILABLE_REASON = 'database unavailable';
/** Result reason of events refused because `maxPendingItems` are waiting already. */
export const BUFFER_FULL_REASON = 'ingest buffer full';
/** Result reason of events not written because the pipeline was stopped first. */
export const INGEST_STOPPED_REASON = 'ingest stopped';

// Items validated and resolved in one go while a batch is being written: small enough not to hold up the
// event loop (MQTT reads, timers), large enough that the per-chunk directory lookup does not matter.
const PREPARE_CHUNK_ITEMS = 1_000;

type Submission = {
  results: TIngestEventResult[];
  remaining: number;
  resolve: (result: IngestSubmitResult) => void;
};

type PendingItem =
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
      /** Set for events the pipeline makes up itself (watchdog). */
      internal?: { machineId: string; body: ResolvedBody };
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

type Outcome = { status: TIngestEventResult['status']; reason?: string };

/** One item after validation and resolution, ready to be written. */
type PreparedItem = {
  item: PendingItem;
  /** The event to write (its ticket is set when its batch is cut). */
  event: ResolvedEvent | null;
  /** Decided before writing: rejected (and dead-lettered) or a stale replay. */
  outcome: Outcome | null;
  /** Dead letters of this item: its rejection, or warnings about an event applied anyway. */
  deadLetters: DeadLetterInput[] | null;
  /** Preparing failed (the directory could not be loaded): the writer prepares it again. */
  isUnprepared?: boolean;
};

// Error codes that mean "the database is unreachable or restarting", worth retrying: node/pg socket errors,
// PostgreSQL classes 08 (connection) and 57P (operator intervention), Prisma P1001/P1017.
const TRANSIENT_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|Connection terminated|connection.*(closed|ended)|\b08\d{3}\b|\b57P0\d\b|P1001|P1017|Transaction already closed|Unable to start a transaction/i;

function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.message}${typeof code === 'string' ? ` [${code}]` : ''}`);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.join(' ← ');
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

// Unref'd: a retry pending at shutdown must not keep the process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const encoder = new TextEncoder();

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The stable de-duplication key of a validated event (see the module header). */
export function dedupKeyOf(event: TIngestEvent, sourceCode: string): string {
  const source = event.source ?? sourceCode;
  if (event.eventId !== undefined) return `${source}|id|${event.eventId}`;
  if (event.seq !== undefined) return `${source}|seq|${event.seq}`;
  // One-shot hash: no Hash object per event (the same digest as createHash).
  const digest = hash('sha256', JSON.stringify(event), 'base64url');
  return `${source}|h|${digest}`;
}

type Resolution =
  { ok: true; machineId: string; body: ResolvedBody; warnings: string[] } | { ok: false; reason: string };

/** Turns a mapped signal value into the normalized event it stands for (signal_mapping.signal). */
function fromSignal(
  event: Extract<TIngestEvent, { type: 'signal' }>,
  source: IngestSourceInfo,
  lookup: PlantLookup,
): { ok: true; event: TIngestEvent } | { ok: false; reason: string } {
  const mapping =
    source.dataSourceId === null
      ? undefined
      : lookup.mappingByAddress.get(mappingKeyOf(source.dataSourceId, event.address));
  if (!mapping)
    return { ok: false, reason: `unknown signal: no signal mapping of this source has the address "${event.address}"` };
  const mapped = mapping.valueMap?.[String(event.value)] ?? event.value;
  const common = {
    machineId: mapping.machineId,
    tsMs: event.tsMs,
    ...(event.source === undefined ? {} : { source: event.source }),
    ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
    ...(event.seq === undefined ? {} : { seq: event.seq }),
  };
  const asCount = (): number | null =>
    typeof mapped === 'number' && Number.isSafeInteger(mapped) && mapped >= 0 ? mapped : null;
  switch (mapping.signal) {
    case 'STATE':
      if (typeof mapped === 'boolean') return { ok: false, reason: `state value ${String(mapped)} has no mapping` };
      return { ok: true, event: { ...common, type: 'state', state: mapped as TMachineState | number } };
    case 'GOOD_COUNT':
    case 'REJECT_COUNT': {
      const value = asCount();
      if (value === null) return { ok: false, reason: `counter value ${safeJson(mapped)} is not an integer ≥ 0` };
      return {
        ok: true,
        event: { ...common, type: 'counter', counter: mapping.signal === 'GOOD_COUNT' ? 'good' : 'reject', value },
      };
    }
    case 'PRODUCT':
      return { ok: true, event: { ...common, type: 'product', productCode: mapped === '' ? null : String(mapped) } };
    case 'WORK_ORDER':
      return {
        ok: true,
        event: { ...common, type: 'work-order', workOrderNumber: mapped === '' ? null : String(mapped) },
      };
    case 'HEARTBEAT':
      return { ok: true, event: { ...common, type: 'count', good: 0 } };
    case 'TOTAL_COUNT':
      return { ok: false, reason: 'TOTAL_COUNT mappings are not supported: map GOOD_COUNT and REJECT_COUNT counters' };
  }
}

function resolveEvent(event: TIngestEvent, lookup: PlantLookup): Resolution {
  if (event.type === 'signal') return { ok: false, reason: 'signal events must be resolved first' };
  let machineId: string | undefined;
  if (event.machineId !== undefined) {
    machineId = lookup.machineIds.has(event.machineId) ? event.machineId : undefined;
    if (!machineId) return { ok: false, reason: `unknown machine: no machine has the id "${event.machineId}"` };
  } else if (event.machinePath !== undefined) {
    machineId = lookup.machineIdByPath.get(event.machinePath);
    if (!machineId) return { ok: false, reason: `unknown machine: no machine has the path "${event.machinePath}"` };
  } else {
    return { ok: false, reason: 'schema violation: machinePath or machineId is required' };
  }
  const warnings: string[] = [];
  switch (event.type) {
    case 'state': {
      const mapped = mapStateCode(event.state);
      if (!mapped)
        return {
          ok: false,
          reason: `unknown state code ${String(event.state)} (not PackML 0–17 or UMH 10000–229999)`,
        };
      let reasonId: string | null = null;
      if (event.reasonCode != null) {
        reasonId = lookup.reasonIdByCode.get(event.reasonCode) ?? null;
        if (reasonId === null)
          warnings.push(`state applied without its reason: unknown reason code "${event.reasonCode}"`);
      }
      let productId: string | null = null;
      if (event.productCode != null) {
        productId = lookup.productIdByCode.get(event.productCode) ?? null;
        if (productId === null)
          warnings.push(`state applied without its product: unknown product code "${event.productCode}"`);
      }
      return {
        ok: true,
        machineId,
        warnings,
        body: {
          kind: 'state',
          state: mapped.state,
          reasonId,
          sourceCode: mapped.sourceCode,
          // undefined = unchanged; null = explicitly none.
          hasProduct: event.productCode !== undefined,
          productId,
        },
      };
    }
    case 'count': {
      const reject = event.reject ?? 0;
      // A zero count is a heartbeat only: nothing to add.
      if (event.good + reject === 0) return { ok: true, machineId, warnings, body: { kind: 'heartbeat' } };
      return { ok: true, machineId, warnings, body: { kind: 'count', good: event.good, reject } };
    }
    case 'counter':
      return { ok: true, machineId, warnings, body: { kind: 'counter', counter: event.counter, value: event.value } };
    case 'product': {
      if (event.productCode === null)
        return { ok: true, machineId, warnings, body: { kind: 'product', productId: null } };
      const productId = lookup.productIdByCode.get(event.productCode);
      if (!productId) return { ok: false, reason: `unknown product code "${event.productCode}"` };
      return { ok: true, machineId, warnings, body: { kind: 'product', productId } };
    }
    case 'work-order': {
      if (event.workOrderNumber === null)
        return { ok: true, machineId, warnings, body: { kind: 'work_order', workOrderId: null } };
      const workOrderId = lookup.workOrderIdByNumber.get(event.workOrderNumber);
      if (!workOrderId) return { ok: false, reason: `unknown or closed work order "${event.workOrderNumber}"` };
      return { ok: true, machineId, warnings, body: { kind: 'work_order', workOrderId } };
    }
  }
}

/** Creates the pipeline; its timers (watchdog, status, pruning) run until stop(). */
export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const {
    prisma,
    logger,
    maxBatchEvents = 1_000,
    maxBatchDelayMs = 250,
    futureToleranceMs = 5 * 60_000,
    maxEventAgeMs = 24 * 3_600_000,
    maxPendingItems = 100_000,
    offlineAfterMs = null,
    isWatchingUnheardMachines = true,
    statusIntervalMs = 2_000,
    pruneIntervalMs = 10 * 60_000,
    retryInitialDelayMs = 250,
    retryMaxDelayMs = 10_000,
    maxDataErrorAttempts = 3,
    maxTransientAttempts = Number.POSITIVE_INFINITY,
    now = Date.now,
  } = options;
  const pauseAtPendingItems = Math.min(options.pauseAtPendingItems ?? Math.ceil(maxPendingItems / 2), maxPendingItems);
  const resumeAtPendingItems = Math.min(
    options.resumeAtPendingItems ?? Math.floor(pauseAtPendingItems / 2),
    pauseAtPendingItems - 1,
  );
  const directory = createPlantDirectory({ prisma, logger: logger.child({ name: 'ingest.directory' }), now });

  // Arrival order: buffer (not yet prepared) → preparing (one chunk) → ready (prepared) → writing (one batch).
  let buffer: PendingItem[] = [];
  let preparingCount = 0;
  let ready: PreparedItem[] = [];
  let writingCount = 0;
  const pendingCount = () => buffer.length + preparingCount + ready.length + writingCount;

  const sources = new Map<string, IngestSourceCounters>();
  // What has been written to ingest_source_status already, per source.
  const reported = new Map<string, { messages: number; duplicates: number; deadLetters: number; atMs: number }>();
  const totals = {
    batches: 0,
    failedAttempts: 0,
    intervalsWritten: 0,
    countEvents: 0,
    staleReplays: 0,
    dropped: 0,
    peakPending: 0,
    pauses: 0,
  };
  let timer: NodeJS.Timeout | null = null;
  let preparing: Promise<void> | null = null;
  let isPrepareScheduled = false;
  let writing: Promise<void> | null = null;
  let flushRequests = 0;
  let isStopping = false;
  let isStopped = false;
  let lastDropLogMs = 0;
  let roomWaiters: (() => void)[] = [];
  let roomPromise: Promise<void> | null = null;
  let idleWaiters: (() => void)[] = [];

  function countersOf(source: IngestSourceInfo): IngestSourceCounters {
    let counters = sources.get(source.code);
    if (!counters) {
      counters = {
        kind: source.kind,
        messages: 0,
        duplicates: 0,
        deadLetters: 0,
        lastMessageAtMs: null,
        lagMs: null,
        isConnected: null,
        spoolDepth: 0,
        pendingEvents: 0,
        unackedMessages: 0,
      };
      sources.set(source.code, counters);
    }
    return counters;
  }

  function settle(item: PendingItem, outcome: Outcome): void {
    if (!item.submission) return;
    const { submission } = item;
    submission.results[item.index] =
      outcome.reason === undefined
        ? { index: item.index, status: outcome.status }
        : { index: item.index, status: outcome.status, reason: outcome.reason };
    submission.remaining -= 1;
    if (submission.remaining === 0) {
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
  }

  /** Called whenever items leave the pipeline: wakes paused sources and flush() callers. */
  function noteProgress(): void {
    const pending = pendingCount();
    if (roomWaiters.length > 0 && pending <= resumeAtPendingItems) {
      const waiters = roomWaiters;
      roomWaiters = [];
      roomPromise = null;
      for (const resolve of waiters) resolve();
    }
    if (idleWaiters.length > 0 && pending === 0 && !writing) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function enqueue(item: PendingItem, isFromSource: boolean): void {
    if (isFromSource) {
      const counters = countersOf(item.source);
      counters.messages += 1;
      counters.lastMessageAtMs = Math.max(counters.lastMessageAtMs ?? 0, item.receivedAtMs);
    }
    const pending = pendingCount();
    if (pending >= maxPendingItems || isStopped) {
      totals.dropped += 1;
      settle(item, { status: 'rejected', reason: BUFFER_FULL_REASON });
      if (now() - lastDropLogMs > 10_000) {
        lastDropLogMs = now();
        logger.error({ pending, dropped: totals.dropped }, 'ingest buffer full: dropping events');
      }
      return;
    }
    buffer.push(item);
    if (pending + 1 > totals.peakPending) totals.peakPending = pending + 1;
    schedulePrepare();
  }

  // ---------------------------------------------------------------- preparing (CPU, overlapped with writing)

  function schedulePrepare(): void {
    if (preparing || isPrepareScheduled) return;
    isPrepareScheduled = true;
    // After the current turn of the event loop, so that a burst of submits is prepared as one chunk.
    setImmediate(() => {
      isPrepareScheduled = false;
      preparing ??= prepareLoop().finally(() => {
        preparing = null;
        if (buffer.length > 0) schedulePrepare();
      });
    });
  }

  async function prepareLoop(): Promise<void> {
    while (buffer.length > 0) {
      const chunk = buffer.length <= PREPARE_CHUNK_ITEMS ? buffer : buffer.slice(0, PREPARE_CHUNK_ITEMS);
      buffer = chunk === buffer ? [] : buffer.slice(PREPARE_CHUNK_ITEMS);
      preparingCount = chunk.length;
      let prepared: PreparedItem[];
      try {
        prepared = await prepare(chunk);
      } catch (error) {
        // The directory could not be loaded (database away): keep the items unprepared; the writer's retry
        // prepares them again.
        logger.warn({ error: describeError(error) }, 'cannot prepare events yet');
        prepared = chunk.map((item) => ({ item, event: null, outcome: null, deadLetters: null, isUnprepared: true }));
      }
      preparingCount = 0;
      for (const each of prepared) ready.push(each);
      scheduleWrite();
    }
  }

  function deadLetterOf(item: PendingItem & { kind: 'event' }, reason: string): DeadLetterInput {
    return {
      source: item.source,
      address: item.origin.address,
      payload: item.origin.payload ?? encoder.encode(safeJson(item.input)),
      reason,
      receivedAtMs: item.receivedAtMs,
    };
  }

  function rejectPrepared(slot: PreparedItem, item: PendingItem & { kind: 'event' }, reason: string): void {
    slot.outcome = { status: 'rejected', reason };
    (slot.deadLetters ??= []).push(deadLetterOf(item, reason));
  }

  /** Validates and resolves items; rejected events become dead letters. */
  async function prepare(items: readonly PendingItem[]): Promise<PreparedItem[]> {
    const prepared: PreparedItem[] = new Array(items.length);
    const parsed: (TIngestEvent | undefined)[] = new Array(items.length);
    const names = {
      machinePaths: new Set<string>(),
      machineIds: new Set<string>(),
      productCodes: new Set<string>(),
      reasonCodes: new Set<string>(),
      workOrderNumbers: new Set<string>(),
      mappingKeys: new Set<string>(),
    };
    items.forEach((item, position) => {
      const slot: PreparedItem = { item, event: null, outcome: null, deadLetters: null };
      prepared[position] = slot;
      if (item.kind === 'rejection') {
        slot.deadLetters = [
          {
            source: item.source,
            address: item.rejection.address,
            payload: item.rejection.payload,
            reason: item.rejection.reason,
            receivedAtMs: item.receivedAtMs,
          },
        ];
        return;
      }
      if (item.internal) return;
      const result = ZIngestEvent.safeParse(item.input);
      if (!result.success) {
        rejectPrepared(slot, item, `schema violation: ${describeIssues(result.error)}`);
        return;
      }
      const event = result.data;
      parsed[position] = event;
      if (event.type === 'signal') {
        if (item.source.dataSourceId !== null)
          names.mappingKeys.add(mappingKeyOf(item.source.dataSourceId, event.address));
        return;
      }
      if (event.machinePath !== undefined) names.machinePaths.add(event.machinePath);
      if (event.machineId !== undefined) names.machineIds.add(event.machineId);
      if (event.type === 'state' || event.type === 'product') {
        if (event.productCode != null) names.productCodes.add(event.productCode);
      }
      if (event.type === 'state' && event.reasonCode != null) names.reasonCodes.add(event.reasonCode);
      if (event.type === 'work-order' && event.workOrderNumber !== null)
        names.workOrderNumbers.add(event.workOrderNumber);
    });
    let lookup = await directory.lookup(names);

    for (let position = 0; position < items.length; position += 1) {
      const item = items[position];
      const slot = prepared[position];
      if (!item || !slot || item.kind !== 'event' || slot.outcome) continue;
      if (item.internal) {
        slot.event = {
          ticket: 0,
          machineId: item.internal.machineId,
          tsMs: safeTs(item.input),
          seq: null,
          dedupKey: `${item.source.code}|h|${hash('sha256', safeJson(item.input), 'base64url')}`,
          sourceCode: item.source.code,
          body: item.internal.body,
        };
        continue;
      }
      let event = parsed[position];
      if (!event) continue;
      if (event.type === 'signal') {
        const translated = fromSignal(event, item.source, lookup);
        if (!translated.ok) {
          rejectPrepared(slot, item, translated.reason);
          continue;
        }
        event = translated.event;
        // The mapped machine or code may be new since the last load.
        lookup = await directory.lookup({
          machineIds: event.type === 'signal' || event.machineId === undefined ? [] : [event.machineId],
        });
      }
      const aheadMs = event.tsMs - item.receivedAtMs;
      if (aheadMs > futureToleranceMs) {
        rejectPrepared(
          slot,
          item,
          `timestamp ${Math.round(aheadMs / 1000)} s in the future (clock of the sender wrong?)`,
        );
        continue;
      }
      if (item.receivedAtMs - event.tsMs > maxEventAgeMs) {
        if (item.origin.isReplay) {
          // An old retained message: old news, not an error.
          totals.staleReplays += 1;
          slot.outcome = { status: 'duplicate', reason: 'stale replay' };
        } else {
          rejectPrepared(
            slot,
            item,
            `too late: older than the reorder window of ${Math.round(maxEventAgeMs / 60_000)} min`,
          );
        }
        continue;
      }
      const resolved = resolveEvent(event, lookup);
      if (!resolved.ok) {
        rejectPrepared(slot, item, resolved.reason);
        continue;
      }
      for (const warning of resolved.warnings) (slot.deadLetters ??= []).push(deadLetterOf(item, warning));
      slot.event = {
        ticket: 0,
        machineId: resolved.machineId,
        tsMs: event.tsMs,
        seq: event.seq ?? null,
        dedupKey: dedupKeyOf(event, item.source.code),
        sourceCode: item.source.code,
        body: resolved.body,
      };
      watchdog?.noteEvent({
        machineId: resolved.machineId,
        receivedAtMs: item.receivedAtMs,
        tsMs: event.tsMs,
        state: resolved.body.kind === 'state' ? resolved.body.state : null,
        address: item.origin.address,
      });
    }
    return prepared;
  }

  // ---------------------------------------------------------------- writing (one batch at a time, in order)

  function scheduleWrite(): void {
    if (writing || ready.length === 0) return;
    const oldest = ready[0];
    const waitedMs = oldest ? now() - oldest.item.queuedAtMs : 0;
    const isDue = ready.length >= maxBatchEvents || waitedMs >= maxBatchDelayMs || flushRequests > 0 || isStopping;
    if (!isDue) {
      timer ??= setTimeout(
        () => {
          timer = null;
          scheduleWrite();
        },
        Math.max(1, maxBatchDelayMs - waitedMs),
      );
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = ready.length <= maxBatchEvents ? ready : ready.slice(0, maxBatchEvents);
    ready = batch === ready ? [] : ready.slice(maxBatchEvents);
    writingCount = batch.length;
    writing = writeWithRetry(batch).finally(() => {
      writingCount = 0;
      writing = null;
      noteProgress();
      scheduleWrite();
    });
  }

  function recordDeadLetters(deadLetters: readonly DeadLetterInput[]): void {
    for (const { source } of deadLetters) countersOf(source).deadLetters += 1;
  }

  async function writeWithRetry(batch: PreparedItem[]): Promise<void> {
    let transientFailures = 0;
    let current = batch;
    for (let attempt = 1; ; attempt += 1) {
      if (isStopped) {
        logger.error({ items: current.length }, 'stopped with an unwritten batch; its events are lost');
        finish(current, () => ({ status: 'rejected', reason: INGEST_STOPPED_REASON }));
        return;
      }
      try {
        // A retry prepares again: the directory may have changed (e.g. what made the last attempt fail).
        if (attempt > 1 || current.some((each) => each.isUnprepared)) {
          current = await prepare(current.map((each) => each.item));
        }
        await writeBatch(current);
        return;
      } catch (error) {
        totals.failedAttempts += 1;
        const detail = describeError(error);
        const isTransient = TRANSIENT_ERROR.test(detail);
        if (isTransient) transientFailures += 1;
        if (isTransient && transientFailures >= maxTransientAttempts) {
          logger.error({ items: current.length, error: detail }, 'database unavailable: batch given up');
          finish(current, () => ({ status: 'rejected', reason: DATABASE_UNAVAILABLE_REASON }));
          return;
        }
        if (!isTransient && attempt >= maxDataErrorAttempts) {
          await giveUp(current, detail);
          return;
        }
        const delayMs = Math.min(retryMaxDelayMs, retryInitialDelayMs * 2 ** (attempt - 1));
        logger.warn(
          { attempt, delayMs, items: current.length, isTransient, error: detail },
          'batch write failed: retrying',
        );
        await sleep(delayMs);
      }
    }
  }

  async function writeBatch(batch: readonly PreparedItem[]): Promise<void> {
    const events: ResolvedEvent[] = [];
    const deadLetters: DeadLetterInput[] = [];
    const positionOfTicket: number[] = [];
    batch.forEach(({ event, deadLetters: itemDeadLetters }, position) => {
      if (event) {
        positionOfTicket.push(position);
        event.ticket = events.length;
        events.push(event);
      }
      if (itemDeadLetters) for (const deadLetter of itemDeadLetters) deadLetters.push(deadLetter);
    });
    const result = await writeIngestBatch(prisma, { events, deadLetters }, now);
    recordDeadLetters(deadLetters);
    // The batch is committed; a rollup that fails to refresh is recomputed by the next batch touching
    // that machine-hour (or explain shows it stale), so it must not fail or retry the batch.
    await refreshRollupsAfterBatch(prisma, events, result.committedAtMs).catch((error: unknown) =>
      logger.warn({ err: error }, 'KPI rollups not refreshed after a batch'),
    );
    totals.batches += 1;
    totals.intervalsWritten += result.intervalsWritten;
    const outcomes: Outcome[] = batch.map((each) => each.outcome ?? { status: 'accepted' });
    const newestTsBySource = new Map<string, number>();
    for (const event of events) {
      if (event.body.kind === 'count') totals.countEvents += 1;
      const position = positionOfTicket[event.ticket] ?? 0;
      const item = batch[position]?.item;
      if (!item) continue;
      if (result.duplicateTickets.has(event.ticket)) outcomes[position] = { status: 'duplicate' };
      if (item.kind === 'event' && !item.internal) {
        const newest = newestTsBySource.get(item.source.code);
        if (newest === undefined || event.tsMs > newest) newestTsBySource.set(item.source.code, event.tsMs);
      }
    }
    for (const [code, tsMs] of newestTsBySource) {
      const counters = sources.get(code);
      if (counters) counters.lagMs = Math.max(0, result.committedAtMs - tsMs);
    }
    outcomes.forEach((outcome, position) => {
      const item = batch[position]?.item;
      if (outcome.status === 'duplicate' && item?.kind === 'event') countersOf(item.source).duplicates += 1;
    });
    finish(batch, (_, position) => outcomes[position] ?? { status: 'accepted' });
    logger.debug({ items: batch.length, intervalsWritten: result.intervalsWritten }, 'batch written');
  }

  /** Settles the submitters of a written (or given up) batch. */
  function finish(batch: readonly PreparedItem[], outcomeOf: (item: PendingItem, position: number) => Outcome): void {
    batch.forEach(({ item }, position) => settle(item, outcomeOf(item, position)));
  }

  async function giveUp(batch: readonly PreparedItem[], detail: string): Promise<void> {
    const reason = `write failed: ${detail}`;
    const deadLetters = batch.map(({ item }): DeadLetterInput =>
      item.kind === 'rejection'
        ? {
            source: item.source,
            address: item.rejection.address,
            payload: item.rejection.payload,
            reason: item.rejection.reason,
            receivedAtMs: item.receivedAtMs,
          }
        : deadLetterOf(item, reason),
    );
    try {
      await writeDeadLetters(prisma, deadLetters);
      recordDeadLetters(deadLetters);
      logger.error({ items: batch.length, error: detail }, 'batch cannot be written: dead-lettered');
    } catch (error) {
      logger.error(
        { items: batch.length, error: detail, deadLetterError: describeError(error) },
        'batch cannot be written nor dead-lettered: dropped',
      );
    }
    finish(batch, () => ({ status: 'rejected', reason }));
  }

  const silenceSource: IngestSourceInfo = { code: 'bridge:watchdog', kind: 'MQTT_JSON', dataSourceId: null };
  async function loadUnheardCandidates(): Promise<UnheardCandidate[]> {
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

  const watchdog: LivenessWatchdog | null =
    offlineAfterMs === null
      ? null
      : createLivenessWatchdog({
          offlineAfterMs,
          logger: logger.child({ name: 'ingest.watchdog' }),
          now,
          ...(isWatchingUnheardMachines ? { loadUnheardCandidates } : {}),
          submit: ({ machineId, tsMs, silentSec, lastAddress }) => {
            const payload = { state: 'OFFLINE', machineId, timestamp_ms: tsMs, note: `no data for ${silentSec} s` };
            enqueue(
              {
                kind: 'event',
                source: silenceSource,
                input: payload,
                origin: { address: lastAddress ?? 'watchdog', isReplay: true },
                receivedAtMs: now(),
                queuedAtMs: now(),
                submission: null,
                index: 0,
                internal: {
                  machineId,
                  body: {
                    kind: 'state',
                    state: 'OFFLINE',
                    reasonId: null,
                    sourceCode: SILENCE_SOURCE_CODE,
                    hasProduct: false,
                    productId: null,
                  },
                },
              },
              false,
            );
          },
        });

  async function reportStatus(): Promise<void> {
    const nowMs = now();
    const deltas: SourceStatusDelta[] = [];
    for (const [code, counters] of sources) {
      if (code === silenceSource.code) continue;
      const last = reported.get(code) ?? { messages: 0, duplicates: 0, deadLetters: 0, atMs: nowMs };
      const elapsedSec = Math.max(0.001, (nowMs - last.atMs) / 1000);
      const messages = counters.messages - last.messages;
      deltas.push({
        sourceCode: code,
        sourceKind: counters.kind,
        isConnected: counters.isConnected,
        lastMessageAtMs: counters.lastMessageAtMs,
        messages,
        messagesPerSec: reported.has(code) ? messages / elapsedSec : 0,
        duplicates: counters.duplicates - last.duplicates,
        deadLetters: counters.deadLetters - last.deadLetters,
        spoolDepth: counters.spoolDepth,
        pendingEvents: counters.pendingEvents,
        unackedMessages: counters.unackedMessages,
        lagMs: counters.lagMs,
      });
    }
    if (deltas.length === 0) return;
    try {
      await writeIngestSourceStatus(prisma, deltas);
      for (const delta of deltas) {
        const counters = sources.get(delta.sourceCode);
        if (counters)
          reported.set(delta.sourceCode, {
            messages: (reported.get(delta.sourceCode)?.messages ?? 0) + delta.messages,
            duplicates: (reported.get(delta.sourceCode)?.duplicates ?? 0) + delta.duplicates,
            deadLetters: (reported.get(delta.sourceCode)?.deadLetters ?? 0) + delta.deadLetters,
            atMs: nowMs,
          });
      }
    } catch (error) {
      logger.warn({ error: describeError(error) }, 'cannot write ingest status');
    }
  }
  let reporting: Promise<void> | null = null;
  const reportOnce = (): Promise<void> =>
    (reporting ??= reportStatus().finally(() => {
      reporting = null;
    }));
  const statusTimer = statusIntervalMs === null ? null : setInterval(() => void reportOnce(), statusIntervalMs);
  statusTimer?.unref();
  const pruneTimer =
    pruneIntervalMs === null
      ? null
      : setInterval(() => {
          pruneIngestHistory(prisma, now() - 2 * maxEventAgeMs).catch((error: unknown) =>
            logger.warn({ error: describeError(error) }, 'cannot prune ingest history'),
          );
        }, pruneIntervalMs);
  pruneTimer?.unref();

  async function flush(): Promise<void> {
    flushRequests += 1;
    try {
      scheduleWrite();
      while (pendingCount() > 0 || writing) {
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
        scheduleWrite();
      }
    } finally {
      flushRequests -= 1;
    }
  }

  function waitForRoom(extraItems = 0): Promise<void> | null {
    if (roomPromise) return roomPromise;
    if (pendingCount() + extraItems < pauseAtPendingItems || isStopped) return null;
    totals.pauses += 1;
    roomPromise = new Promise<void>((resolve) => roomWaiters.push(resolve));
    return roomPromise;
  }

  function submissionOf(count: number, resolve: (result: IngestSubmitResult) => void): Submission {
    return { results: new Array(count), remaining: count, resolve };
  }

  const NOTHING: IngestSubmitResult = { accepted: 0, duplicates: 0, rejected: 0, results: [] };

  return {
    submit(inputs, source) {
      if (inputs.length === 0) return Promise.resolve({ ...NOTHING, results: [] });
      return new Promise<IngestSubmitResult>((resolve) => {
        const submission = submissionOf(inputs.length, resolve);
        const queuedAtMs = now();
        inputs.forEach((input: IngestInput, index) => {
          enqueue(
            {
              kind: 'event',
              source,
              input: input.event,
              origin: input.origin ?? { address: source.code },
              receivedAtMs: input.origin?.receivedAtMs ?? queuedAtMs,
              queuedAtMs,
              submission,
              index,
            },
            true,
          );
        });
      });
    },
    reject(rejections, source) {
      if (rejections.length === 0) return Promise.resolve({ ...NOTHING, results: [] });
      return new Promise<IngestSubmitResult>((resolve) => {
        const submission = submissionOf(rejections.length, resolve);
        const queuedAtMs = now();
        rejections.forEach((rejection, index) => {
          enqueue(
            {
              kind: 'rejection',
              source,
              rejection,
              receivedAtMs: rejection.receivedAtMs ?? queuedAtMs,
              queuedAtMs,
              submission,
              index,
            },
            true,
          );
        });
      });
    },
    waitForRoom,
    setSourceStatus(source, status) {
      const counters = countersOf(source);
      if (status.isConnected !== undefined) counters.isConnected = status.isConnected;
      if (status.spoolDepth !== undefined) counters.spoolDepth = status.spoolDepth;
      if (status.pendingEvents !== undefined) counters.pendingEvents = status.pendingEvents;
      if (status.unackedMessages !== undefined) counters.unackedMessages = status.unackedMessages;
    },
    flush,
    reportStatus: reportOnce,
    async stop(timeoutMs = 5_000) {
      watchdog?.stop();
      if (statusTimer) clearInterval(statusTimer);
      if (pruneTimer) clearInterval(pruneTimer);
      isStopping = true;
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([flush().then(() => 'flushed' as const), timedOut]);
      clearTimeout(deadline);
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (outcome === 'timeout') {
        const unwritten = [...ready.map((each) => each.item), ...buffer];
        logger.error({ pending: pendingCount() }, 'stopped before the buffer was written; its events are lost');
        ready = [];
        buffer = [];
        for (const item of unwritten) settle(item, { status: 'rejected', reason: INGEST_STOPPED_REASON });
      } else if (statusIntervalMs !== null) await reportOnce();
      // Sources still waiting for room must not wait for ever.
      const waiters = roomWaiters;
      roomWaiters = [];
      roomPromise = null;
      for (const resolve of waiters) resolve();
    },
    stats(): IngestStats {
      return {
        sources: Object.fromEntries([...sources].map(([code, counters]) => [code, { ...counters }])),
        ...totals,
        pending: pendingCount(),
      };
    },
  };
}

function safeTs(input: unknown): number {
  const value = (input as { timestamp_ms?: unknown }).timestamp_ms;
  return typeof value === 'number' ? value : Date.now();
}
