// The one ingest pipeline every Source feeds (DESIGN.md "OT ingest contracts"): buffer → resolve machines,
// products and reasons → check → write one batch per transaction → count. Batches are cut at
// `maxBatchEvents` items or `maxBatchDelayMs` after the first buffered item, whichever comes first.
//
// Failure policy of this first version: a failed batch is retried with backoff and the buffer keeps
// filling (bounded; beyond `maxPendingItems` new messages are dropped and counted). A batch that keeps
// failing for a reason other than the connection (a bug, a constraint) is dead-lettered after
// `maxDataErrorAttempts`, so that one poison batch cannot stop ingest. The later bridge issue adds the
// on-disk spool (DESIGN.md) and de-duplication.
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import type { IngestEvent, IngestSink, Rejection, StateEvent } from './ingest-event.ts';
import {
  writeDeadLetters,
  writeIngestBatch,
  type DeadLetterInput,
  type IngestBatch,
  type ResolvedCountEvent,
  type ResolvedStateEvent,
} from './ingest-batch.writer.ts';
import { createLivenessWatchdog, type LivenessWatchdog } from './machine-liveness.watchdog.ts';
import type { PlantDirectory } from './plant-directory.cache.ts';

export type IngestPipelineOptions = {
  prisma: PrismaClient;
  directory: PlantDirectory;
  logger: Logger;
  maxBatchEvents?: number;
  maxBatchDelayMs?: number;
  /** Events stamped further ahead of their arrival than this are dead-lettered (a wrong machine clock). */
  futureToleranceMs?: number;
  maxPendingItems?: number;
  /** null disables the OFFLINE watchdog. */
  offlineAfterMs?: number | null;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  maxDataErrorAttempts?: number;
  now?: () => number;
};

export type SourceCounters = { messages: number; deadLetters: number; lastMessageAtMs: number | null };

export type IngestStats = {
  sources: Record<string, SourceCounters>;
  batches: number;
  failedAttempts: number;
  intervalsInserted: number;
  countEvents: number;
  duplicateStates: number;
  staleReplays: number;
  pending: number;
  dropped: number;
};

export type IngestPipeline = IngestSink & {
  /** Resolves when everything buffered so far is written (or given up on). */
  flush(): Promise<void>;
  /** Stops the watchdog and flushes, waiting at most `timeoutMs` (the database may be gone). */
  stop(timeoutMs?: number): Promise<void>;
  stats(): IngestStats;
};

type PendingItem = { kind: 'event'; event: IngestEvent } | { kind: 'rejection'; rejection: Rejection };

// Error codes that mean "the database is unreachable or restarting", worth retrying for ever: node/pg
// socket errors, PostgreSQL classes 08 (connection) and 57P (operator intervention), Prisma P1001/P1017.
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

// Unref'd: a retry pending at shutdown must not keep the process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const {
    prisma,
    directory,
    logger,
    maxBatchEvents = 1_000,
    maxBatchDelayMs = 250,
    futureToleranceMs = 5 * 60_000,
    maxPendingItems = 100_000,
    offlineAfterMs = null,
    retryInitialDelayMs = 250,
    retryMaxDelayMs = 10_000,
    maxDataErrorAttempts = 3,
    now = Date.now,
  } = options;

  const buffer: PendingItem[] = [];
  const sources = new Map<string, SourceCounters>();
  const totals = {
    batches: 0,
    failedAttempts: 0,
    intervalsInserted: 0,
    countEvents: 0,
    duplicateStates: 0,
    staleReplays: 0,
    dropped: 0,
  };
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<void> | null = null;
  let flushRequests = 0;
  let isStopping = false;
  let isStopped = false;
  let lastDropLogMs = 0;

  function countersOf(sourceCode: string): SourceCounters {
    let counters = sources.get(sourceCode);
    if (!counters) {
      counters = { messages: 0, deadLetters: 0, lastMessageAtMs: null };
      sources.set(sourceCode, counters);
    }
    return counters;
  }

  function enqueue(item: PendingItem, isFromSource: boolean): void {
    const origin = item.kind === 'event' ? item.event.origin : item.rejection.origin;
    if (isFromSource) {
      const counters = countersOf(origin.sourceCode);
      counters.messages += 1;
      counters.lastMessageAtMs = origin.receivedAtMs;
    }
    if (buffer.length >= maxPendingItems) {
      totals.dropped += 1;
      if (now() - lastDropLogMs > 10_000) {
        lastDropLogMs = now();
        logger.error({ pending: buffer.length, dropped: totals.dropped }, 'ingest buffer full: dropping messages');
      }
      return;
    }
    buffer.push(item);
    schedule();
  }

  function schedule(): void {
    if (draining) return;
    if (buffer.length >= maxBatchEvents) {
      if (timer) clearTimeout(timer);
      timer = null;
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
      // Keep going only with full batches (a partial one waits for its timer, so that batches stay
      // large), unless someone waits for everything to be written.
    } while (buffer.length >= maxBatchEvents || ((isStopping || flushRequests > 0) && buffer.length > 0));
  }

  /** Turns buffered items into a batch: names resolved to ids, unknown names and bad timestamps dead-lettered. */
  async function prepare(items: PendingItem[]): Promise<IngestBatch> {
    const events = items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
    const states = events.filter((event): event is StateEvent => event.signal === 'state');
    const lookup = await directory.lookup({
      machinePaths: events.map((event) => event.machinePath),
      productCodes: states.flatMap((event) => (event.productCode === null ? [] : [event.productCode])),
      reasonCodes: states.flatMap((event) => (event.reasonCode === null ? [] : [event.reasonCode])),
    });
    const batch: IngestBatch = { states: [], counts: [], deadLetters: [] };
    for (const item of items) {
      if (item.kind === 'rejection') {
        batch.deadLetters.push(item.rejection);
        continue;
      }
      const { event } = item;
      const machineId = lookup.machineIdByPath.get(event.machinePath);
      if (machineId === undefined) {
        // Retained messages too: they are how an admin discovers machines the UNS has and Takt lacks.
        batch.deadLetters.push({
          origin: event.origin,
          reason: `unknown machine: no machine has the path "${event.machinePath}"`,
        });
        continue;
      }
      const aheadMs = event.tsMs - event.origin.receivedAtMs;
      if (aheadMs > futureToleranceMs) {
        batch.deadLetters.push({
          origin: event.origin,
          reason: `timestamp ${Math.round(aheadMs / 1000)} s in the future (clock of the sender wrong?)`,
        });
        continue;
      }
      watchdog?.noteEvent(event);
      if (event.signal === 'count') {
        // A zero count is a heartbeat only: nothing to add.
        if (event.goodCount + event.rejectCount > 0) {
          const count: ResolvedCountEvent = {
            machineId,
            tsMs: event.tsMs,
            goodCount: event.goodCount,
            rejectCount: event.rejectCount,
          };
          batch.counts.push(count);
        }
        continue;
      }
      const resolved: ResolvedStateEvent = { machineId, reasonId: null, productId: undefined, event };
      if (event.reasonCode !== null) {
        resolved.reasonId = lookup.reasonIdByCode.get(event.reasonCode) ?? null;
        if (resolved.reasonId === null) {
          batch.deadLetters.push({
            origin: event.origin,
            reason: `state applied without its reason: unknown reason code "${event.reasonCode}"`,
          });
        }
      }
      if (event.productCode !== null) {
        resolved.productId = lookup.productIdByCode.get(event.productCode) ?? null;
        if (resolved.productId === null) {
          batch.deadLetters.push({
            origin: event.origin,
            reason: `state applied without its product: unknown product code "${event.productCode}"`,
          });
        }
      }
      batch.states.push(resolved);
    }
    return batch;
  }

  function recordDeadLetters(deadLetters: DeadLetterInput[]): void {
    for (const { origin } of deadLetters) countersOf(origin.sourceCode).deadLetters += 1;
  }

  async function writeWithRetry(items: PendingItem[]): Promise<void> {
    if (items.length === 0) return;
    for (let attempt = 1; ; attempt += 1) {
      if (isStopped) {
        logger.error({ items: items.length }, 'stopped with an unwritten batch; its messages are lost');
        buffer.splice(0, items.length);
        return;
      }
      try {
        const result = await writeIngestBatch(prisma, await prepare(items));
        buffer.splice(0, items.length);
        recordDeadLetters(result.deadLetters);
        totals.batches += 1;
        totals.intervalsInserted += result.intervalsInserted;
        totals.countEvents += result.countEvents;
        totals.duplicateStates += result.duplicateStates;
        totals.staleReplays += result.staleReplays;
        logger.debug({ items: items.length, ...result, deadLetters: result.deadLetters.length }, 'batch written');
        return;
      } catch (error) {
        totals.failedAttempts += 1;
        const detail = describeError(error);
        const isTransient = TRANSIENT_ERROR.test(detail);
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

  async function giveUp(items: PendingItem[], detail: string): Promise<void> {
    const deadLetters = items.map((item) =>
      item.kind === 'rejection' ? item.rejection : { origin: item.event.origin, reason: `write failed: ${detail}` },
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
    buffer.splice(0, items.length);
  }

  const watchdog: LivenessWatchdog | null =
    offlineAfterMs === null
      ? null
      : createLivenessWatchdog({
          offlineAfterMs,
          logger,
          now,
          submit: (event) => enqueue({ kind: 'event', event }, false),
        });

  async function flush(): Promise<void> {
    flushRequests += 1;
    try {
      while (buffer.length > 0 || draining) await (draining ?? startDrain());
    } finally {
      flushRequests -= 1;
    }
  }

  return {
    submit(event) {
      enqueue({ kind: 'event', event }, true);
    },
    reject(rejection) {
      enqueue({ kind: 'rejection', rejection }, true);
    },
    flush,
    async stop(timeoutMs = 5_000) {
      watchdog?.stop();
      isStopping = true;
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([flush().then(() => 'flushed' as const), timedOut]);
      clearTimeout(deadline);
      isStopped = true;
      if (outcome === 'timeout')
        logger.error({ pending: buffer.length }, 'stopped before the buffer was written; its messages are lost');
    },
    stats() {
      return {
        sources: Object.fromEntries([...sources].map(([code, counters]) => [code, { ...counters }])),
        ...totals,
        pending: buffer.length,
      };
    },
  };
}
