// Builds the real app over a fresh test database and the real local broker, for supertest.
import { pino } from 'pino';
import { hashPassword } from '@takt/auth';
import type { TRole } from '@takt/contracts';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { loadTestServersEnv } from '@takt/runtime/testing';
import { createApp, type AppOptions } from '../app.ts';
import { startBrokerMonitor, type BrokerMonitor } from '../health/broker-monitor.ts';

export const LOCAL_BROKER_URL = loadTestServersEnv().TEST_MQTT_URL;

export type TestApp = {
  app: ReturnType<typeof createApp>;
  options: AppOptions;
  db: TestDatabase;
  broker: BrokerMonitor;
  close(): Promise<void>;
};

export type TestAppOptions = { brokerUrl?: string; app?: Partial<AppOptions> };

export async function createTestApp(label: string, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const broker = startBrokerMonitor(options.brokerUrl ?? LOCAL_BROKER_URL);
  const appOptions: AppOptions = {
    prisma: db.prisma,
    logger: pino({ level: 'silent' }),
    isBrokerConnected: broker.isConnected,
    databaseMode: 'external',
    brokerMode: 'external',
    sessionPolicy: { idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 12 * 3_600_000 },
    isCookieSecure: false,
    isBehindProxy: false,
    ...options.app,
  };
  const app = createApp(appOptions);
  return {
    app,
    options: appOptions,
    db,
    broker,
    async close() {
      await broker.stop();
      await db.drop();
    },
  };
}

export async function createUser(
  db: TestDatabase,
  user: { username: string; password: string; role: TRole; isDisabled?: boolean },
): Promise<string> {
  const row = await db.prisma.user.create({
    data: {
      username: user.username,
      displayName: `${user.username} (test)`,
      passwordHash: await hashPassword(user.password),
      role: user.role,
      disabledAt: user.isDisabled === true ? new Date() : null,
    },
  });
  return row.id;
}

/** Waits until the broker monitor has connected (MQTT CONNACK), bounded. */
export async function waitForBroker(broker: BrokerMonitor, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!broker.isConnected() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
