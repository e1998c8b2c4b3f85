// Entry point of the simulator as its own process (`npm start -w @takt/simulator`): load env, start, and
// stop cleanly on SIGINT/SIGTERM (runMain): last counts and OFFLINE states are published before exit.
import { runMain } from '@takt/runtime';
import { pino } from 'pino';
import { loadSimulatorEnv } from './env.ts';
import { startSimulator } from './simulator.ts';

await runMain('simulator', async () => {
  const env = loadSimulatorEnv();
  const logger = pino({ level: env.LOG_LEVEL });
  process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));
  return startSimulator({
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
});
