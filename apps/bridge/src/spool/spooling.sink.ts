// Store and forward between the sources and the ingest pipeline (apps/bridge/README.md: "When PostgreSQL is unreachable
// the bridge keeps events in a bounded on-disk spool and replays them").
//
// Direct mode: events go straight to the pipeline. The pipeline (created with `maxTransientAttempts`) answers
// events it could not write because PostgreSQL is unreachable with `rejected: database unavailable`; those
// are appended to the spool and the sink switches to spooling mode, where every new event goes to the spool
// too (so that nothing overtakes what is waiting). A replay loop feeds the spool to the pipeline oldest first,
// one batch at a time, and commits a batch only after the pipeline has committed it; a batch still failing is
// retried after a backoff. Once the spool is empty the sink returns to direct mode. A non-empty spool found at
// start (the bridge stopped during an outage) is replayed the same way.
//
// At least once: submit() and reject() answer an item only once it is stored, here once it is written and fsynced
// to the spool (results `accepted`, reason `spooled`), so that a source may acknowledge it to its peer. Appends
// are grouped: what arrives within `appendIntervalMs` is written with one fsync.
// Order: the spool is replayed exactly in the order it was written. Around the switch, events already in
// flight when the database went away may land in the spool after a few newer ones; the pipeline puts late
// events in their place (its reorder window), so the stored result is the same.
// Full spool: new records are refused (policy "reject new": what is stored is never thrown away) and answered
// `rejected: spool full`, and sources are held off (waitForRoom) until a replayed batch makes room. An MQTT
// source on a persistent session (UNS) leaves refused messages unacknowledged, so the broker delivers them again; a
// source that cannot be asked again (OPC UA, the clean session of a Sparkplug B host) loses them: once the database
// is back one dead letter says how many were refused and between which times.
// Dead letters (messages a source could not decode) take the same way: the pipeline answers those it could not
// store `database unavailable` too, and they are spooled and replayed in order with the events.
// Back-pressure: in direct mode the sources are held off by the pipeline's waitForRoom(); while spooling, the
// disk (bounded, see above) takes everything and the sources are not held off until it is full.
import type { TIngestEvent } from '@takt/contracts';
import type { Logger } from 'pino';
import {
  SPOOL_FULL_REASON,
  type ConnectorAnswer,
  type ConnectorEventOrigin,
  type ConnectorSink,
  type ConnectorSourceInfo,
} from '../sources/source.ts';
import { openEventSpool, type EventSpool } from './event-spool.store.ts';

/** The reason @takt/ingest gives events it gave up on because PostgreSQL stayed unreachable. */
export const DATABASE_UNAVAILABLE_REASON = 'database unavailable';

/** One event as stored in the spool (binary payloads as base64). */
export type SpooledEvent = {
  source: ConnectorSourceInfo;
  event: TIngestEvent;
  origin?: { address: string; payloadBase64?: string; receivedAtMs?: number; isReplay?: boolean };
};

/** One message the source could not decode, on its way to dead_letter. */
export type SpooledRejection = {
  source: ConnectorSourceInfo;
  rejection: { address: string; payloadBase64: string; reason: string; receivedAtMs: number };
};

/** A spool line (records of older spools are all events). */
export type SpooledRecord = SpooledEvent | SpooledRejection;

type ConnectorRejection = Parameters<ConnectorSink['reject']>[0][number];
type ConnectorResult = ConnectorAnswer['results'][number];

/** The pipeline as the spooling sink feeds it (@takt/ingest's pipeline is one). */
export type SpoolTarget = ConnectorSink;

export type SpoolingSinkOptions = {
  pipeline: SpoolTarget;
  spool: EventSpool<SpooledRecord>;
  logger: Logger;
  /** Events waiting for the disk are written (one fsync) at most this often. Default 50 ms. */
  appendIntervalMs?: number;
  replayBatchSize?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  now?: () => number;
};

export type SpoolingSinkStats = {
  isSpooling: boolean;
  depth: number;
  depthBytes: number;
  spooled: number;
  replayed: number;
  /** Refused because the spool was full (reported as a dead letter once the database is back). */
  refused: number;
};

export type SpoolingSink = ConnectorSink & {
  stats(): SpoolingSinkStats;
  /** Resolves when nothing is waiting for the disk and, if the database is reachable, the spool is empty. */
  drained(): Promise<void>;
  /** Writes what waits for the disk and stops replaying (what is spooled stays for the next start). */
  stop(): Promise<void>;
};

const isUnavailable = (result: ConnectorResult): boolean =>
  result.status === 'rejected' && result.reason === DATABASE_UNAVAILABLE_REASON;

const SPOOLED: ConnectorResult = { status: 'accepted', reason: 'spooled' };
const REFUSED: ConnectorResult = { status: 'rejected', reason: SPOOL_FULL_REASON };

const isRejection = (record: SpooledRecord): record is SpooledRejection => 'rejection' in record;

const toSpooledRejection = (
  rejection: ConnectorRejection,
  source: ConnectorSourceInfo,
  nowMs: number,
): SpooledRejection => ({
  source,
  rejection: {
    address: rejection.address,
    payloadBase64: Buffer.from(rejection.payload).toString('base64'),
    reason: rejection.reason,
    receivedAtMs: rejection.receivedAtMs ?? nowMs,
  },
});

const fromSpooledRejection = ({ rejection }: SpooledRejection): ConnectorRejection => ({
  address: rejection.address,
  payload: Buffer.from(rejection.payloadBase64, 'base64'),
  reason: rejection.reason,
  receivedAtMs: rejection.receivedAtMs,
});

const timeOf = (record: SpooledRecord): number =>
  isRejection(record) ? record.rejection.receivedAtMs : record.event.tsMs;

const toSpooled = (
  input: { event: TIngestEvent; origin?: ConnectorEventOrigin },
  source: ConnectorSourceInfo,
  nowMs: number,
): SpooledEvent => ({
  source,
  event: input.event,
  origin: {
    address: input.origin?.address ?? source.code,
    ...(input.origin?.payload ? { payloadBase64: Buffer.from(input.origin.payload).toString('base64') } : {}),
    receivedAtMs: input.origin?.receivedAtMs ?? nowMs,
    ...(input.origin?.isReplay === undefined ? {} : { isReplay: input.origin.isReplay }),
  },
});

const fromSpooled = (record: SpooledEvent): { event: TIngestEvent; origin?: ConnectorEventOrigin } => ({
  event: record.event,
  ...(record.origin
    ? {
        origin: {
          address: record.origin.address,
          ...(record.origin.payloadBase64 ? { payload: Buffer.from(record.origin.payloadBase64, 'base64') } : {}),
          // The original receipt time: the pipeline judges lateness by when the bridge got the event.
          ...(record.origin.receivedAtMs === undefined ? {} : { receivedAtMs: record.origin.receivedAtMs }),
          ...(record.origin.isReplay === undefined ? {} : { isReplay: record.origin.isReplay }),
        },
      }
    : {}),
});

export function createSpoolingSink(options: SpoolingSinkOptions): SpoolingSink {
  const {
    pipeline,
    spool,
    appendIntervalMs = 50,
    replayBatchSize = 1_000,
    retryInitialDelayMs = 500,
    retryMaxDelayMs = 5_000,
    now = Date.now,
  } = options;
  const logger = options.logger.child({ name: 'bridge.spool' });
  // Records waiting for the next append, and the callers waiting to learn whether theirs are on disk.
  let waiting: SpooledRecord[] = [];
  let waitingCallers: ((isStored: boolean) => void)[] = [];
  let appendTimer: NodeJS.Timeout | null = null;
  // Set when an append was refused; sources wait for room until a replayed batch frees some.
  let room: { promise: Promise<void>; resolve: () => void } | null = null;
  let isSpooling = spool.depth().records > 0;
  let isStopped = false;
  let replaying: Promise<void> | null = null;
  let spooled = 0;
  let replayed = 0;
  let refusedTotal = 0;
  let refusedRange: { count: number; firstTsMs: number; lastTsMs: number } | null = null;
  let lastSource: ConnectorSourceInfo | null = null;
  const idleWaiters: (() => void)[] = [];

  function writeWaiting(): void {
    if (appendTimer) clearTimeout(appendTimer);
    appendTimer = null;
    if (waiting.length === 0) return;
    const batch = waiting;
    const callers = waitingCallers;
    waiting = [];
    waitingCallers = [];
    const isStored = spool.append(batch);
    for (const caller of callers) caller(isStored);
    if (isStored) {
      spooled += batch.length;
    } else {
      if (!room) {
        let resolve: () => void = () => {};
        const promise = new Promise<void>((settle) => {
          resolve = settle;
        });
        room = { promise, resolve };
      }
      refusedTotal += batch.length;
      const times = batch.map(timeOf);
      refusedRange = {
        count: (refusedRange?.count ?? 0) + batch.length,
        firstTsMs: Math.min(refusedRange?.firstTsMs ?? Infinity, ...times),
        lastTsMs: Math.max(refusedRange?.lastTsMs ?? -Infinity, ...times),
      };
      logger.error({ refused: batch.length, depth: spool.depth() }, 'spool full: events refused');
    }
  }

  function makeRoom(): void {
    room?.resolve();
    room = null;
  }

  /** Queues records for the next append (one write and fsync); resolves whether they are on disk. */
  function toSpool(records: SpooledRecord[]): Promise<boolean> {
    if (records.length === 0) return Promise.resolve(true);
    const stored = new Promise<boolean>((resolve) => waitingCallers.push(resolve));
    for (const record of records) waiting.push(record);
    if (!isSpooling) {
      isSpooling = true;
      logger.warn('database unavailable: spooling events to disk');
    }
    appendTimer ??= setTimeout(writeWaiting, appendIntervalMs);
    startReplay();
    return stored;
  }

  /** The answer for inputs of which those at `spooledIndexes` were handed to the spool (`isStored`: fsynced). */
  function withSpooled(answer: ConnectorAnswer, spooledIndexes: ReadonlySet<number>, isStored: boolean) {
    return {
      ...answer,
      results: answer.results.map((result, index) =>
        spooledIndexes.has(index) ? { ...result, ...(isStored ? SPOOLED : REFUSED) } : result,
      ),
    };
  }

  /** Sends items to the pipeline; those it answers "database unavailable" go to the spool. */
  async function direct<T>(
    items: readonly T[],
    send: () => Promise<ConnectorAnswer>,
    toRecord: (item: T) => SpooledRecord,
  ): Promise<ConnectorAnswer> {
    const answer = await send();
    const failed = new Set<number>();
    answer.results.forEach((result, index) => {
      if (isUnavailable(result) && items[index] !== undefined) failed.add(index);
    });
    if (failed.size === 0) return answer;
    const isStored = await toSpool([...failed].map((index) => toRecord(items[index] as T)));
    return withSpooled(answer, failed, isStored);
  }

  /** Spooling mode: everything goes to the spool, answered once it is on disk (or refused). */
  async function spoolAll(records: SpooledRecord[]): Promise<ConnectorAnswer> {
    const isStored = await toSpool(records);
    return { results: records.map(() => (isStored ? SPOOLED : REFUSED)) };
  }

  function notifyIdle(): void {
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function replayLoop(): Promise<void> {
    let delayMs = retryInitialDelayMs;
    while (!isStopped) {
      writeWaiting();
      const entries = await spool.read(replayBatchSize);
      if (entries.length === 0) {
        // Nothing on disk and nothing waiting (writeWaiting ran synchronously before): back to direct mode.
        if (waiting.length === 0) {
          isSpooling = false;
          makeRoom();
          logger.info({ replayed }, 'spool replayed: back to direct ingest');
          reportRefused();
          notifyIdle();
          return;
        }
        continue;
      }
      // The pipeline takes one source per call; it keeps calls in order, so the groups stay in order.
      const groups: { source: ConnectorSourceInfo; isRejection: boolean; records: SpooledRecord[] }[] = [];
      for (const { record } of entries) {
        const last = groups.at(-1);
        if (last && last.source.code === record.source.code && last.isRejection === isRejection(record))
          last.records.push(record);
        else groups.push({ source: record.source, isRejection: isRejection(record), records: [record] });
      }
      const answers = await Promise.all(
        groups.map((group) =>
          group.isRejection
            ? pipeline.reject(group.records.filter(isRejection).map(fromSpooledRejection), group.source)
            : pipeline.submit(
                group.records.flatMap((record) => (isRejection(record) ? [] : [fromSpooled(record)])),
                group.source,
              ),
        ),
      );
      if (answers.some((answer) => answer.results.some(isUnavailable))) {
        // Still down. What did get committed of this batch is a duplicate on the next try (de-duplicated).
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
        delayMs = Math.min(retryMaxDelayMs, delayMs * 2);
        continue;
      }
      delayMs = retryInitialDelayMs;
      const last = entries.at(-1);
      if (last) await spool.commit(last.position);
      replayed += entries.length;
      makeRoom();
      for (const group of groups) pipeline.setSourceStatus?.(group.source, { spoolDepth: spool.depth().records });
    }
  }

  function startReplay(): void {
    if (replaying || isStopped) return;
    replaying = replayLoop()
      .catch((error: unknown) => {
        logger.error({ error: error instanceof Error ? error.message : String(error) }, 'spool replay failed');
      })
      .finally(() => {
        replaying = null;
        // Events spooled after the loop decided to end start it again.
        if (isSpooling && !isStopped) startReplay();
      });
  }

  /** Direct mode: dead letters the pipeline could not store (database unavailable) go to the spool. */
  function rejectDirect(rejections: readonly ConnectorRejection[], source: ConnectorSourceInfo) {
    return direct(
      rejections,
      () => pipeline.reject(rejections, source),
      (rejection) => toSpooledRejection(rejection, source, now()),
    );
  }

  function reportRefused(): void {
    if (!refusedRange || !lastSource) return;
    const summary = { ...refusedRange, firstAt: new Date(refusedRange.firstTsMs).toISOString() };
    void rejectDirect(
      [
        {
          address: 'bridge/spool',
          payload: new TextEncoder().encode(JSON.stringify(summary)),
          reason: `spool full: ${refusedRange.count} events between ${new Date(refusedRange.firstTsMs).toISOString()} and ${new Date(refusedRange.lastTsMs).toISOString()} were refused (MQTT messages are redelivered by the broker; others are lost)`,
          receivedAtMs: now(),
        },
      ],
      lastSource,
    );
    refusedRange = null;
  }

  if (isSpooling) {
    logger.info({ depth: spool.depth() }, 'spool not empty at start: replaying');
    startReplay();
  }

  return {
    submit(inputs, source) {
      lastSource = source;
      if (isStopped || isSpooling) return spoolAll(inputs.map((input) => toSpooled(input, source, now())));
      return direct(
        inputs,
        () => pipeline.submit(inputs, source),
        (input) => toSpooled(input, source, now()),
      );
    },
    reject(rejections, source) {
      lastSource = source;
      if (isStopped || isSpooling)
        return spoolAll(rejections.map((rejection) => toSpooledRejection(rejection, source, now())));
      return rejectDirect(rejections, source);
    },
    waitForRoom(extraItems) {
      if (room) return room.promise;
      return isStopped || isSpooling ? null : (pipeline.waitForRoom?.(extraItems) ?? null);
    },
    setSourceStatus(source, status) {
      pipeline.setSourceStatus?.(source, { ...status, spoolDepth: spool.depth().records });
    },
    noteAlive(machinePaths) {
      pipeline.noteAlive?.(machinePaths);
    },
    stats() {
      const depth = spool.depth();
      return {
        isSpooling,
        depth: depth.records + waiting.length,
        depthBytes: depth.bytes,
        spooled,
        replayed,
        refused: refusedTotal,
      };
    },
    drained() {
      if (!isSpooling && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      isStopped = true;
      writeWaiting();
      await replaying;
      spool.close();
      makeRoom();
      notifyIdle();
    },
  };
}

/** Opens the spool in `dir` (replaying what a previous run left there) and the sink in front of `pipeline`. */
export async function openSpoolingSink(options: {
  pipeline: SpoolTarget;
  dir: string;
  maxBytes?: number;
  logger: Logger;
}): Promise<SpoolingSink> {
  const spool = await openEventSpool<SpooledRecord>({
    dir: options.dir,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  return createSpoolingSink({ pipeline: options.pipeline, spool, logger: options.logger });
}
