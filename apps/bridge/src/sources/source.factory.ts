// Makes the Source for a connection's configuration (docs/conventions.md rule 7: one implementation per protocol
// behind a factory): UNS JSON and Sparkplug B over MQTT, OPC UA.
import path from 'node:path';
import { ZMqttSparkplugConfig, ZOpcUaConfig } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import { loadOpcUaMappings } from './opcua.mapping.ts';
import { createOpcUaSource, type OpcUaSourceOptions } from './opcua.source.ts';
import type { Source } from './source.ts';
import { loadSparkplugMappings } from './sparkplug.mapping.ts';
import { createSparkplugSource, type SparkplugSourceOptions } from './sparkplug.source.ts';
import { createUnsJsonSource, type UnsJsonSourceOptions } from './uns-json.source.ts';

export type SourceConfig =
  | ({ kind: 'MQTT_JSON' } & UnsJsonSourceOptions)
  | ({ kind: 'MQTT_SPARKPLUG' } & SparkplugSourceOptions)
  | ({ kind: 'OPCUA' } & OpcUaSourceOptions);

/** The Source of a connection's configuration. */
export function createSource(config: SourceConfig): Source {
  switch (config.kind) {
    case 'MQTT_JSON':
      return createUnsJsonSource(config);
    case 'MQTT_SPARKPLUG':
      return createSparkplugSource(config);
    case 'OPCUA':
      return createOpcUaSource(config);
  }
}

export type ConfiguredSourcesOptions = {
  prisma: PrismaClient;
  logger: Logger;
  /** The broker Takt is configured with, for MQTT data sources that name none. */
  mqttUrl: string;
  /** TAKT_DATA_DIR: the OPC UA client PKI goes to `{dataDir}/pki/bridge-opcua`. */
  dataDir: string;
  /** Prefix of the MQTT client ids (stable per bridge, as the persistent sessions need). */
  clientIdPrefix: string;
  /** SPARKPLUG_HOST_ID: the host id of Sparkplug B data sources whose config names none. */
  sparkplugHostId: string;
  /** Most MQTT messages received and not yet stored (acknowledged), per source. */
  maxUnackedMessages?: number;
};

/**
 * The Sparkplug B and OPC UA sources of the enabled data_source rows, with their signal mappings. A row whose
 * config is invalid is skipped with an error log (the admin API validates configs; this guards old rows), and so
 * is a Sparkplug B row whose host id another one uses on the same broker: each host application needs its own
 * (tck-id-operational-behavior-host-application-host-id), else one's death would announce the other offline.
 */
export async function createConfiguredSources(options: ConfiguredSourcesOptions): Promise<Source[]> {
  const { prisma, mqttUrl, dataDir, clientIdPrefix } = options;
  const logger = options.logger.child({ name: 'bridge.sources' });
  const sources: Source[] = [];
  try {
    await addConfiguredSources(sources);
  } catch (error) {
    // The database may be down at start: the UNS source (and the spool) still run; a restart picks these up.
    logger.error(
      { error: error instanceof Error ? error.message : String(error) },
      'cannot read the data sources: Sparkplug B and OPC UA sources not started',
    );
  }
  return sources;

  async function addConfiguredSources(sources: Source[]): Promise<void> {
    const sparkplugHosts = new Map<string, string>();
    const rows = await prisma.dataSource.findMany({
      where: { isEnabled: true, kind: { in: ['MQTT_SPARKPLUG', 'OPCUA'] } },
      select: { id: true, code: true, kind: true, config: true },
      orderBy: { code: 'asc' },
    });
    for (const row of rows) {
      const sourceLogger = options.logger.child({ dataSource: row.code });
      if (row.kind === 'MQTT_SPARKPLUG') {
        const config = ZMqttSparkplugConfig.safeParse(row.config);
        if (!config.success) {
          logger.error({ dataSource: row.code, error: config.error.message }, 'invalid Sparkplug B config: skipped');
          continue;
        }
        const brokerUrl = config.data.brokerUrl ?? mqttUrl;
        const hostId = config.data.hostApplicationId ?? options.sparkplugHostId;
        const hostKey = `${brokerUrl}\n${hostId}`;
        const sameHost = sparkplugHosts.get(hostKey);
        if (sameHost !== undefined) {
          logger.error(
            { dataSource: row.code, hostId, sameAs: sameHost },
            'Sparkplug B host id already used on this broker by another data source: skipped (set config.hostApplicationId)',
          );
          continue;
        }
        sparkplugHosts.set(hostKey, row.code);
        sources.push(
          createSource({
            kind: 'MQTT_SPARKPLUG',
            code: row.code,
            dataSourceId: row.id,
            mqttUrl: brokerUrl,
            groupId: config.data.groupId,
            hostId,
            ...(config.data.edgeNodeId === undefined ? {} : { edgeNodeId: config.data.edgeNodeId }),
            clientId: `${clientIdPrefix}-sparkplug-${row.code}`,
            ...(options.maxUnackedMessages === undefined ? {} : { maxUnackedMessages: options.maxUnackedMessages }),
            mappings: await loadSparkplugMappings(prisma, row.id),
            logger: sourceLogger,
          }),
        );
      } else {
        const config = ZOpcUaConfig.safeParse(row.config);
        if (!config.success) {
          logger.error({ dataSource: row.code, error: config.error.message }, 'invalid OPC UA config: skipped');
          continue;
        }
        const nodes = await loadOpcUaMappings(prisma, row.id);
        if (nodes.length === 0) {
          logger.warn({ dataSource: row.code }, 'OPC UA data source without signal mappings: nothing to monitor');
          continue;
        }
        sources.push(
          createSource({
            kind: 'OPCUA',
            code: row.code,
            dataSourceId: row.id,
            endpointUrl: config.data.endpointUrl,
            securityMode: config.data.securityMode,
            ...(config.data.securityPolicy === undefined ? {} : { securityPolicy: config.data.securityPolicy }),
            samplingIntervalMs: config.data.samplingIntervalMs,
            nodes,
            pkiDir: path.join(dataDir, 'pki', 'bridge-opcua'),
            logger: sourceLogger,
          }),
        );
      }
    }
  }
}
