// Per-source ingest counters (messages, duplicates, dead letters, last message, lag, connection, and the backlog a
// bridge source reports: spool depth, pending events, unacknowledged MQTT messages):
// kept in memory while the pipeline runs (stats()), and written every `statusIntervalMs` to ingest_source_status
// (ingest-source-status.writer.ts) as the difference since the last report, so that several processes and
// restarts add up. GET /api/v1/ingest/status reads the rows.
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import type { IngestSourceCounters, IngestSourceInfo, IngestSourceStatusReport } from './ingest-event.ts';
import { writeIngestSourceStatus, type SourceStatusDelta } from './ingest-source-status.writer.ts';
import { describeErrorForLog } from './write-retry.ts';

export type SourceStatusReporterOptions = {
  prisma: PrismaClient;
  logger: Logger;
  /** null: no timer, only report(). */
  statusIntervalMs: number | null;
  /** Sources counted but never reported (the watchdog's made-up events). */
  unreportedSourceCodes: ReadonlySet<string>;
  now: () => number;
};

export type SourceStatusReporter = {
  /** A message (event or undecodable message) of `source` arrived. */
  noteMessage(source: IngestSourceInfo, receivedAtMs: number): void;
  noteDuplicate(source: IngestSourceInfo): void;
  noteDeadLetter(source: IngestSourceInfo): void;
  /** Event time → commit of the last batch holding an event of the source. */
  noteLag(sourceCode: string, lagMs: number): void;
  setStatus(source: IngestSourceInfo, status: IngestSourceStatusReport): void;
  snapshot(): Record<string, IngestSourceCounters>;
  /** Writes the counters now (one report at a time; concurrent callers share it). Never rejects. */
  report(): Promise<void>;
  stop(): void;
};

type Reported = { messages: number; duplicates: number; deadLetters: number; atMs: number };

/** Starts the status timer (unref'd) unless `statusIntervalMs` is null. */
export function createSourceStatusReporter(options: SourceStatusReporterOptions): SourceStatusReporter {
  const { prisma, logger, statusIntervalMs, unreportedSourceCodes, now } = options;
  const sources = new Map<string, IngestSourceCounters>();
  // What has been written to ingest_source_status already, per source.
  const reported = new Map<string, Reported>();

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

  async function writeReport(): Promise<void> {
    const nowMs = now();
    const deltas: SourceStatusDelta[] = [];
    for (const [code, counters] of sources) {
      if (unreportedSourceCodes.has(code)) continue;
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
        const last = reported.get(delta.sourceCode);
        reported.set(delta.sourceCode, {
          messages: (last?.messages ?? 0) + delta.messages,
          duplicates: (last?.duplicates ?? 0) + delta.duplicates,
          deadLetters: (last?.deadLetters ?? 0) + delta.deadLetters,
          atMs: nowMs,
        });
      }
    } catch (error) {
      logger.warn({ error: describeErrorForLog(error) }, 'cannot write ingest status');
    }
  }

  let reporting: Promise<void> | null = null;
  const report = (): Promise<void> =>
    (reporting ??= writeReport().finally(() => {
      reporting = null;
    }));
  const timer = statusIntervalMs === null ? null : setInterval(() => void report(), statusIntervalMs);
  timer?.unref();

  return {
    noteMessage(source, receivedAtMs) {
      const counters = countersOf(source);
      counters.messages += 1;
      counters.lastMessageAtMs = Math.max(counters.lastMessageAtMs ?? 0, receivedAtMs);
    },
    noteDuplicate(source) {
      countersOf(source).duplicates += 1;
    },
    noteDeadLetter(source) {
      countersOf(source).deadLetters += 1;
    },
    noteLag(sourceCode, lagMs) {
      const counters = sources.get(sourceCode);
      if (counters) counters.lagMs = lagMs;
    },
    setStatus(source, status) {
      const counters = countersOf(source);
      if (status.isConnected !== undefined) counters.isConnected = status.isConnected;
      if (status.spoolDepth !== undefined) counters.spoolDepth = status.spoolDepth;
      if (status.pendingEvents !== undefined) counters.pendingEvents = status.pendingEvents;
      if (status.unackedMessages !== undefined) counters.unackedMessages = status.unackedMessages;
    },
    snapshot: () => Object.fromEntries([...sources].map(([code, counters]) => [code, { ...counters }])),
    report,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
