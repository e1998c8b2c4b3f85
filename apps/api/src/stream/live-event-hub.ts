// The one fan-out of the live stream: polls the `live_event` outbox by `id > lastId` (every pollIntervalMs,
// and at once when a LISTEN wake-up arrives), serialises each event once and writes it to every
// subscriber whose scope matches. Back-pressure: a subscriber whose socket holds more than
// maxBufferedBytes unsent is dropped (socket destroyed) instead of buffered; its EventSource reconnects
// with Last-Event-ID and replays the rest from the outbox. Also emits kpi-tick events and heartbeats, and
// with each heartbeat ends the streams whose session has ended (sign-out, user disabled, password changed).
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { PrismaClient } from '@takt/db';
import type { TLiveEventScope, TStreamQuery } from '@takt/contracts';
import { AppError } from '../http/app-error.ts';
import {
  pruneLiveEvents,
  readLineStateCounts,
  readLiveEventsAfter,
  readMaxLiveEventId,
  readOldestLiveEventId,
  readValidSessionIds,
  type LiveEventRow,
} from './live-event.repository.ts';

export type LiveEventHubOptions = {
  prisma: PrismaClient;
  logger: Logger;
  pollIntervalMs?: number;
  /** SSE comment lines keep proxies and browsers from timing the stream out. */
  heartbeatIntervalMs?: number;
  /** kpi-tick per line; 0 disables. */
  kpiTickIntervalMs?: number;
  /** How long outbox rows are kept (and so how far back Last-Event-ID can resume). */
  retentionMs?: number;
  pruneIntervalMs?: number;
  /** Unsent bytes a subscriber may hold before it is dropped. */
  maxBufferedBytes?: number;
  /** Starts a LISTEN that calls `wake` on notifications (external PostgreSQL only). */
  listen?: (wake: () => void) => { close(): Promise<void> };
};

export type LiveEventHubStats = {
  subscriberCount: number;
  lastId: bigint;
  droppedCount: number;
  /** Largest unsent byte count over the current subscribers. */
  maxSubscriberBufferedBytes: number;
};

type Subscriber = {
  res: Response;
  /** The session that opened the stream, re-checked at each heartbeat. */
  sessionId: string;
  filter: [keyof TLiveEventScope, string][];
  /** While the outbox replay of a resume runs, live chunks wait here (bounded like the socket). */
  pending: string[] | null;
  pendingBytes: number;
};

const PAGE_SIZE = 1_000;
const CLIENT_RETRY_MS = 3_000;

function toChunk(row: LiveEventRow): { scope: TLiveEventScope; chunk: string } {
  const scope = { siteId: row.siteId, areaId: row.areaId, lineId: row.lineId, machineId: row.machineId };
  const head = JSON.stringify({ id: row.id.toString(), type: row.type, atMs: row.atMs, scope });
  // The payload is already JSON text from PostgreSQL (jsonb text has no raw newlines): splice it in.
  const data = `${head.slice(0, -1)},"payload":${row.payloadJson}}`;
  return { scope, chunk: `id: ${row.id}\nevent: ${row.type}\ndata: ${data}\n\n` };
}

function ephemeralChunk(type: string, scope: TLiveEventScope, payload: unknown, atMs: number): string {
  return `event: ${type}\ndata: ${JSON.stringify({ id: null, type, atMs, scope, payload })}\n\n`;
}

const NO_SCOPE: TLiveEventScope = { siteId: null, areaId: null, lineId: null, machineId: null };

export class LiveEventHub {
  readonly #prisma: PrismaClient;
  readonly #logger: Logger;
  readonly #options: Required<Omit<LiveEventHubOptions, 'prisma' | 'logger' | 'listen'>>;
  readonly #listen: LiveEventHubOptions['listen'];
  readonly #subscribers = new Set<Subscriber>();
  readonly #timers: NodeJS.Timeout[] = [];
  #listener: { close(): Promise<void> } | undefined;
  #lastId = 0n;
  #droppedCount = 0;
  #isPolling = false;
  #isPollRequested = false;
  #isClosed = false;
  #currentPoll: Promise<void> = Promise.resolve();

  constructor(options: LiveEventHubOptions) {
    this.#prisma = options.prisma;
    this.#logger = options.logger;
    this.#listen = options.listen;
    this.#options = {
      pollIntervalMs: options.pollIntervalMs ?? 200,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
      kpiTickIntervalMs: options.kpiTickIntervalMs ?? 10_000,
      retentionMs: options.retentionMs ?? 3_600_000,
      pruneIntervalMs: options.pruneIntervalMs ?? 60_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 1_048_576,
    };
  }

  /** Starts from the newest outbox row (older ones are only for resumes) and runs the timers. */
  async start(): Promise<void> {
    this.#lastId = await readMaxLiveEventId(this.#prisma);
    const { pollIntervalMs, heartbeatIntervalMs, kpiTickIntervalMs, pruneIntervalMs } = this.#options;
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(pollIntervalMs, () => this.wake());
    every(heartbeatIntervalMs, () => {
      this.#broadcast(`: heartbeat ${new Date().toISOString()}\n\n`);
      void this.#endRevokedSessions();
    });
    if (kpiTickIntervalMs > 0) every(kpiTickIntervalMs, () => void this.#emitKpiTicks());
    every(pruneIntervalMs, () => void this.#prune());
    this.#listener = this.#listen?.(() => this.wake());
  }

  /** Polls the outbox now (coalesced with a poll already running). */
  wake(): void {
    if (this.#isClosed) return;
    if (this.#isPolling) {
      this.#isPollRequested = true;
      return;
    }
    this.#currentPoll = this.#pollLoop();
  }

  /** Resolves when the outbox has been read up to now and fanned out (tests, shutdown). */
  async flush(): Promise<void> {
    await this.#currentPoll;
    this.wake();
    await this.#currentPoll;
  }

  stats(): LiveEventHubStats {
    let maxBuffered = 0;
    for (const subscriber of this.#subscribers) {
      maxBuffered = Math.max(maxBuffered, subscriber.res.writableLength + subscriber.pendingBytes);
    }
    return {
      subscriberCount: this.#subscribers.size,
      lastId: this.#lastId,
      droppedCount: this.#droppedCount,
      maxSubscriberBufferedBytes: maxBuffered,
    };
  }

  /**
   * Turns `res` into an event stream for `filter`; with `lastEventId`, first replays the outbox rows
   * after it (or sends `reload` when they were pruned). Returns once the headers are sent.
   */
  async subscribe(
    req: Request,
    res: Response,
    sessionId: string,
    filter: TStreamQuery,
    lastEventId: string | undefined,
  ): Promise<void> {
    if (this.#isClosed) {
      throw new AppError('SERVICE_UNAVAILABLE', 'Shutting down', {
        detail: 'The server is stopping; reconnect in a moment.',
        headers: { 'Retry-After': '3' },
      });
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    res.write(`retry: ${CLIENT_RETRY_MS}\n: connected\n\n`);
    const entries = Object.entries(filter).filter(
      (entry): entry is [keyof TLiveEventScope, string] =>
        ['siteId', 'areaId', 'lineId', 'machineId'].includes(entry[0]) && typeof entry[1] === 'string',
    );
    const subscriber: Subscriber = { res, sessionId, filter: entries, pending: null, pendingBytes: 0 };
    // A client gone before this point has already emitted 'close': never register it.
    if (req.socket.destroyed) return;
    res.on('close', () => this.#subscribers.delete(subscriber));
    if (lastEventId === undefined) {
      this.#subscribers.add(subscriber);
      return;
    }
    // Registered before the replay reads, so that nothing after `upToId` can be missed; live chunks
    // queue in `pending` until the replay has been written.
    subscriber.pending = [];
    const upToId = this.#lastId;
    this.#subscribers.add(subscriber);
    try {
      await this.#replay(subscriber, BigInt(lastEventId), upToId);
    } catch (error) {
      this.#logger.warn({ err: error }, 'live stream replay failed');
      this.#drop(subscriber);
      return;
    }
    const pending = subscriber.pending;
    subscriber.pending = null;
    subscriber.pendingBytes = 0;
    for (const chunk of pending) this.#send(subscriber, chunk);
  }

  /** Ends every stream cleanly (clients reconnect with Last-Event-ID), stops the timers and the LISTEN. */
  async close(): Promise<void> {
    this.#isClosed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#currentPoll.catch(() => {});
    for (const subscriber of this.#subscribers) subscriber.res.end();
    this.#subscribers.clear();
    await this.#listener?.close();
  }

  async #replay(subscriber: Subscriber, afterId: bigint, upToId: bigint): Promise<void> {
    if (afterId >= upToId) {
      if (afterId > upToId) this.#sendReload(subscriber, 'Last-Event-ID is unknown to this server.');
      return;
    }
    const oldest = await readOldestLiveEventId(this.#prisma);
    if (oldest === null || afterId + 1n < oldest) {
      this.#sendReload(subscriber, 'Events after Last-Event-ID are no longer retained.');
      return;
    }
    let cursor = afterId;
    for (;;) {
      const rows = await readLiveEventsAfter(this.#prisma, cursor, upToId, PAGE_SIZE);
      for (const row of rows) {
        const { scope, chunk } = toChunk(row);
        if (this.#matches(subscriber, scope) && !this.#write(subscriber, chunk)) return;
      }
      const last = rows.at(-1);
      if (last === undefined || rows.length < PAGE_SIZE || !this.#subscribers.has(subscriber)) return;
      cursor = last.id;
    }
  }

  #sendReload(subscriber: Subscriber, reason: string): void {
    this.#write(subscriber, ephemeralChunk('reload', NO_SCOPE, { reason }, Date.now()));
  }

  async #pollLoop(): Promise<void> {
    this.#isPolling = true;
    try {
      do {
        this.#isPollRequested = false;
        let rows: LiveEventRow[];
        do {
          rows = await readLiveEventsAfter(this.#prisma, this.#lastId, null, PAGE_SIZE);
          for (const row of rows) {
            if (row.id <= this.#lastId) continue;
            this.#lastId = row.id;
            if (this.#subscribers.size === 0) continue;
            const { scope, chunk } = toChunk(row);
            for (const subscriber of this.#subscribers)
              if (this.#matches(subscriber, scope)) this.#send(subscriber, chunk);
          }
        } while (rows.length === PAGE_SIZE && !this.#isClosed);
      } while (this.#isPollRequested && !this.#isClosed);
    } catch (error) {
      this.#logger.warn({ err: error }, 'live event poll failed; retrying on the next tick');
    } finally {
      this.#isPolling = false;
    }
  }

  #matches(subscriber: Subscriber, scope: TLiveEventScope): boolean {
    for (const [key, value] of subscriber.filter) if (scope[key] !== value) return false;
    return true;
  }

  /** Live delivery: queued behind a running replay, otherwise written (or the subscriber dropped). */
  #send(subscriber: Subscriber, chunk: string): void {
    if (subscriber.pending !== null) {
      subscriber.pending.push(chunk);
      subscriber.pendingBytes += chunk.length;
      if (subscriber.pendingBytes > this.#options.maxBufferedBytes) this.#drop(subscriber);
      return;
    }
    this.#write(subscriber, chunk);
  }

  /** Writes unless the socket is not draining; then drops the subscriber. False when dropped. */
  #write(subscriber: Subscriber, chunk: string): boolean {
    if (!this.#subscribers.has(subscriber)) return false;
    if (subscriber.res.writableLength + chunk.length > this.#options.maxBufferedBytes) {
      this.#drop(subscriber);
      return false;
    }
    subscriber.res.write(chunk);
    return true;
  }

  #drop(subscriber: Subscriber): void {
    if (!this.#subscribers.delete(subscriber)) return;
    this.#droppedCount += 1;
    // Destroying frees what is buffered at once; the client resumes from the last id it received.
    subscriber.res.destroy();
  }

  #broadcast(chunk: string): void {
    for (const subscriber of this.#subscribers) if (subscriber.pending === null) this.#write(subscriber, chunk);
  }

  /** Ends (cleanly) the streams whose session is gone: one query for all subscribers. */
  async #endRevokedSessions(): Promise<void> {
    if (this.#subscribers.size === 0 || this.#isClosed) return;
    try {
      const sessionIds = new Set([...this.#subscribers].map((subscriber) => subscriber.sessionId));
      const valid = await readValidSessionIds(this.#prisma, [...sessionIds]);
      for (const subscriber of this.#subscribers) {
        if (valid.has(subscriber.sessionId)) continue;
        this.#subscribers.delete(subscriber);
        subscriber.res.end();
      }
    } catch (error) {
      this.#logger.warn({ err: error }, 'live stream session check failed');
    }
  }

  async #emitKpiTicks(): Promise<void> {
    if (this.#subscribers.size === 0 || this.#isClosed) return;
    try {
      const rows = await readLineStateCounts(this.#prisma);
      const atMs = Date.now();
      const lines = new Map<
        string,
        { scope: TLiveEventScope; machineCount: number; stateCounts: Record<string, number> }
      >();
      for (const row of rows) {
        const line = lines.get(row.lineId) ?? {
          scope: { siteId: row.siteId, areaId: row.areaId, lineId: row.lineId, machineId: null },
          machineCount: 0,
          stateCounts: {},
        };
        line.machineCount += row.machineCount;
        if (row.state !== null) line.stateCounts[row.state] = (line.stateCounts[row.state] ?? 0) + row.machineCount;
        lines.set(row.lineId, line);
      }
      for (const [lineId, line] of lines) {
        const payload = { lineId, atMs, machineCount: line.machineCount, stateCounts: line.stateCounts };
        const chunk = ephemeralChunk('kpi-tick', line.scope, payload, atMs);
        for (const subscriber of this.#subscribers)
          if (this.#matches(subscriber, line.scope)) this.#send(subscriber, chunk);
      }
    } catch (error) {
      this.#logger.warn({ err: error }, 'kpi tick failed');
    }
  }

  async #prune(): Promise<void> {
    try {
      await pruneLiveEvents(this.#prisma, new Date(Date.now() - this.#options.retentionMs));
    } catch (error) {
      this.#logger.warn({ err: error }, 'live event prune failed');
    }
  }
}
