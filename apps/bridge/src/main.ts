// Entry point of the bridge as its own process (`npm start -w @takt/bridge`): load env, start, and stop
// cleanly on SIGINT/SIGTERM so that buffered events are written before exit.
import { ConfigError } from '@takt/contracts';
import { pino } from 'pino';
import { startBridge } from './bridge.ts';
import { loadBridgeEnv } from './env.ts';

function loadEnvOrExit() {
  try {
    return loadBridgeEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const env = loadEnvOrExit();
const logger = pino({ level: env.LOG_LEVEL });
const bridge = await startBridge({
  databaseUrl: env.DATABASE_URL,
  mqttUrl: env.MQTT_URL,
  topicPrefix: env.MQTT_UNS_PREFIX,
  offlineAfterSec: env.BRIDGE_OFFLINE_AFTER_SEC,
  dataDir: env.TAKT_DATA_DIR,
  spoolMaxBytes: env.BRIDGE_SPOOL_MAX_MB * 2 ** 20,
  maxPendingEvents: env.BRIDGE_MAX_PENDING_EVENTS,
  isWatchingUnheardMachines: env.BRIDGE_OFFLINE_UNHEARD,
  sparkplugHostId: env.SPARKPLUG_HOST_ID,
  logger,
});

// Last-resort guards: every subsystem handles its own errors; anything reaching here is a bug to log, and an
// unhandled rejection alone is no reason to stop ingesting.
process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));

let isShuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (isShuttingDown) return;
  isShuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // Should stopping hang (a broker or database gone mid-shutdown), do not hang with it.
  setTimeout(() => {
    logger.error('shutdown timed out');
    process.exit(1);
  }, 15_000).unref();
  await bridge.stop();
  process.exitCode = 0;
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
