// HTTP ingest use cases: a batch of normalized events into the @takt/ingest pipeline (the same one the bridge
// runs), answered per event; and the per-source ingest status.
import type { TIngestEventsResponse, TIngestStatusResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import {
  BUFFER_FULL_REASON,
  DATABASE_UNAVAILABLE_REASON,
  type IngestPipeline,
  type IngestSourceInfo,
} from '@takt/ingest';
import { AppError } from '../http/app-error.ts';
import { findHttpDataSource, listSourceStatus } from './ingest.repository.ts';

/** Source code of the HTTP ingest's status row and default de-duplication source. */
export const HTTP_SOURCE_CODE = 'http';
/** dead_letter.address of events sent over HTTP. */
export const HTTP_INGEST_ADDRESS = 'POST /api/v1/ingest/events';
// A source that has not written its status for this long is shown as stale (its process is gone or stuck).
const STALE_AFTER_MS = 30_000;

/** Applies `events` and answers per event; 503 when PostgreSQL stays unreachable. */
export async function ingestHttpEvents(options: {
  prisma: PrismaClient;
  pipeline: IngestPipeline;
  events: readonly unknown[];
}): Promise<TIngestEventsResponse> {
  const { prisma, pipeline, events } = options;
  const dataSource = await findHttpDataSource(prisma);
  const source: IngestSourceInfo = { code: HTTP_SOURCE_CODE, kind: 'HTTP', dataSourceId: dataSource?.id ?? null };
  const receivedAtMs = Date.now();
  const result = await pipeline.submit(
    events.map((event) => ({ event, origin: { address: HTTP_INGEST_ADDRESS, receivedAtMs } })),
    source,
  );
  // Events refused for want of the database or of buffer space were not stored: the whole answer is "try again"
  // (the events that were stored come back as duplicates then).
  if (result.results.some((r) => r.reason === DATABASE_UNAVAILABLE_REASON || r.reason === BUFFER_FULL_REASON)) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Ingest unavailable', {
      detail: 'Some events were not stored; send the batch again later (stored events come back as duplicates).',
      headers: { 'retry-after': '5' },
    });
  }
  await pipeline.reportStatus();
  return result;
}

/** The status row of every source that ever reported (bridge sources, HTTP). */
export async function getIngestStatus(options: {
  prisma: PrismaClient;
  nowMs?: number;
}): Promise<TIngestStatusResponse> {
  const nowMs = options.nowMs ?? Date.now();
  const rows = await listSourceStatus(options.prisma);
  return {
    sources: rows.map((row) => ({
      sourceCode: row.sourceCode,
      sourceKind: row.sourceKind,
      isConnected: row.isConnected,
      lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
      messagesTotal: Number(row.messagesTotal),
      messagesPerSec: row.messagesPerSec,
      duplicates: Number(row.duplicates),
      deadLetters: Number(row.deadLetters),
      spoolDepth: row.spoolDepth,
      pendingEvents: row.pendingEvents,
      unackedMessages: row.unackedMessages,
      lagMs: row.lagMs,
      updatedAt: row.updatedAt.toISOString(),
      // Connection-less sources (HTTP) report only when called: never stale.
      isStale: row.isConnected !== null && nowMs - row.updatedAt.getTime() > STALE_AFTER_MS,
    })),
  };
}
