// Starts the API on a port and stops it gracefully: stop accepting, end the live streams cleanly (clients
// reconnect elsewhere with Last-Event-ID), let in-flight requests finish (bounded), then close the hub,
// the KPI rollup job, the database pool and the broker connection.
import { createServer, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createPrismaClient, listenForLiveEvents } from '@takt/db';
import { createApp } from './app.ts';
import type { TApiEnv } from './env.ts';
import { startBrokerMonitor } from './health/broker-monitor.ts';
import { startRollupJob } from './kpi-rollups/rollup-job.ts';
import { LiveEventHub } from './stream/live-event-hub.ts';

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
  const liveEvents = new LiveEventHub({
    prisma,
    logger: logger.child({ name: 'live-events' }),
    // The embedded database is a real PostgreSQL too: LISTEN in both modes.
    listen: (wake) =>
      listenForLiveEvents(env.DATABASE_URL, wake, (error) =>
        logger.warn({ err: error }, 'live-event LISTEN failed; polling only until it reconnects'),
      ),
  });
  try {
    await liveEvents.start();
  } catch (error) {
    await Promise.allSettled([prisma.$disconnect(), broker.stop()]);
    throw error;
  }
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
    liveEvents,
  });
  const server = createServer(app);
  let port: number;
  try {
    port = await listen(server, env.PORT, env.HOST);
  } catch (error) {
    await Promise.allSettled([liveEvents.close(), prisma.$disconnect(), broker.stop()]);
    throw error;
  }
  logger.info({ port, host: env.HOST }, 'API listening');
  const rollupJob = startRollupJob({ prisma, logger: logger.child({ name: 'kpi-rollups' }) });

  return {
    port,
    logger,
    async stop() {
      // Stop accepting first, then end the streams: they would otherwise hold the server open until the grace.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The rollup job finishes its current transaction meanwhile.
      const rollupJobStopped = rollupJob.stop();
      await liveEvents.close();
      server.closeIdleConnections();
      // Connections that finish their last response later are closed as they turn idle.
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(forced);
      await rollupJobStopped;
      await Promise.allSettled([prisma.$disconnect(), broker.stop()]);
      logger.info('API stopped');
    },
  };
}
