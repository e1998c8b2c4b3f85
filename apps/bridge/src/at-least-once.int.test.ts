// At least once, in process and fast (the kill -9 scenarios are in src/faults): a message is acknowledged to the
// broker only once its event is stored. Regression: messages were acknowledged on receipt, so a bridge that lost
// its connection (or died) with events not yet written lost them — the broker had nothing left to redeliver.
import { randomBytes } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge } from './bridge.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { startDatabaseProxy, startTcpProxy, type TcpProxy } from './testing/tcp-proxy.fixture.ts';
import { createTestPlant, type TestPlant } from './testing/test-plant.fixture.ts';

const MOSQUITTO = { host: '127.0.0.1', port: 1883 };
const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
// Below Mosquitto's default in-flight window (20): all of them reach the bridge unacknowledged.
const MESSAGES = 15;
const randomId = () => randomBytes(4).toString('hex');

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('at least once over $brokerName', { timeout: 40_000 }, ({ isEmbedded }) => {
  const prefix = `takt-test-alo-${randomId()}`;
  const clientId = `takt-bridge-alo-${randomId()}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let embedded: EmbeddedBroker | null = null;
  let brokerUrl: string;
  let databaseProxy: TcpProxy;
  let brokerProxy: TcpProxy;
  let proxiedPrisma: PrismaClient;

  const storedGood = async () =>
    (await db.prisma.productionCount.aggregate({ _sum: { goodCount: true } }))._sum.goodCount ?? 0;

  beforeAll(async () => {
    db = await createTestDatabase('bridge_at_least_once');
    plant = await createTestPlant(db.prisma, { topicPrefix: prefix, machineCodes: ['press1'] });
    if (isEmbedded) embedded = await startEmbeddedBroker();
    brokerUrl = embedded?.url ?? `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`;
    databaseProxy = await startDatabaseProxy(db.url);
    brokerProxy = await startTcpProxy(embedded ? { host: '127.0.0.1', port: embedded.port } : MOSQUITTO);
    proxiedPrisma = createPrismaClient(databaseProxy.urlThrough(db.url), { maxConnections: 2 });
  });

  afterAll(async () => {
    const cleaner = await connectAsync(brokerUrl, { clientId, clean: true, reconnectPeriod: 0 });
    await cleaner.endAsync();
    await proxiedPrisma?.$disconnect();
    await databaseProxy?.close();
    await brokerProxy?.close();
    await embedded?.stop();
    await db?.drop();
  });

  it('regression: keeps reading but acknowledges nothing unstored; a lost connection gets it all redelivered', async () => {
    const bridgeOptions = {
      mqttUrl: `mqtt://127.0.0.1:${brokerProxy.port}`,
      topicPrefix: prefix,
      clientId,
      offlineAfterSec: null,
      statusIntervalMs: 60_000,
      logger,
    };
    const first = await startBridge({ prisma: proxiedPrisma, ...bridgeOptions });
    await first.ready;
    databaseProxy.cut();
    const publisher = await connectAsync(brokerUrl, { clientId: `takt-test-alo-pub-${randomId()}`, clean: true });
    for (let i = 0; i < MESSAGES; i += 1) {
      await publisher.publishAsync(
        `${prefix}/${plant.pathOf('press1')}/count`,
        JSON.stringify({ good: 1, timestamp_ms: T0 + i * 1_000 }),
        { qos: 1 },
      );
    }
    await publisher.endAsync();
    const source = () => Object.values(first.stats().sources)[0];
    // Every message was read while none could be stored, and none was acknowledged.
    await expect.poll(() => first.stats().ingest.sources['test-uns']?.messages, { timeout: 5_000 }).toBe(MESSAGES);
    expect(source()).toMatchObject({ unackedMessages: MESSAGES, pendingEvents: MESSAGES });

    // The connection dies as with a crash (no DISCONNECT); this bridge can no longer acknowledge anything.
    brokerProxy.cut();
    await first.stop();
    brokerProxy.restore();
    databaseProxy.restore();

    const second = await startBridge({ prisma: db.prisma, ...bridgeOptions });
    try {
      await expect.poll(storedGood, { timeout: 15_000, interval: 100 }).toBe(MESSAGES);
      expect(await db.prisma.ingestEventKey.count()).toBe(MESSAGES);
      await expect.poll(() => Object.values(second.stats().sources)[0]?.unackedMessages, { timeout: 5_000 }).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
