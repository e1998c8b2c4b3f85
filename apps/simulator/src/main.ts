// Entry point of the simulator as its own process (`npm start -w @takt/simulator`): load env, start, and
// stop cleanly on SIGINT/SIGTERM (last counts and OFFLINE states are published before exit).
import { ConfigError } from '@takt/contracts';
import { pino } from 'pino';
import { loadSimulatorEnv } from './env.ts';
import { startSimulator } from './simulator.ts';

function loadEnvOrExit() {
  try {
    return loadSimulatorEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const env = loadEnvOrExit();
const logger = pino({ level: env.LOG_LEVEL });
const simulator = await startSimulator({
  databaseUrl: env.DATABASE_URL,
  mqttUrl: env.MQTT_URL,
  topicPrefix: env.MQTT_UNS_PREFIX,
  seed: env.SIMULATOR_SEED,
  speed: env.SIMULATOR_SPEED,
  protocols: env.SIMULATOR_PROTOCOLS,
  opcuaPort: env.SIMULATOR_OPCUA_PORT,
  sparkplugGroupId: env.SIMULATOR_SPARKPLUG_GROUP,
  dataDir: env.TAKT_DATA_DIR,
  logger,
});

process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));

let isShuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (isShuttingDown) return;
  isShuttingDown = true;
  logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    logger.error('shutdown timed out');
    process.exit(1);
  }, 10_000).unref();
  await simulator.stop();
  process.exitCode = 0;
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
