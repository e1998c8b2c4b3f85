// Composes the bridge: the UNS JSON source → the ingest pipeline → PostgreSQL. Runs in-process under the
// launcher (`npm start`) or as its own process (main.ts); either way nothing it meets on the wire or in
// the database ends the process: bad input is dead-lettered, outages are retried.
import { hostname } from 'node:os';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { pino, type Logger } from 'pino';
import { createIngestPipeline, type IngestStats } from './ingest/ingest.pipeline.ts';
import { createPlantDirectory } from './ingest/plant-directory.cache.ts';
import { createSource } from './sources/source.factory.ts';
import type { SourceStatus } from './sources/source.ts';

export type StartBridgeOptions = (
  { databaseUrl: string; prisma?: undefined } | { prisma: PrismaClient; databaseUrl?: undefined }
) & {
  mqttUrl: string;
  /** UNS topic prefix (MQTT_UNS_PREFIX), default `takt`. */
  topicPrefix?: string;
  /** A machine silent this long goes OFFLINE (BRIDGE_OFFLINE_AFTER_SEC), default 60; null: never. */
  offlineAfterSec?: number | null;
  /** MQTT client id of the persistent session; default `takt-bridge-<host>-<prefix>`. */
  clientId?: string;
  mqttProtocolVersion?: 4 | 5;
  logger?: Logger;
  maxBatchEvents?: number;
  maxBatchDelayMs?: number;
  /** How often the per-source counters are logged, default 60 s. */
  statsLogIntervalMs?: number;
};

export type BridgeStats = { ingest: IngestStats; sources: Record<string, SourceStatus> };

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
  const directory = createPlantDirectory({ prisma, logger: rootLogger.child({ name: 'bridge.directory' }) });
  const pipeline = createIngestPipeline({
    prisma,
    directory,
    logger: rootLogger.child({ name: 'bridge.ingest' }),
    offlineAfterMs: offlineAfterSec === null ? null : offlineAfterSec * 1000,
    ...(options.maxBatchEvents === undefined ? {} : { maxBatchEvents: options.maxBatchEvents }),
    ...(options.maxBatchDelayMs === undefined ? {} : { maxBatchDelayMs: options.maxBatchDelayMs }),
  });
  const source = createSource({
    kind: 'MQTT_JSON',
    code: sourceCode,
    dataSourceId: dataSource?.id ?? null,
    mqttUrl: options.mqttUrl,
    topicPrefix,
    clientId: options.clientId ?? `takt-bridge-${hostname()}-${topicPrefix.replaceAll('/', '-')}`,
    ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
    logger: rootLogger,
  });

  const stats = (): BridgeStats => ({ ingest: pipeline.stats(), sources: { [source.code]: source.status() } });
  const logStats = () => logger.info(stats(), 'ingest counters');
  const statsTimer = setInterval(logStats, options.statsLogIntervalMs ?? 60_000);
  statsTimer.unref();

  source.start(pipeline);
  logger.info({ topicPrefix, sourceCode, dataSourceId: dataSource?.id ?? null, offlineAfterSec }, 'bridge started');

  let stopping: Promise<void> | null = null;
  return {
    ready: source.ready,
    stats,
    stop() {
      stopping ??= (async () => {
        clearInterval(statsTimer);
        await source
          .stop()
          .catch((error: unknown) => logger.warn({ error: String(error) }, 'source did not stop cleanly'));
        await pipeline.stop();
        logStats();
        if (ownsPrisma) await prisma.$disconnect();
        logger.info('bridge stopped');
      })();
      return stopping;
    },
  };
}
