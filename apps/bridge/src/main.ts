// Entry point of the bridge as its own process (`npm start -w @takt/bridge`): load env, start, and stop
// cleanly on SIGINT/SIGTERM (runMain) so that buffered events are written and acknowledged before exit.
import { runMain } from '@takt/runtime';
import { pino } from 'pino';
import { startBridge } from './bridge.ts';
import { loadBridgeEnv } from './env.ts';

await runMain('bridge', async () => {
  const env = loadBridgeEnv();
  const logger = pino({ level: env.LOG_LEVEL });
  // Last-resort guard: every subsystem handles its own errors; anything reaching here is a bug to log, and an
  // unhandled rejection alone is no reason to stop ingesting.
  process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));
  return startBridge({
    databaseUrl: env.DATABASE_URL,
    mqttUrl: env.MQTT_URL,
    topicPrefix: env.MQTT_UNS_PREFIX,
    offlineAfterSec: env.BRIDGE_OFFLINE_AFTER_SEC,
    dataDir: env.TAKT_DATA_DIR,
    spoolMaxBytes: env.BRIDGE_SPOOL_MAX_MB * 2 ** 20,
    maxPendingEvents: env.BRIDGE_MAX_PENDING_EVENTS,
    isWatchingUnheardMachines: env.BRIDGE_OFFLINE_UNHEARD,
    sparkplugHostId: env.SPARKPLUG_HOST_ID,
    ...(env.BRIDGE_MQTT_CLIENT_ID === undefined ? {} : { clientId: env.BRIDGE_MQTT_CLIENT_ID }),
    logger,
  });
});
