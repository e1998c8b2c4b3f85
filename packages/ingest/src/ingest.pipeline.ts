// The one ingest pipeline every source feeds (DESIGN.md "OT ingest contracts"): buffer → validate (zod) →
// resolve machine, signal, product, reason and work order → de-duplicate → apply → write one batch per
// transaction → notify → count. Batches are cut at `maxBatchEvents` items or `maxBatchDelayMs` after the first
// buffered item, whichever comes first.
//
// Rules (apps/bridge/README.md "What the ingest does"):
// - De-duplication key: `{source}|id|{eventId}`, else `{source}|seq|{seq}`, else a SHA-256 of the event;
//   `source` is the event's `source`, else the connection's code. Keys live for twice `maxEventAgeMs`, and
//   events older than `maxEventAgeMs` are rejected as too late, so that a duplicate can never be applied twice.
// - Ordering: late events are put in their place (timeline.planner.ts, counter-delta.planner.ts).
// - Failure policy: a failed batch is retried with backoff while the buffer keeps filling (bounded: beyond
//   `maxPendingItems` new events are dropped and counted); a batch failing `maxDataErrorAttempts` times for a
//   reason other than the connection is dead-lettered, so that one poison batch cannot stop ingest.
import { createHash } from 'node:crypto';
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
  maxPendingItems?: number;
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
      submission: Submission | null;
      index: number;
      /** Set for events the pipeline makes up itself (watchdog). */
      internal?: { machineId: string; body: ResolvedBody };
    }
  | { kind: 'rejection'; source: IngestSourceInfo; rejection: IngestRejection; receivedAtMs: number };

type Outcome = { status: TIngestEventResult['status']; reason?: string };

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
  const digest = createHash('sha256').update(JSON.stringify(event)).digest('base64url');
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
  const directory = createPlantDirectory({ prisma, logger: logger.child({ name: 'ingest.directory' }), now });

  const buffer: PendingItem[] = [];
  const sources = new Map<string, IngestSourceCounters>();
  // What has been written to ingest_source_status already, per source.
  const reported = new Map<string, { messages: number; duplicates: number; deadLetters: number; atMs: number }>();
  const totals = { batches: 0, failedAttempts: 0, intervalsWritten: 0, countEvents: 0, staleReplays: 0, dropped: 0 };
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<void> | null = null;
  let flushRequests = 0;
  let isStopping = false;
  let isStopped = false;
  let lastDropLogMs = 0;

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
      };
      sources.set(source.code, counters);
    }
    return counters;
  }

  function settle(item: PendingItem, outcome: Outcome): void {
    if (item.kind !== 'event' || !item.submission) return;
    const { submission } = item;
    submission.results[item.index] = {
      index: item.index,
      status: outcome.status,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    };
    submission.remaining -= 1;
    if (submission.remaining === 0) {
      const count = (status: TIngestEventResult['status']) =>
        submission.results.filter((result) => result.status === status).length;
      submission.resolve({
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        results: submission.results,
      });
    }
  }

  function enqueue(item: PendingItem, isFromSource: boolean): void {
    if (isFromSource) {
      const counters = countersOf(item.source);
      counters.messages += 1;
      counters.lastMessageAtMs = Math.max(counters.lastMessageAtMs ?? 0, item.receivedAtMs);
    }
    if (buffer.length >= maxPendingItems || isStopped) {
      totals.dropped += 1;
      settle(item, { status: 'rejected', reason: BUFFER_FULL_REASON });
      if (now() - lastDropLogMs > 10_000) {
        lastDropLogMs = now();
        logger.error({ pending: buffer.length, dropped: totals.dropped }, 'ingest buffer full: dropping events');
      }
      return;
    }
    buffer.push(item);
    schedule();
  }

  function schedule(): void {
    if (draining) return;
    if (buffer.length >= maxBatchEvents) {
      startDrain();
    } else if (buffer.length > 0 && !timer) {
      timer = setTimeout(() => {
        timer = null;
        startDrain();
      }, maxBatchDelayMs);
    }
  }

  function startDrain(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    draining ??= drain().finally(() => {
      draining = null;
      if (!isStopping) schedule();
    });
    return draining;
  }

  async function drain(): Promise<void> {
    do {
      await writeWithRetry(buffer.slice(0, maxBatchEvents));
      // Keep going only with full batches (a partial one waits for its timer, so that batches stay large),
      // unless someone waits for everything to be written.
    } while (buffer.length >= maxBatchEvents || ((isStopping || flushRequests > 0) && buffer.length > 0));
  }

  type Prepared = {
    events: ResolvedEvent[];
    deadLetters: DeadLetterInput[];
    /** Outcomes decided before writing (rejections, stale replays), by item position. */
    outcomes: Map<number, Outcome>;
    /** Per resolved event: its item position and source. */
    itemOfTicket: Map<number, PendingItem & { kind: 'event' }>;
  };

  function deadLetterOf(item: PendingItem & { kind: 'event' }, reason: string): DeadLetterInput {
    return {
      source: item.source,
      address: item.origin.address,
      payload: item.origin.payload ?? encoder.encode(safeJson(item.input)),
      reason,
      receivedAtMs: item.receivedAtMs,
    };
  }

  /** Validates and resolves buffered items into a batch; rejected events become dead letters. */
  async function prepare(items: PendingItem[]): Promise<Prepared> {
    const prepared: Prepared = { events: [], deadLetters: [], outcomes: new Map(), itemOfTicket: new Map() };
    // Dead letters in arrival order, whichever step found them.
    const deadLetterPositions = new Map<DeadLetterInput, number>();
    const addDeadLetter = (position: number, deadLetter: DeadLetterInput) => {
      deadLetterPositions.set(deadLetter, position);
      prepared.deadLetters.push(deadLetter);
    };
    const parsed = new Map<number, TIngestEvent>();
    const names = {
      machinePaths: new Set<string>(),
      machineIds: new Set<string>(),
      productCodes: new Set<string>(),
      reasonCodes: new Set<string>(),
      workOrderNumbers: new Set<string>(),
      mappingKeys: new Set<string>(),
    };
    items.forEach((item, position) => {
      if (item.kind === 'rejection') {
        addDeadLetter(position, {
          source: item.source,
          address: item.rejection.address,
          payload: item.rejection.payload,
          reason: item.rejection.reason,
          receivedAtMs: item.receivedAtMs,
        });
        return;
      }
      if (item.internal) return;
      const result = ZIngestEvent.safeParse(item.input);
      if (!result.success) {
        const reason = `schema violation: ${describeIssues(result.error)}`;
        prepared.outcomes.set(position, { status: 'rejected', reason });
        addDeadLetter(position, deadLetterOf(item, reason));
        return;
      }
      const event = result.data;
      parsed.set(position, event);
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

    let ticket = 0;
    for (const [position, item] of items.entries()) {
      if (item.kind !== 'event' || prepared.outcomes.has(position)) continue;
      if (item.internal) {
        const event: ResolvedEvent = {
          ticket: ticket++,
          machineId: item.internal.machineId,
          tsMs: safeTs(item.input),
          seq: null,
          dedupKey: `${item.source.code}|h|${createHash('sha256').update(safeJson(item.input)).digest('base64url')}`,
          sourceCode: item.source.code,
          body: item.internal.body,
        };
        prepared.events.push(event);
        prepared.itemOfTicket.set(event.ticket, item);
        continue;
      }
      let event = parsed.get(position);
      if (!event) continue;
      const reject = (reason: string) => {
        prepared.outcomes.set(position, { status: 'rejected', reason });
        addDeadLetter(position, deadLetterOf(item, reason));
      };
      if (event.type === 'signal') {
        const translated = fromSignal(event, item.source, lookup);
        if (!translated.ok) {
          reject(translated.reason);
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
        reject(`timestamp ${Math.round(aheadMs / 1000)} s in the future (clock of the sender wrong?)`);
        continue;
      }
      if (item.receivedAtMs - event.tsMs > maxEventAgeMs) {
        if (item.origin.isReplay) {
          // An old retained message: old news, not an error.
          totals.staleReplays += 1;
          prepared.outcomes.set(position, { status: 'duplicate', reason: 'stale replay' });
        } else {
          reject(`too late: older than the reorder window of ${Math.round(maxEventAgeMs / 60_000)} min`);
        }
        continue;
      }
      const resolved = resolveEvent(event, lookup);
      if (!resolved.ok) {
        reject(resolved.reason);
        continue;
      }
      for (const warning of resolved.warnings) addDeadLetter(position, deadLetterOf(item, warning));
      const resolvedEvent: ResolvedEvent = {
        ticket: ticket++,
        machineId: resolved.machineId,
        tsMs: event.tsMs,
        seq: event.seq ?? null,
        dedupKey: dedupKeyOf(event, item.source.code),
        sourceCode: item.source.code,
        body: resolved.body,
      };
      prepared.events.push(resolvedEvent);
      prepared.itemOfTicket.set(resolvedEvent.ticket, item);
      watchdog?.noteEvent({
        machineId: resolved.machineId,
        receivedAtMs: item.receivedAtMs,
        tsMs: event.tsMs,
        state: resolved.body.kind === 'state' ? resolved.body.state : null,
        address: item.origin.address,
      });
    }
    prepared.deadLetters.sort((a, b) => (deadLetterPositions.get(a) ?? 0) - (deadLetterPositions.get(b) ?? 0));
    return prepared;
  }

  function recordDeadLetters(deadLetters: readonly DeadLetterInput[]): void {
    for (const { source } of deadLetters) countersOf(source).deadLetters += 1;
  }

  async function writeWithRetry(items: PendingItem[]): Promise<void> {
    if (items.length === 0) return;
    let transientFailures = 0;
    for (let attempt = 1; ; attempt += 1) {
      if (isStopped) {
        logger.error({ items: items.length }, 'stopped with an unwritten batch; its events are lost');
        finish(items, () => ({ status: 'rejected', reason: 'ingest stopped' }));
        return;
      }
      try {
        const prepared = await prepare(items);
        const result = await writeIngestBatch(
          prisma,
          { events: prepared.events, deadLetters: prepared.deadLetters },
          now,
        );
        recordDeadLetters(prepared.deadLetters);
        // The batch is committed; a rollup that fails to refresh is recomputed by the next batch touching
        // that machine-hour (or explain shows it stale), so it must not fail or retry the batch.
        await refreshRollupsAfterBatch(prisma, prepared.events, result.committedAtMs).catch((error: unknown) =>
          logger.warn({ err: error }, 'KPI rollups not refreshed after a batch'),
        );
        totals.batches += 1;
        totals.intervalsWritten += result.intervalsWritten;
        totals.countEvents += prepared.events.filter((e) => e.body.kind === 'count').length;
        const newestTsBySource = new Map<string, number>();
        for (const event of prepared.events) {
          const item = prepared.itemOfTicket.get(event.ticket);
          if (!item) continue;
          if (result.duplicateTickets.has(event.ticket)) countersOf(item.source).duplicates += 1;
          if (!item.internal)
            newestTsBySource.set(item.source.code, Math.max(newestTsBySource.get(item.source.code) ?? 0, event.tsMs));
        }
        for (const [code, tsMs] of newestTsBySource) {
          const counters = sources.get(code);
          if (counters) counters.lagMs = Math.max(0, result.committedAtMs - tsMs);
        }
        const outcomeByItem = new Map<PendingItem, Outcome>();
        for (const event of prepared.events) {
          const item = prepared.itemOfTicket.get(event.ticket);
          if (item)
            outcomeByItem.set(item, { status: result.duplicateTickets.has(event.ticket) ? 'duplicate' : 'accepted' });
        }
        items.forEach((item, position) => {
          const outcome = prepared.outcomes.get(position) ?? outcomeByItem.get(item);
          if (outcome?.status === 'duplicate' && item.kind === 'event' && !outcomeByItem.has(item))
            countersOf(item.source).duplicates += 1;
        });
        finish(
          items,
          (item, position) => prepared.outcomes.get(position) ?? outcomeByItem.get(item) ?? { status: 'accepted' },
        );
        logger.debug({ items: items.length, intervalsWritten: result.intervalsWritten }, 'batch written');
        return;
      } catch (error) {
        totals.failedAttempts += 1;
        const detail = describeError(error);
        const isTransient = TRANSIENT_ERROR.test(detail);
        if (isTransient) transientFailures += 1;
        if (isTransient && transientFailures >= maxTransientAttempts) {
          logger.error({ items: items.length, error: detail }, 'database unavailable: batch given up');
          finish(items, () => ({ status: 'rejected', reason: DATABASE_UNAVAILABLE_REASON }));
          return;
        }
        if (!isTransient && attempt >= maxDataErrorAttempts) {
          await giveUp(items, detail);
          return;
        }
        const delayMs = Math.min(retryMaxDelayMs, retryInitialDelayMs * 2 ** (attempt - 1));
        logger.warn(
          { attempt, delayMs, items: items.length, isTransient, error: detail },
          'batch write failed: retrying',
        );
        await sleep(delayMs);
      }
    }
  }

  /** Removes `items` (the head of the buffer) and settles their submitters. */
  function finish(items: PendingItem[], outcomeOf: (item: PendingItem, position: number) => Outcome): void {
    buffer.splice(0, items.length);
    items.forEach((item, position) => settle(item, outcomeOf(item, position)));
  }

  async function giveUp(items: PendingItem[], detail: string): Promise<void> {
    const reason = `write failed: ${detail}`;
    const deadLetters = items.map((item): DeadLetterInput =>
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
      logger.error({ items: items.length, error: detail }, 'batch cannot be written: dead-lettered');
    } catch (error) {
      logger.error(
        { items: items.length, error: detail, deadLetterError: describeError(error) },
        'batch cannot be written nor dead-lettered: dropped',
      );
    }
    finish(items, () => ({ status: 'rejected', reason }));
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
      while (buffer.length > 0 || draining) await (draining ?? startDrain());
    } finally {
      flushRequests -= 1;
    }
  }

  return {
    submit(inputs, source) {
      if (inputs.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, rejected: 0, results: [] });
      return new Promise<IngestSubmitResult>((resolve) => {
        const submission: Submission = { results: new Array(inputs.length), remaining: inputs.length, resolve };
        const receivedAtMs = now();
        inputs.forEach((input: IngestInput, index) => {
          enqueue(
            {
              kind: 'event',
              source,
              input: input.event,
              origin: input.origin ?? { address: source.code },
              receivedAtMs: input.origin?.receivedAtMs ?? receivedAtMs,
              submission,
              index,
            },
            true,
          );
        });
      });
    },
    reject(rejections, source) {
      for (const rejection of rejections) {
        enqueue({ kind: 'rejection', source, rejection, receivedAtMs: rejection.receivedAtMs ?? now() }, true);
      }
    },
    setSourceStatus(source, status) {
      const counters = countersOf(source);
      if (status.isConnected !== undefined) counters.isConnected = status.isConnected;
      if (status.spoolDepth !== undefined) counters.spoolDepth = status.spoolDepth;
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
      if (outcome === 'timeout')
        logger.error({ pending: buffer.length }, 'stopped before the buffer was written; its events are lost');
      else if (statusIntervalMs !== null) await reportOnce();
    },
    stats(): IngestStats {
      return {
        sources: Object.fromEntries([...sources].map(([code, counters]) => [code, { ...counters }])),
        ...totals,
        pending: buffer.length,
      };
    },
  };
}

function safeTs(input: unknown): number {
  const value = (input as { timestamp_ms?: unknown }).timestamp_ms;
  return typeof value === 'number' ? value : Date.now();
}
