// Configuration of the simulator process (docs/conventions.md rule 11): the only module that reads process.env.
// The launcher (`npm start`) does not use this: it passes options to startSimulator() directly.
import { loadEnv, ZLogLevel, ZMqttUrl, ZPostgresUrl, ZUnsTopicPrefix } from '@takt/contracts';
import { z } from 'zod';

/** What the simulator speaks: UNS JSON over MQTT, Sparkplug B over MQTT, an OPC UA server. */
export const SIMULATOR_PROTOCOLS = ['uns', 'sparkplug', 'opcua'] as const;
export type SimulatorProtocol = (typeof SIMULATOR_PROTOCOLS)[number];

export const ZSimulatorEnv = z.object({
  /** The simulator reads the plant (machines, products, reasons, shift calendars) from this database at start. */
  DATABASE_URL: ZPostgresUrl,
  MQTT_URL: ZMqttUrl,
  MQTT_UNS_PREFIX: ZUnsTopicPrefix.default('takt'),
  /** Same seed + same plant = same behaviour. */
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  /** How many times faster than real time stops and runs pass (cycle times and shifts stay real). */
  SIMULATOR_SPEED: z.coerce.number().positive().max(100_000).default(1),
  LOG_LEVEL: ZLogLevel.default('info'),
  /** Comma-separated subset of `uns,sparkplug,opcua`. */
  SIMULATOR_PROTOCOLS: z
    .string()
    .default(SIMULATOR_PROTOCOLS.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(z.enum(SIMULATOR_PROTOCOLS)).min(1)),
  /** Port of the OPC UA server (0: chosen by the OS). */
  SIMULATOR_OPCUA_PORT: z.coerce.number().int().min(0).max(65_535).default(4841),
  /** Sparkplug B group_id the simulated edge node publishes in. */
  SIMULATOR_SPARKPLUG_GROUP: z
    .string()
    .regex(/^[^/+#]+$/, 'no /, + or #')
    .default('takt'),
  /** Where the OPC UA server keeps its PKI (`pki/simulator-opcua`). */
  TAKT_DATA_DIR: z.string().default('data'),
});
export type TSimulatorEnv = z.infer<typeof ZSimulatorEnv>;

export function loadSimulatorEnv(source: Record<string, string | undefined> = process.env): TSimulatorEnv {
  return loadEnv(ZSimulatorEnv, source);
}
