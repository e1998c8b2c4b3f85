// API configuration: the only module of apps/api that reads process.env.
import { z } from 'zod';
import { loadEnv, ZLogLevel, ZMqttUrl, ZPort, ZPostgresUrl } from '@takt/contracts';

const ZBooleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const ZApiEnv = z.object({
  DATABASE_URL: ZPostgresUrl,
  MQTT_URL: ZMqttUrl,
  HOST: z.string().default('127.0.0.1'),
  PORT: ZPort.default(3000),
  LOG_LEVEL: ZLogLevel.default('info'),
  /** Set by the launcher: whether the database and broker are the embedded ones (shown by /health). */
  TAKT_DATABASE_MODE: z.enum(['embedded', 'external']).default('external'),
  TAKT_BROKER_MODE: z.enum(['embedded', 'external']).default('external'),
  /** Directory of the built SPA; empty disables serving it (API only). */
  WEB_DIST_DIR: z.string().optional(),
  COOKIE_SECURE: ZBooleanFlag.default(false),
  TRUST_PROXY: ZBooleanFlag.default(false),
  SESSION_IDLE_TIMEOUT_MIN: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_TIMEOUT_HOURS: z.coerce.number().int().positive().default(12),
});
export type TApiEnv = z.infer<typeof ZApiEnv>;

export function loadApiEnv(source: Record<string, string | undefined> = process.env): TApiEnv {
  return loadEnv(ZApiEnv, source);
}
