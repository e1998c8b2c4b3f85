// Configuration of `npm start` (the launcher). The apps it starts validate their own variables too;
// this schema holds what the launcher itself decides: which peers to embed and what to start.
import path from 'node:path';
import { z } from 'zod';
import { loadEnv, ZLogLevel, ZMqttUrl, ZPort, ZPostgresUrl } from '@takt/contracts';

const ZBooleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const ZLauncherEnv = z.object({
  DATABASE_URL: ZPostgresUrl.optional(),
  MQTT_URL: ZMqttUrl.optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: ZPort.default(3000),
  TAKT_DATA_DIR: z.string().default(path.resolve('data')),
  EMBEDDED_DB_PORT: ZPort.default(54329),
  EMBEDDED_MQTT_PORT: ZPort.default(18830),
  LOG_LEVEL: ZLogLevel.default('info'),
  SEED_DEMO_DATA: ZBooleanFlag.default(true),
  BRIDGE_ENABLED: ZBooleanFlag.default(true),
  SIMULATOR_ENABLED: ZBooleanFlag.default(true),
});
export type TLauncherEnv = z.infer<typeof ZLauncherEnv>;

export function loadLauncherEnv(source: Record<string, string | undefined> = process.env): TLauncherEnv {
  return loadEnv(ZLauncherEnv, source);
}

/** The variables passed on to the apps: everything the launcher was given (process.env is read here only). */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
