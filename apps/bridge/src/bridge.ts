// Composes the bridge: the UNS JSON source → the @takt/ingest pipeline → PostgreSQL. Runs in-process under the
// launcher (`npm start`) or as its own process (main.ts); either way nothing it meets on the wire or in
// the database ends the process: bad input is dead-lettered, outages are retried. At least once: the sources
// acknowledge a message to the broker only once the sink has stored what it carries (mqtt-session.ts).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { pino, type Logger } from 'pino';
import { createIngestPipeline, type IngestStats } from '@takt/ingest';
import { refreshRollupsMany } from '@takt/kpi-sql';
import { createConfiguredSources, createSource } from './sources/source.factory.ts';
import type { ConnectorSink, ConnectorSourceInfo, Source, SourceStatus } from './sources/source.ts';
import { SPARKPLUG_DEFAULT_HOST_ID } from './sources/sparkplug.source.ts';
import { loadUnsStateValueMaps } from './sources/uns-json.mapping.ts';
import { resolveBridgeClientId } from './mqtt-client-id.store.ts';
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
  /**
   * MQTT client id of the UNS source's persistent session (BRIDGE_MQTT_CLIENT_ID); Sparkplug B sources use
   * `<clientId>-sparkplug-<code>`. Default: `takt-bridge-<random>` kept in `dataDir` (mqtt-client-id.store.ts),
   * or a new random one per start without `dataDir`.
   */
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
   * BRIDGE_MAX_PENDING_EVENTS: events received and not yet committed, and MQTT messages received and not yet
   * acknowledged; at this bound the MQTT sources stop reading (QoS 1 messages wait at the broker) until half of
   * them are stored. Default 40,000.
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
  sources: Record<string, SourceStatus & { pendingEvents: number }>;
  spool: SpoolingSinkStats | null;
};

/** How often each source's backlog (events not yet stored, messages not yet acknowledged) is handed to the sink. */
const BACKLOG_REPORT_INTERVAL_MS = 1_000;

/** The sink as one source sees it, counting the events the source handed over that are not stored yet. */
function countingSink(sink: ConnectorSink): {
  sink: ConnectorSink;
  pendingEvents(): number;
  info(): ConnectorSourceInfo | null;
} {
  let pendingEvents = 0;
  let info: ConnectorSourceInfo | null = null;
  return {
    sink: {
      ...sink,
      submit(inputs, source) {
        info = source;
        pendingEvents += inputs.length;
        return sink.submit(inputs, source).finally(() => {
          pendingEvents -= inputs.length;
        });
      },
      reject(rejections, source) {
        info = source;
        return sink.reject(rejections, source);
      },
      setSourceStatus(source, status) {
        info = source;
        sink.setSourceStatus?.(source, status);
      },
    },
    pendingEvents: () => pendingEvents,
    info: () => info,
  };
}

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

  const maxPendingEvents = options.maxPendingEvents ?? BRIDGE_INGEST_DEFAULTS.maxPendingEvents;
  const clientId =
    options.clientId ??
    (options.dataDir === undefined
      ? `takt-bridge-${randomBytes(12).toString('hex')}`
      : await resolveBridgeClientId({ dataDir: options.dataDir }));
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
    clientId,
    maxUnackedMessages: maxPendingEvents,
    ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
    logger: rootLogger,
  });

  // Sparkplug B and OPC UA sources of the data_source rows (with their signal mappings).
  const configuredSources = await createConfiguredSources({
    prisma,
    logger: rootLogger,
    mqttUrl: options.mqttUrl,
    dataDir: options.dataDir ?? path.resolve('data'),
    clientIdPrefix: clientId,
    sparkplugHostId: options.sparkplugHostId ?? SPARKPLUG_DEFAULT_HOST_ID,
    maxUnackedMessages: maxPendingEvents,
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

  const feeds = new Map<Source, ReturnType<typeof countingSink>>(
    sources.map((each) => [each, countingSink(sink ?? pipeline)]),
  );
  const pendingEventsOf = (each: Source) => feeds.get(each)?.pendingEvents() ?? 0;
  const stats = (): BridgeStats => ({
    ingest: pipeline.stats(),
    sources: Object.fromEntries(
      sources.map((each) => [each.code, { ...each.status(), pendingEvents: pendingEventsOf(each) }]),
    ),
    spool: sink?.stats() ?? null,
  });
  const logStats = () => logger.info(stats(), 'ingest counters');
  const statsTimer = setInterval(logStats, options.statsLogIntervalMs ?? 60_000);
  statsTimer.unref();

  // The backlog in GET /api/v1/ingest/status: what each source holds that is not stored yet.
  const backlogTimer = setInterval(() => {
    for (const [each, feed] of feeds) {
      const info = feed.info();
      if (!info) continue;
      (sink ?? pipeline).setSourceStatus?.(info, {
        pendingEvents: feed.pendingEvents(),
        unackedMessages: each.status().unackedMessages ?? 0,
      });
    }
  }, BACKLOG_REPORT_INTERVAL_MS);
  backlogTimer.unref();

  for (const [each, feed] of feeds) each.start(feed.sink);
  logger.info(
    { topicPrefix, sourceCode, dataSourceId: dataSource?.id ?? null, offlineAfterSec, clientId },
    'bridge started',
  );

  let stopping: Promise<void> | null = null;
  return {
    ready: source.ready,
    stats,
    stop() {
      stopping ??= (async () => {
        clearInterval(statsTimer);
        clearInterval(backlogTimer);
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
