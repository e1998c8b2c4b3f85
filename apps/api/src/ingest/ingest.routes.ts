// /ingest: HTTP ingest of normalized events (ingest API token) and the ingest status of every source.
import { ZIngestEventsBody, ZIngestEventsResponse, ZIngestStatusResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { createIngestPipeline, type IngestPipeline } from '@takt/ingest';
import { refreshRollupsMany } from '@takt/kpi-sql';
import type { Logger } from 'pino';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { getIngestStatus, ingestHttpEvents } from './ingest.service.ts';

export function ingestRoutes(options: { prisma: PrismaClient; logger: Logger }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['ingest'];
  // One pipeline per app, made on first use. Short batch delay: a caller waits for its answer. No watchdog and
  // no pruning here (the bridge does both); status is written after each request instead of by a timer.
  let pipeline: IngestPipeline | null = null;
  const pipelineOf = (): IngestPipeline =>
    (pipeline ??= createIngestPipeline({
      prisma,
      logger: options.logger.child({ name: 'api.ingest' }),
      maxBatchEvents: 5_000,
      maxBatchDelayMs: 5,
      maxTransientAttempts: 3,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      afterBatchCommit: ({ touched, committedAtMs }) => refreshRollupsMany({ prisma, touched, nowMs: committedAtMs }),
    }));
  return [
    defineRoute({
      method: 'post',
      path: '/ingest/events',
      access: 'INGEST',
      summary:
        'Ingest a batch of machine events (state, count, counter, product, work-order, signal); answers per event: ' +
        'accepted, duplicate or rejected (rejected events are also dead-lettered). 400 only for a malformed body.',
      tags,
      schemas: { body: ZIngestEventsBody, response: ZIngestEventsResponse },
      handler: ({ body }) => ingestHttpEvents({ prisma, pipeline: pipelineOf(), events: body.events }),
    }),
    defineRoute({
      method: 'get',
      path: '/ingest/status',
      access: 'VIEWER',
      summary: 'Per ingest source: connected, last message, messages/s, duplicates, dead letters, spool depth, lag.',
      tags,
      schemas: { response: ZIngestStatusResponse },
      handler: () => getIngestStatus({ prisma }),
    }),
  ];
}
