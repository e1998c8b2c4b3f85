// The API process: load configuration, start, stop on SIGINT/SIGTERM.
import { runMain } from '@takt/runtime';
import { loadApiEnv } from './env.ts';
import { startApiServer } from './server.ts';

await runMain('api', async () => startApiServer(loadApiEnv()));
