// Composes the bridge: the UNS JSON source → the @takt/ingest pipeline → PostgreSQL. Runs in-process under the
// launcher (`npm start`) or as its own process (main.ts); either way nothing it meets on the wire or in
// the database ends the process: bad input is dead-lettered, outages are retried.
import { hostname } from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { pino, type Logger } from 'pino';
import { createIngestPipeline, type IngestStats } from '@takt/ingest';
import { refreshRollupsMany } from '@takt/kpi-sql';
import { createConfiguredSources, createSource } from './sources/source.factory.ts';
import type { SourceStatus } from './sources/source.ts';
import { SPARKPLUG_DEFAULT_HOST_ID } from './sources/sparkplug.source.ts';
import { loadUnsStateValueMaps } from './sources/uns-json.mapping.ts';
import { openSpoolingSink, type SpoolingSink, type SpoolingSinkStats } from './spool/spooling.sink.ts';

export type StartBridgeOptions = (
  { databaseUrl: string; prisma?: undefined } | { prisma: PrismaClient; databaseUrl?: undefined }
) & {
  mqttUrl: string;
  /** UNS topic prefix (MQTT_UNS_PREFIX), default `takt`. */
  topicPrefix?: string;
  /** A machine silent this long goes OFFLINE (BRIDGE_OFFLINE_AFTER_SEC), default 60; null: never. */
  offlineAfterSec?: number | null;
  /** Also machines never heard from since the start go OFFLINE (BRIDGE_OFFLINE_UNHEARD), default true. */
  isWatchingUnheardMachines?: boolean;
  /** How often the per-source counters are written to ingest_source_status (GET /api/v1/ingest/status). */
  statusIntervalMs?: number;
  /** MQTT client id of the persistent session; default `takt-bridge-<host>-<prefix>`. */
  clientId?: string;
  mqttProtocolVersion?: 4 | 5;
  /** SPARKPLUG_HOST_ID: Sparkplug B host application id of data sources that name none (default `takt`). */
  sparkplugHostId?: string;
  /** TAKT_DATA_DIR: when set, store and forward spools to `{dataDir}/spool`; OPC UA PKI in `{dataDir}/pki`. */
  dataDir?: string;
  /** BRIDGE_SPOOL_MAX_MB in bytes (default 256 MiB). */
  spoolMaxBytes?: number;
  logger?: Logger;
  /** Default BRIDGE_INGEST_DEFAULTS.maxBatchEvents. */
  maxBatchEvents?: number;
  /** Default BRIDGE_INGEST_DEFAULTS.maxBatchDelayMs. */
  maxBatchDelayMs?: number;
  /**
   * BRIDGE_MAX_PENDING_EVENTS: events received and not yet committed; at this bound the MQTT sources stop reading
   * (QoS 1 messages wait at the broker) until half of them are written. Default 40,000.
   */
  maxPendingEvents?: number;
  /** How often the per-source counters are logged, default 60 s. */
  statsLogIntervalMs?: number;
};

/**
 * How the bridge batches: large batches under load (one transaction per batch, the next one prepared while it
 * commits), cut 20 ms after the oldest event otherwise, so that a quiet line's events are stored within tens of
 * milliseconds. The ingest benchmark runs with these.
 */
export const BRIDGE_INGEST_DEFAULTS = { maxBatchEvents: 10_000, maxBatchDelayMs: 20, maxPendingEvents: 40_000 };

/** The pipeline options of BRIDGE_INGEST_DEFAULTS and `maxPendingEvents`. */
export function bridgeIngestLimits(
  options: { maxBatchEvents?: number; maxBatchDelayMs?: number; maxPendingEvents?: number } = {},
) {
  const maxPendingEvents = options.maxPendingEvents ?? BRIDGE_INGEST_DEFAULTS.maxPendingEvents;
  return {
    maxBatchEvents: options.maxBatchEvents ?? BRIDGE_INGEST_DEFAULTS.maxBatchEvents,
    maxBatchDelayMs: options.maxBatchDelayMs ?? BRIDGE_INGEST_DEFAULTS.maxBatchDelayMs,
    pauseAtPendingItems: maxPendingEvents,
    resumeAtPendingItems: Math.floor(maxPendingEvents / 2),
    // Sources that cannot hold their peer off (OPC UA notifications) may overshoot the bound up to this.
    maxPendingItems: 2 * maxPendingEvents,
  };
}

export type BridgeStats = {
  ingest: IngestStats;
  sources: Record<string, SourceStatus>;
  spool: SpoolingSinkStats | null;
};

export type Bridge = {
  /** Resolves once the source is subscribed: messages published from then on are ingested. */
  ready: Promise<void>;
  stats(): BridgeStats;
  /** Unsubscribes, writes what is buffered, closes what the bridge opened. */
  stop(): Promise<void>;
};

/**
 * The data_source row this connection stands for (kind MQTT_JSON, config.topicPrefix = prefix), so that
 * dead letters point at it; null when there is none. Configuring sources from these rows is later work.
 */
async function findDataSource(
  prisma: PrismaClient,
  topicPrefix: string,
  logger: Logger,
): Promise<{ id: string; code: string } | null> {
  try {
    return await prisma.dataSource.findFirst({
      where: { kind: 'MQTT_JSON', isEnabled: true, config: { path: ['topicPrefix'], equals: topicPrefix } },
      select: { id: true, code: true },
      orderBy: { createdAt: 'asc' },
    });
  } catch (error) {
    logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'cannot look up the data source; dead letters will not name it',
    );
    return null;
  }
}

export async function startBridge(options: StartBridgeOptions): Promise<Bridge> {
  const rootLogger = options.logger ?? pino({ level: 'info' });
  const logger = rootLogger.child({ name: 'bridge' });
  const topicPrefix = options.topicPrefix ?? 'takt';
  const offlineAfterSec = options.offlineAfterSec === undefined ? 60 : options.offlineAfterSec;
  const ownsPrisma = options.prisma === undefined;
  const prisma = options.prisma ?? createPrismaClient(options.databaseUrl, { maxConnections: 4 });

  const dataSource = await findDataSource(prisma, topicPrefix, logger);
  const sourceCode = dataSource?.code ?? `uns-json:${topicPrefix}`;
  const pipeline = createIngestPipeline({
    prisma,
    logger: rootLogger.child({ name: 'bridge.ingest' }),
    offlineAfterMs: offlineAfterSec === null ? null : offlineAfterSec * 1000,
    ...(options.isWatchingUnheardMachines === undefined
      ? {}
      : { isWatchingUnheardMachines: options.isWatchingUnheardMachines }),
    ...(options.statusIntervalMs === undefined ? {} : { statusIntervalMs: options.statusIntervalMs }),
    ...bridgeIngestLimits(options),
    // With a spool, batches PostgreSQL cannot take are handed back ("database unavailable") and spooled.
    ...(options.dataDir === undefined ? {} : { maxTransientAttempts: 3 }),
    afterBatchCommit: ({ touched, committedAtMs }) => refreshRollupsMany({ prisma, touched, nowMs: committedAtMs }),
  });
  const source = createSource({
    kind: 'MQTT_JSON',
    code: sourceCode,
    dataSourceId: dataSource?.id ?? null,
    mqttUrl: options.mqttUrl,
    topicPrefix,
    ...(dataSource === null ? {} : { stateValueMaps: await loadUnsStateValueMaps(prisma, dataSource.id, logger) }),
    clientId: options.clientId ?? `takt-bridge-${hostname()}-${topicPrefix.replaceAll('/', '-')}`,
    ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
    logger: rootLogger,
  });

  // Sparkplug B and OPC UA sources of the data_source rows (with their signal mappings).
  const configuredSources = await createConfiguredSources({
    prisma,
    logger: rootLogger,
    mqttUrl: options.mqttUrl,
    dataDir: options.dataDir ?? path.resolve('data'),
    clientIdPrefix: `takt-bridge-${hostname()}`,
    sparkplugHostId: options.sparkplugHostId ?? SPARKPLUG_DEFAULT_HOST_ID,
  });
  const sources = [source, ...configuredSources];
  const sink: SpoolingSink | null =
    options.dataDir === undefined
      ? null
      : await openSpoolingSink({
          pipeline,
          dir: path.join(options.dataDir, 'spool'),
          ...(options.spoolMaxBytes === undefined ? {} : { maxBytes: options.spoolMaxBytes }),
          logger: rootLogger,
        });

  const stats = (): BridgeStats => ({
    ingest: pipeline.stats(),
    sources: Object.fromEntries(sources.map((each) => [each.code, each.status()])),
    spool: sink?.stats() ?? null,
  });
  const logStats = () => logger.info(stats(), 'ingest counters');
  const statsTimer = setInterval(logStats, options.statsLogIntervalMs ?? 60_000);
  statsTimer.unref();

  for (const each of sources) each.start(sink ?? pipeline);
  logger.info({ topicPrefix, sourceCode, dataSourceId: dataSource?.id ?? null, offlineAfterSec }, 'bridge started');

  let stopping: Promise<void> | null = null;
  return {
    ready: source.ready,
    stats,
    stop() {
      stopping ??= (async () => {
        clearInterval(statsTimer);
        await Promise.all(
          sources.map((each) =>
            each.stop().catch((error: unknown) => logger.warn({ error: String(error) }, 'source did not stop cleanly')),
          ),
        );
        await sink?.stop();
        await pipeline.stop();
        logStats();
        if (ownsPrisma) await prisma.$disconnect();
        logger.info('bridge stopped');
      })();
      return stopping;
    },
  };
}
