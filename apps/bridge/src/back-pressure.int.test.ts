// Back-pressure end to end: a publisher floods Mosquitto faster than the bridge can commit (PostgreSQL behind a
// proxy that holds every request back), and the bridge holds no more than its bound of received-but-uncommitted
// events: it stops reading and acknowledging, the broker keeps the QoS 1 messages, and every event is still stored
// exactly once.
import { randomBytes } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './bridge.ts';
import { startDatabaseProxy, type TcpProxy } from './testing/tcp-proxy.fixture.ts';
import { createTestPlant, type TestPlant } from './testing/test-plant.fixture.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const MOSQUITTO_URL = loadTestServersEnv().TEST_MQTT_URL;
const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
// Below Mosquitto's max_queued_messages (1,000 per client): beyond that the broker itself would drop messages
// for a subscriber that does not keep up, which is the broker's policy and not what this test is about.
const MESSAGES = 900;
const MAX_PENDING_EVENTS = 60;

const randomId = () => randomBytes(4).toString('hex');

describe('bridge back-pressure over Mosquitto', { timeout: 60_000 }, () => {
  const prefix = `takt-test-bp-${randomId()}`;
  const clientId = `takt-bridge-bp-${randomId()}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let proxy: TcpProxy;
  let slowPrisma: PrismaClient;
  let bridge: Bridge;
  let publisher: MqttClient;

  beforeAll(async () => {
    db = await createTestDatabase('bridge_back_pressure');
    plant = await createTestPlant(db.prisma, { topicPrefix: prefix, machineCodes: ['press1', 'press2'] });
    // Every round trip to PostgreSQL takes ≥ 4 ms more: a transaction of a few statements, tens of milliseconds.
    proxy = await startDatabaseProxy(db.url, { delayMs: 4 });
    slowPrisma = createPrismaClient(proxy.urlThrough(db.url), { maxConnections: 2 });
    bridge = await startBridge({
      prisma: slowPrisma,
      mqttUrl: MOSQUITTO_URL,
      topicPrefix: prefix,
      clientId,
      offlineAfterSec: null,
      statusIntervalMs: 60_000,
      maxBatchEvents: 20,
      maxBatchDelayMs: 5,
      maxPendingEvents: MAX_PENDING_EVENTS,
      logger,
    });
    await bridge.ready;
    publisher = await connectAsync(MOSQUITTO_URL, { clientId: `takt-test-flood-${randomId()}`, clean: true });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await bridge?.stop();
    const cleaner = await connectAsync(MOSQUITTO_URL, { clientId, clean: true, reconnectPeriod: 0 });
    await cleaner.endAsync();
    await slowPrisma?.$disconnect();
    await proxy?.close();
    await db?.drop();
  });

  it('holds at most its bound of uncommitted events under a flood and stores every event once', async () => {
    const machines = ['press1', 'press2'];
    await Promise.all(
      Array.from({ length: MESSAGES }, (_, i) =>
        publisher.publishAsync(
          `${prefix}/${plant.pathOf(machines[i % 2] ?? 'press1')}/count`,
          JSON.stringify({ good: 1, timestamp_ms: T0 + i }),
          { qos: 1 },
        ),
      ),
    );
    const storedGood = async () =>
      (await db.prisma.productionCount.aggregate({ _sum: { goodCount: true } }))._sum.goodCount ?? 0;
    await expect.poll(storedGood, { timeout: 45_000, interval: 100 }).toBe(MESSAGES);

    const { ingest } = bridge.stats();
    // Back-pressure engaged, and the bound held: nothing was refused for want of room.
    expect(ingest.pauses).toBeGreaterThan(0);
    expect(ingest.peakPending).toBeLessThanOrEqual(MAX_PENDING_EVENTS);
    expect(ingest.dropped).toBe(0);
    // Exactly once: one key per event, one count per event, nothing dead-lettered.
    expect(await db.prisma.ingestEventKey.count()).toBe(MESSAGES);
    expect(await db.prisma.deadLetter.count()).toBe(0);
    const perMachine = await db.prisma.productionCount.groupBy({ by: ['machineId'], _sum: { goodCount: true } });
    expect(perMachine.map((row) => row._sum.goodCount).sort()).toEqual([MESSAGES / 2, MESSAGES / 2]);
  });
});
