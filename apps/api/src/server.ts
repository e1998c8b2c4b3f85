// Starts the API on a port and stops it gracefully: stop accepting, let in-flight requests finish
// (bounded), then close the database pool and the broker connection.
import { createServer, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createPrismaClient } from '@takt/db';
import { createApp } from './app.ts';
import type { TApiEnv } from './env.ts';
import { startBrokerMonitor } from './health/broker-monitor.ts';

const SHUTDOWN_GRACE_MS = 10_000;

export type RunningApi = { port: number; logger: Logger; stop(): Promise<void> };

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export async function startApiServer(env: TApiEnv): Promise<RunningApi> {
  const logger = pino({ name: 'api', level: env.LOG_LEVEL });
  const prisma = createPrismaClient(env.DATABASE_URL);
  const broker = startBrokerMonitor(env.MQTT_URL);
  const app = createApp({
    prisma,
    logger,
    isBrokerConnected: broker.isConnected,
    databaseMode: env.TAKT_DATABASE_MODE,
    brokerMode: env.TAKT_BROKER_MODE,
    sessionPolicy: {
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_MIN * 60_000,
      absoluteTimeoutMs: env.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
    },
    isCookieSecure: env.COOKIE_SECURE,
    isBehindProxy: env.TRUST_PROXY,
    webDistDir: env.WEB_DIST_DIR,
  });
  const server = createServer(app);
  let port: number;
  try {
    port = await listen(server, env.PORT, env.HOST);
  } catch (error) {
    await Promise.allSettled([prisma.$disconnect(), broker.stop()]);
    throw error;
  }
  logger.info({ port, host: env.HOST }, 'API listening');

  return {
    port,
    logger,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(forced);
      await Promise.allSettled([prisma.$disconnect(), broker.stop()]);
      logger.info('API stopped');
    },
  };
}
