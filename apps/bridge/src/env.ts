// Configuration of the bridge process (docs/conventions.md rule 11): the only module that reads process.env.
// The launcher (`npm start`) does not use this: it passes options to startBridge() directly.
import { loadEnv, ZLogLevel, ZMqttUrl, ZPostgresUrl, ZSparkplugHostId, ZUnsTopicPrefix } from '@takt/contracts';
import { z } from 'zod';
import { SPARKPLUG_DEFAULT_HOST_ID } from './sources/sparkplug.source.ts';

export const ZBridgeEnv = z.object({
  DATABASE_URL: ZPostgresUrl,
  MQTT_URL: ZMqttUrl,
  MQTT_UNS_PREFIX: ZUnsTopicPrefix.default('takt'),
  LOG_LEVEL: ZLogLevel.default('info'),
  /** A machine silent for this long is put OFFLINE (docs/domain.md "Machine states": heartbeat lost). */
  BRIDGE_OFFLINE_AFTER_SEC: z.coerce.number().positive().max(86_400).default(60),
  /** Also put machines OFFLINE that were never heard from since the bridge started (and nobody else feeds). */
  BRIDGE_OFFLINE_UNHEARD: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  /** Where the bridge keeps its files: the spool (`spool/`), the OPC UA client PKI (`pki/`), the MQTT client id. */
  TAKT_DATA_DIR: z.string().min(1).default('data'),
  /** Most unreplayed events kept on disk while PostgreSQL is unreachable, in MiB; beyond it new events are refused. */
  BRIDGE_SPOOL_MAX_MB: z.coerce.number().positive().max(1_048_576).default(256),
  /**
   * Events received and not yet committed, and MQTT messages not yet acknowledged; at this bound the MQTT sources
   * stop reading (QoS 1 messages wait at the broker) until half of them are stored. Bounds the bridge's memory when
   * messages come faster than it commits.
   */
  BRIDGE_MAX_PENDING_EVENTS: z.coerce.number().int().min(100).max(10_000_000).default(40_000),
  /**
   * Sparkplug B host application id: the bridge publishes its STATE on `spBv1.0/STATE/{id}`, which edge nodes
   * configured with it as their primary host wait for. A data source's `config.hostApplicationId` overrides it.
   */
  SPARKPLUG_HOST_ID: ZSparkplugHostId.default(SPARKPLUG_DEFAULT_HOST_ID),
  /**
   * MQTT client id of the bridge's persistent session (mqtt-client-id.store.ts); unset: `takt-bridge-<random>`
   * kept in TAKT_DATA_DIR. MQTT 3.1.1 §3.1.3.1 allows letters and digits; brokers accept more (e.g. `-`).
   */
  BRIDGE_MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and . _ : - only, at most 128')
    .optional(),
});
export type TBridgeEnv = z.infer<typeof ZBridgeEnv>;

export function loadBridgeEnv(source: Record<string, string | undefined> = process.env): TBridgeEnv {
  return loadEnv(ZBridgeEnv, source);
}
