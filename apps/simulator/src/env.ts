// Configuration of the simulator process (STYLE.md rule 10): the only module that reads process.env.
// The launcher (`npm start`) does not use this: it passes options to startSimulator() directly.
import { loadEnv, ZLogLevel, ZMqttUrl, ZPostgresUrl, ZUnsTopicPrefix } from '@takt/contracts';
import { z } from 'zod';

export const ZSimulatorEnv = z.object({
  /** The simulator reads the plant (machines, products, reasons) from this database at start. */
  DATABASE_URL: ZPostgresUrl,
  MQTT_URL: ZMqttUrl,
  MQTT_UNS_PREFIX: ZUnsTopicPrefix.default('takt'),
  /** Same seed + same plant = same behaviour. */
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  /** How many times faster than real time stops and runs pass (cycle times stay real). */
  SIMULATOR_SPEED: z.coerce.number().positive().max(100_000).default(1),
  LOG_LEVEL: ZLogLevel.default('info'),
});
export type TSimulatorEnv = z.infer<typeof ZSimulatorEnv>;

export function loadSimulatorEnv(source: Record<string, string | undefined> = process.env): TSimulatorEnv {
  return loadEnv(ZSimulatorEnv, source);
}
