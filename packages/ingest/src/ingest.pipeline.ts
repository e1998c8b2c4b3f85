// The one ingest pipeline every source feeds (packages/ingest/README.md): queue → validate and resolve
// (event-preparation.ts) → write one batch per transaction (ingest-batch.writer.ts) → notify → count. This file
// composes the parts and owns the submitters' answers:
// - batch-queue.ts cuts batches (size, delay), bounds what is pending and applies back-pressure (waitForRoom);
// - write-retry.ts retries a failed batch by the failure's codes, and splits a batch PostgreSQL refuses until the
//   refused event is alone, so that one bad event never takes another with it;
// - source-status.reporter.ts counts per source and writes ingest_source_status;
// - machine-liveness.watchdog.ts puts silent machines OFFLINE (machine-liveness.queries.ts asks the database);
// - ingest-history.pruner.ts forgets keys and timeline events beyond the reorder window;
// - `afterBatchCommit` (e.g. the KPI rollup refresh of @takt/kpi-sql) runs after each commit.
//
// Rules (packages/ingest/README.md, apps/bridge/README.md "What the ingest does"): de-duplication keys live for
// twice `maxEventAgeMs`, and events older than `maxEventAgeMs` are rejected as too late, so that a duplicate can
// never be applied twice; late events are put in their place (timeline.planner.ts, counter-delta.planner.ts).
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import { createBatchQueue, type BatchQueue } from './batch-queue.ts';
import { writeDeadLetters } from './dead-letter.writer.ts';
import { prepareItems, STALE_REPLAY_REASON } from './event-preparation.ts';
import { writeIngestBatch } from './ingest-batch.writer.ts';
import type {
  IngestBatchCommit,
  IngestPipeline,
  IngestSourceInfo,
  IngestStats,
  IngestSubmitResult,
} from './ingest-event.ts';
import { pruneIngestHistory } from './ingest-history.pruner.ts';
import {
  deadLetterOfEvent,
  deadLetterOfRejection,
  offlineItemOf,
  settle,
  submissionOf,
  type Outcome,
  type PendingItem,
  type PreparedItem,
} from './ingest-item.ts';
import { loadUnheardCandidates } from './machine-liveness.queries.ts';
import { createLivenessWatchdog, type LivenessWatchdog } from './machine-liveness.watchdog.ts';
import { createPlantDirectory } from './plant-directory.cache.ts';
import type { DeadLetterInput, ResolvedEvent } from './resolved-event.ts';
import { createSourceStatusReporter } from './source-status.reporter.ts';
import { classifyWriteFailureProbing, describeErrorForLog, writeWithRetry, type GiveUp } from './write-retry.ts';

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
  /**
   * Attempts of a batch failing with a conflict (40001, 40P01) or an error without any code before it is split
   * like a refused batch (data errors split at once). Default 3.
   */
  maxDataErrorAttempts?: number;
  /** Give up on a batch after this many connection failures (HTTP ingest answers 503); default: never. */
  maxTransientAttempts?: number;
  /**
   * Runs after each committed batch, before its submitters are answered: e.g. the KPI rollup refresh of the hours
   * the batch touched (`refreshRollupsMany` of @takt/kpi-sql). Its failure is logged; the batch stays committed.
   */
  afterBatchCommit?: (commit: IngestBatchCommit) => Promise<unknown>;
  now?: () => number;
};

/** Result reason of events given up because PostgreSQL stayed unreachable (maxTransientAttempts): not stored. */
export const DATABASE_UNAVAILABLE_REASON = 'database unavailable';
/** Result reason of events refused because `maxPendingItems` are waiting already (or the pipeline stopped): not stored. */
export const BUFFER_FULL_REASON = 'ingest buffer full';
/** Result reason of events still unwritten when stop() gave up waiting: not stored. */
export const INGEST_STOPPED_REASON = 'ingest stopped';

// Items validated and resolved in one go while a batch is being written: small enough not to hold up the
// event loop (MQTT reads, timers), large enough that the per-chunk directory lookup does not matter.
const PREPARE_CHUNK_ITEMS = 1_000;
// How long the database may take to answer the probe after a write failed without any error code.
const PROBE_TIMEOUT_MS = 5_000;
// The OFFLINE events the watchdog makes up come from here (counted, never reported as a source).
const WATCHDOG_SOURCE: IngestSourceInfo = { code: 'bridge:watchdog', kind: 'MQTT_JSON', dataSourceId: null };
// Instants PostgreSQL's timestamptz and JavaScript's Date can both hold (4714 BC … 275760 AD).
const MIN_INSTANT_MS = -210_866_803_200_000;
const MAX_INSTANT_MS = 8_640_000_000_000_000;

/** A source's receipt time of a message, or `queuedAtMs` when it gave none or none that can be stored. */
function receiptOf(receivedAtMs: number | undefined, queuedAtMs: number): number {
  return receivedAtMs !== undefined && receivedAtMs >= MIN_INSTANT_MS && receivedAtMs <= MAX_INSTANT_MS
    ? receivedAtMs
    : queuedAtMs;
}

/** Per machine, the range a committed batch's events touched: from the earliest event to the commit. */
function touchedBy(events: readonly ResolvedEvent[], committedAtMs: number): IngestBatchCommit['touched'] {
  const earliestByMachine = new Map<string, number>();
  for (const { machineId, tsMs } of events) {
    earliestByMachine.set(machineId, Math.min(earliestByMachine.get(machineId) ?? tsMs, tsMs));
  }
  return [...earliestByMachine].map(([machineId, fromMs]) => ({ machineId, fromMs, toMs: committedAtMs }));
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
    afterBatchCommit,
    now = Date.now,
  } = options;
  const pauseAtPendingItems = Math.min(options.pauseAtPendingItems ?? Math.ceil(maxPendingItems / 2), maxPendingItems);
  const resumeAtPendingItems = Math.min(
    options.resumeAtPendingItems ?? Math.floor(pauseAtPendingItems / 2),
    pauseAtPendingItems - 1,
  );
  const directory = createPlantDirectory({ prisma, logger: logger.child({ name: 'ingest.directory' }), now });
  const status = createSourceStatusReporter({
    prisma,
    logger,
    statusIntervalMs,
    unreportedSourceCodes: new Set([WATCHDOG_SOURCE.code]),
    now,
  });
  const totals = { batches: 0, failedAttempts: 0, intervalsWritten: 0, countEvents: 0, staleReplays: 0, dropped: 0 };
  let lastDropLogMs = 0;

  /** Whether PostgreSQL answers a `SELECT 1` within PROBE_TIMEOUT_MS. */
  async function isDatabaseReachable(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS).unref();
    });
    const probe = prisma.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    const isReachable = await Promise.race([probe, timedOut]);
    clearTimeout(timer);
    return isReachable;
  }

  const recordDeadLetters = (deadLetters: readonly DeadLetterInput[]): void => {
    for (const { source } of deadLetters) status.noteDeadLetter(source);
  };

  /** Validates and resolves items; feeds the watchdog with the events of known machines. */
  async function prepare(items: readonly PendingItem[]): Promise<PreparedItem[]> {
    const prepared = await prepareItems(items, { directory, window: { futureToleranceMs, maxEventAgeMs } });
    for (const { item, event, outcome } of prepared) {
      if (outcome?.reason === STALE_REPLAY_REASON) totals.staleReplays += 1;
      if (!event || item.kind !== 'event' || item.internal) continue;
      watchdog?.noteEvent({
        machineId: event.machineId,
        receivedAtMs: item.receivedAtMs,
        tsMs: event.tsMs,
        state: event.body.kind === 'state' ? event.body.state : null,
        address: item.origin.address,
      });
    }
    return prepared;
  }

  async function prepareForQueue(chunk: PendingItem[]): Promise<PreparedItem[]> {
    try {
      return await prepare(chunk);
    } catch (error) {
      // The directory could not be loaded (database away): keep the items unprepared; the writer prepares them.
      logger.warn({ error: describeErrorForLog(error) }, 'cannot prepare events yet');
      return chunk.map((item) => ({ item, event: null, outcome: null, deadLetters: null, isUnprepared: true }));
    }
  }

  async function runAfterBatchCommit(events: readonly ResolvedEvent[], committedAtMs: number): Promise<void> {
    if (!afterBatchCommit || events.length === 0) return;
    try {
      await afterBatchCommit({ touched: touchedBy(events, committedAtMs), committedAtMs });
    } catch (error) {
      // The batch is committed: a failed hook must not fail or retry it.
      logger.warn({ err: error }, 'afterBatchCommit failed after a committed batch');
    }
  }

  /** Writes one batch in one transaction (throws when it fails), then answers its submitters. */
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
    await runAfterBatchCommit(events, result.committedAtMs);
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
    for (const [code, tsMs] of newestTsBySource) status.noteLag(code, Math.max(0, result.committedAtMs - tsMs));
    batch.forEach(({ item }, position) => {
      const outcome = outcomes[position] ?? { status: 'accepted' };
      if (outcome.status === 'duplicate' && item.kind === 'event') status.noteDuplicate(item.source);
      settle(item, outcome);
    });
    logger.debug({ items: batch.length, intervalsWritten: result.intervalsWritten }, 'batch written');
  }

  /** Answers items that will not be written; refused ones are dead-lettered first. */
  async function giveUp(batch: readonly PreparedItem[], why: GiveUp): Promise<void> {
    let reason = why.kind === 'unavailable' ? DATABASE_UNAVAILABLE_REASON : INGEST_STOPPED_REASON;
    if (why.kind === 'refused') {
      reason = why.reason;
      const deadLetters = batch.map(({ item }) =>
        item.kind === 'rejection' ? deadLetterOfRejection(item) : deadLetterOfEvent(item, why.reason),
      );
      try {
        await writeDeadLetters(prisma, deadLetters);
        recordDeadLetters(deadLetters);
      } catch (error) {
        // Not stored: with the database away, hand the items back (the bridge spools them); else they are lost.
        const isConnection = (await classifyWriteFailureProbing(error, isDatabaseReachable)).kind === 'connection';
        if (isConnection) reason = DATABASE_UNAVAILABLE_REASON;
        logger.error(
          { items: batch.length, error: describeErrorForLog(error) },
          isConnection
            ? 'refused items cannot be dead-lettered now: handed back'
            : 'refused items cannot be dead-lettered: dropped',
        );
      }
    }
    for (const { item } of batch) settle(item, { status: 'rejected', reason });
  }

  const queue: BatchQueue<PendingItem> = createBatchQueue<PendingItem, PreparedItem>({
    maxBatchItems: maxBatchEvents,
    maxBatchDelayMs,
    maxPendingItems,
    pauseAtPendingItems,
    resumeAtPendingItems,
    prepareChunkItems: PREPARE_CHUNK_ITEMS,
    prepare: prepareForQueue,
    write: (batch) =>
      writeWithRetry({
        items: batch,
        // A retry prepares again: the directory may have changed (e.g. what made the last attempt fail).
        write: async (items, isRetry) =>
          writeBatch(
            isRetry || items.some((each) => each.isUnprepared) ? await prepare(items.map((each) => each.item)) : items,
          ),
        giveUp,
        isStopped: () => queue.isStopped(),
        isDatabaseReachable,
        maxTransientAttempts,
        maxDataErrorAttempts,
        retryInitialDelayMs,
        retryMaxDelayMs,
        logger,
        onFailedAttempt: () => {
          totals.failedAttempts += 1;
        },
      }),
    itemOf: (prepared) => prepared.item,
    queuedAtMsOf: (item) => item.queuedAtMs,
    now,
  });

  function enqueue(item: PendingItem, isFromSource: boolean): void {
    if (isFromSource) status.noteMessage(item.source, item.receivedAtMs);
    if (queue.push(item)) return;
    totals.dropped += 1;
    settle(item, { status: 'rejected', reason: BUFFER_FULL_REASON });
    if (now() - lastDropLogMs > 10_000) {
      lastDropLogMs = now();
      logger.error({ pending: queue.pending(), dropped: totals.dropped }, 'ingest buffer full: dropping events');
    }
  }

  const watchdog: LivenessWatchdog | null =
    offlineAfterMs === null
      ? null
      : createLivenessWatchdog({
          offlineAfterMs,
          logger: logger.child({ name: 'ingest.watchdog' }),
          now,
          ...(isWatchingUnheardMachines ? { loadUnheardCandidates: () => loadUnheardCandidates(prisma) } : {}),
          submit: (silence) => enqueue(offlineItemOf(silence, WATCHDOG_SOURCE, now()), false),
        });

  const pruneTimer =
    pruneIntervalMs === null
      ? null
      : setInterval(() => {
          pruneIngestHistory(prisma, now() - 2 * maxEventAgeMs).catch((error: unknown) =>
            logger.warn({ error: describeErrorForLog(error) }, 'cannot prune ingest history'),
          );
        }, pruneIntervalMs);
  pruneTimer?.unref();

  return {
    submit(inputs, source) {
      if (inputs.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, rejected: 0, results: [] });
      return new Promise<IngestSubmitResult>((resolve) => {
        const submission = submissionOf(inputs.length, resolve);
        const queuedAtMs = now();
        inputs.forEach((input, index) => {
          const origin = input.origin ?? { address: source.code };
          const receivedAtMs = receiptOf(origin.receivedAtMs, queuedAtMs);
          enqueue(
            { kind: 'event', source, input: input.event, origin, receivedAtMs, queuedAtMs, submission, index },
            true,
          );
        });
      });
    },
    reject(rejections, source) {
      if (rejections.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, rejected: 0, results: [] });
      return new Promise<IngestSubmitResult>((resolve) => {
        const submission = submissionOf(rejections.length, resolve);
        const queuedAtMs = now();
        rejections.forEach((rejection, index) => {
          const receivedAtMs = receiptOf(rejection.receivedAtMs, queuedAtMs);
          enqueue({ kind: 'rejection', source, rejection, receivedAtMs, queuedAtMs, submission, index }, true);
        });
      });
    },
    waitForRoom: (extraItems) => queue.waitForRoom(extraItems),
    setSourceStatus: (source, sourceStatus) => status.setStatus(source, sourceStatus),
    noteAlive(machinePaths) {
      if (!watchdog || machinePaths.length === 0) return;
      const receivedAtMs = now();
      directory.lookup({ machinePaths }).then(
        (lookup) => {
          for (const machinePath of machinePaths) {
            const machineId = lookup.machineIdByPath.get(machinePath);
            if (machineId) watchdog.noteAlive(machineId, receivedAtMs);
          }
        },
        (error: unknown) =>
          logger.debug({ error: describeErrorForLog(error) }, 'cannot resolve the machines kept alive'),
      );
    },
    flush: () => queue.flush(),
    reportStatus: () => status.report(),
    async stop(timeoutMs = 5_000) {
      watchdog?.stop();
      status.stop();
      if (pruneTimer) clearInterval(pruneTimer);
      const { isFlushed, unwritten } = await queue.stop(timeoutMs);
      if (unwritten.length > 0) {
        logger.error({ pending: unwritten.length }, 'stopped before the buffer was written; its events are lost');
        for (const item of unwritten) settle(item, { status: 'rejected', reason: INGEST_STOPPED_REASON });
      }
      if (isFlushed && statusIntervalMs !== null) await status.report();
    },
    stats(): IngestStats {
      return { sources: status.snapshot(), ...totals, pending: queue.pending(), ...queue.stats() };
    },
  };
}
