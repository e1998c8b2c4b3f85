// The bridge end to end against real peers: PostgreSQL (a fresh database) and a real broker, both the
// Mosquitto of this machine and the embedded aedes broker that `npm start` uses.
import { randomBytes } from 'node:crypto';
import { TAKT_EVENTS_CHANNEL, ZTaktEventsNotification, type TTaktEventsNotification } from '@takt/contracts';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './bridge.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { SILENCE_SOURCE_CODE } from '@takt/ingest';
import { createTestPlant, type TestPlant } from './testing/test-plant.fixture.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const MOSQUITTO_URL = loadTestServersEnv().TEST_MQTT_URL;
const POLL = { timeout: 5_000, interval: 25 };
const logger = pino({ level: 'silent' });
// Ten minutes ago, on a minute boundary: every timestamp below is exact, in the past and bucketed predictably.
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

const randomId = () => randomBytes(4).toString('hex');

/** Ends the persistent session a test bridge left on the broker (MQTT 3.1.1 §3.1.2.4: CleanSession = 1). */
async function discardSession(mqttUrl: string, clientId: string): Promise<void> {
  const client = await connectAsync(mqttUrl, { clientId, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('bridge over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const prefix = `takt-test-${randomId()}`;
  const clientId = `takt-bridge-test-${randomId()}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let broker: EmbeddedBroker | null = null;
  let mqttUrl: string;
  let bridge: Bridge;
  let publisher: MqttClient;
  let listener: pg.Client;
  const notifications: TTaktEventsNotification[] = [];

  const machineId = (code: string) => plant.machineIdByCode.get(code) ?? '';
  const publish = (topic: string, payload: string | Buffer | object) =>
    publisher.publishAsync(
      topic,
      typeof payload === 'object' && !Buffer.isBuffer(payload) ? JSON.stringify(payload) : payload,
      { qos: 1 },
    );
  const stateTopic = (code: string) => `${prefix}/${plant.pathOf(code)}/state`;
  const countTopic = (code: string) => `${prefix}/${plant.pathOf(code)}/count`;
  const intervalsOf = (code: string) =>
    db.prisma.machineStateInterval.findMany({ where: { machineId: machineId(code) }, orderBy: { startedAt: 'asc' } });
  const summarise = (rows: Awaited<ReturnType<typeof intervalsOf>>) =>
    rows.map((row) => ({
      state: row.state,
      from: row.startedAt.getTime() - T0,
      to: row.endedAt === null ? null : row.endedAt.getTime() - T0,
    }));

  beforeAll(async () => {
    db = await createTestDatabase('bridge');
    plant = await createTestPlant(db.prisma, {
      topicPrefix: prefix,
      machineCodes: ['press1', 'press2', 'press3', 'press4', 'press5'],
    });
    if (isEmbedded) broker = await startEmbeddedBroker();
    mqttUrl = broker?.url ?? MOSQUITTO_URL;
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => {
      if (message.channel === TAKT_EVENTS_CHANNEL && message.payload)
        notifications.push(ZTaktEventsNotification.parse(JSON.parse(message.payload)));
    });
    await listener.query(`LISTEN ${TAKT_EVENTS_CHANNEL}`);
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl,
      topicPrefix: prefix,
      clientId,
      offlineAfterSec: null,
      maxBatchDelayMs: 50,
      logger,
    });
    await bridge.ready;
    publisher = await connectAsync(mqttUrl, { clientId: `takt-test-publisher-${randomId()}`, clean: true });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await bridge?.stop();
    if (mqttUrl) await discardSession(mqttUrl, clientId).catch(() => {});
    await listener?.end();
    await broker?.stop();
    await db?.drop();
  });

  it('closes and opens state intervals at the exact event times, ignoring a repeated state', async () => {
    await publish(stateTopic('press1'), { state: 'PRODUCING', timestamp_ms: T0, product: plant.productCode });
    await publish(stateTopic('press1'), { state: 'DOWN', timestamp_ms: T0 + 60_123, reason: plant.reasonCode });
    await publish(stateTopic('press1'), { state: 'DOWN', timestamp_ms: T0 + 70_000, reason: plant.reasonCode });
    await publish(stateTopic('press1'), { state: 6, timestamp_ms: T0 + 180_007 }); // PackML Execute

    await expect
      .poll(async () => summarise(await intervalsOf('press1')), POLL)
      .toEqual([
        { state: 'PRODUCING', from: 0, to: 60_123 },
        { state: 'DOWN', from: 60_123, to: 180_007 },
        { state: 'PRODUCING', from: 180_007, to: null },
      ]);
    const rows = await intervalsOf('press1');
    expect(rows.map((row) => [row.productId, row.reasonId, row.sourceCode])).toEqual([
      [plant.productId, null, null],
      [plant.productId, plant.reasonId, null],
      [plant.productId, null, 'packml:6'], // the product carries over when a message names none
    ]);
    await expect
      .poll(
        () =>
          notifications
            .flatMap((n) => n.states)
            .filter((s) => s.machineId === machineId('press1'))
            .at(-1),
        POLL,
      )
      .toEqual({
        machineId: machineId('press1'),
        state: 'PRODUCING',
        startedAtMs: T0 + 180_007,
        reasonId: null,
        productId: plant.productId,
      });
  });

  it('puts a late state event in its place, splitting the interval that contains it', async () => {
    await publish(stateTopic('press1'), { state: 'IDLE', timestamp_ms: T0 + 1_000 });
    await expect
      .poll(async () => summarise(await intervalsOf('press1')), POLL)
      .toEqual([
        { state: 'PRODUCING', from: 0, to: 1_000 },
        { state: 'IDLE', from: 1_000, to: 60_123 },
        { state: 'DOWN', from: 60_123, to: 180_007 },
        { state: 'PRODUCING', from: 180_007, to: null },
      ]);
    // The late event names no product: it keeps the one in effect at its time.
    expect((await intervalsOf('press1'))[1]?.productId).toBe(plant.productId);
    // The same message again is a duplicate and changes nothing.
    await publish(stateTopic('press1'), { state: 'IDLE', timestamp_ms: T0 + 1_000 });
    await expect.poll(() => bridge.stats().ingest.sources['test-uns']?.duplicates, POLL).toBeGreaterThanOrEqual(1);
    expect(await intervalsOf('press1')).toHaveLength(4);
  });

  it('sums count deltas into 60 s buckets by product, across batches', async () => {
    await publish(stateTopic('press2'), { state: 'PRODUCING', timestamp_ms: T0 - 5_000, product: plant.productCode });
    await publish(countTopic('press2'), { good: 5, timestamp_ms: T0 + 1_000 });
    await publish(countTopic('press2'), { good: 3, reject: 1, timestamp_ms: T0 + 59_999 });
    await publish(countTopic('press2'), { good: 0, timestamp_ms: T0 + 59_999 }); // heartbeat only
    const buckets = () =>
      db.prisma.productionCount.findMany({
        where: { machineId: machineId('press2') },
        orderBy: { bucketStart: 'asc' },
      });
    const summariseBuckets = async () =>
      (await buckets()).map((b) => ({
        from: b.bucketStart.getTime() - T0,
        sec: b.bucketSec,
        good: b.goodCount,
        reject: b.rejectCount,
        productId: b.productId,
      }));
    await expect
      .poll(summariseBuckets, POLL)
      .toEqual([{ from: 0, sec: 60, good: 8, reject: 1, productId: plant.productId }]);

    // A later batch adds to the existing bucket (update path) and opens the next one (UMH count/scrap shape).
    await publish(countTopic('press2'), { good: 2, timestamp_ms: T0 + 30_000 });
    await publish(countTopic('press2'), { count: 4, scrap: 1, timestamp_ms: T0 + 60_000 });
    await expect.poll(summariseBuckets, POLL).toEqual([
      { from: 0, sec: 60, good: 10, reject: 1, productId: plant.productId },
      { from: 60_000, sec: 60, good: 3, reject: 1, productId: plant.productId },
    ]);
  });

  it('dead-letters malformed input with its reason and keeps working', async () => {
    const huge = `{"junk":"${'x'.repeat(10_000)}`;
    await publish(stateTopic('press3'), '{"state":');
    await publish(stateTopic('press3'), { state: 'RUNNING', timestamp_ms: T0 });
    await publish(countTopic('press3'), { good: -1, timestamp_ms: T0 });
    await publish(`${prefix}/plant1/assembly/line1/nosuchmachine/state`, { state: 'IDLE', timestamp_ms: T0 });
    await publish(`${prefix}/plant1/assembly/press3/state`, { state: 'IDLE', timestamp_ms: T0 });
    await publish(stateTopic('press3'), Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef]));
    await publish(stateTopic('press3'), huge);
    await publish(stateTopic('press3'), { state: 'DOWN', timestamp_ms: T0, reason: 'NO-SUCH-REASON' });
    await publish(stateTopic('press3'), { state: 'PRODUCING', timestamp_ms: T0 + 5_000, product: plant.productCode });

    await expect
      .poll(async () => summarise(await intervalsOf('press3')), POLL)
      .toEqual([
        { state: 'DOWN', from: 0, to: 5_000 },
        { state: 'PRODUCING', from: 5_000, to: null },
      ]);
    const deadLetters = await db.prisma.deadLetter.findMany({
      where: { OR: [{ address: { contains: 'press3' } }, { address: { contains: 'nosuchmachine' } }] },
      orderBy: { id: 'asc' },
    });
    expect(deadLetters.map((d) => [d.address.slice(prefix.length + 1), d.reason.split(':')[0]])).toEqual([
      ['plant1/assembly/line1/press3/state', 'invalid JSON'],
      ['plant1/assembly/line1/press3/state', 'schema violation (state)'],
      ['plant1/assembly/line1/press3/count', 'schema violation (count)'],
      ['plant1/assembly/line1/nosuchmachine/state', 'unknown machine'],
      ['plant1/assembly/press3/state', 'unknown topic'],
      ['plant1/assembly/line1/press3/state', 'invalid JSON'],
      ['plant1/assembly/line1/press3/state', 'invalid JSON'],
      ['plant1/assembly/line1/press3/state', 'state applied without its reason'],
    ]);
    expect(deadLetters.every((d) => d.sourceKind === 'MQTT_JSON' && d.dataSourceId === plant.dataSourceId)).toBe(true);
    expect(deadLetters[0]).toMatchObject({ payload: '{"state":', payloadTruncated: false });
    expect(deadLetters[5]).toMatchObject({ payload: '3q0Avu8=', payloadTruncated: false });
    expect(deadLetters[5]?.reason).toContain('(payload stored as base64)');
    expect(deadLetters[6]?.payloadTruncated).toBe(true);
    expect(deadLetters[6]?.payload.length).toBe(8 * 1024);

    const { sources } = bridge.stats().ingest;
    expect(sources['test-uns']).toMatchObject({ deadLetters: expect.any(Number), messages: expect.any(Number) });
    expect(sources['test-uns']?.deadLetters).toBeGreaterThanOrEqual(deadLetters.length);
    expect(sources['test-uns']?.lastMessageAtMs).toBeGreaterThan(T0);
  });

  it('writes its per-source counters to ingest_source_status (GET /api/v1/ingest/status)', async () => {
    // The row is rewritten every statusIntervalMs: wait for one written after the earlier tests' messages.
    const statusRow = async () => {
      const row = await db.prisma.ingestSourceStatus.findUnique({ where: { sourceCode: 'test-uns' } });
      return {
        sourceKind: row?.sourceKind,
        isConnected: row?.isConnected,
        spoolDepth: row?.spoolDepth,
        hasMessages: Number(row?.messagesTotal) > 10,
        hasDeadLetters: Number(row?.deadLetters) >= 8,
        hasDuplicates: Number(row?.duplicates) >= 1,
        hasLastMessageAt: (row?.lastMessageAt?.getTime() ?? 0) > T0,
      };
    };
    await expect.poll(statusRow, POLL).toEqual({
      sourceKind: 'MQTT_JSON',
      isConnected: true,
      spoolDepth: 0,
      hasMessages: true,
      hasDeadLetters: true,
      hasDuplicates: true,
      hasLastMessageAt: true,
    });
  });

  it('receives what was published while it was away (persistent session, stable client id)', async () => {
    await bridge.stop();
    await publish(stateTopic('press4'), { state: 'IDLE', timestamp_ms: T0 });
    await publish(stateTopic('press4'), { state: 'DOWN', timestamp_ms: T0 + 2_000 });
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl,
      topicPrefix: prefix,
      clientId,
      offlineAfterSec: null,
      maxBatchDelayMs: 50,
      logger,
    });
    await bridge.ready;
    await expect
      .poll(async () => summarise(await intervalsOf('press4')), POLL)
      .toEqual([
        { state: 'IDLE', from: 0, to: 2_000 },
        { state: 'DOWN', from: 2_000, to: null },
      ]);
  });

  // Only the embedded broker can be restarted by a test (Mosquitto is the machine's system service).
  if (isEmbedded) {
    it('reconnects and resubscribes after the broker restarted and lost the session', async () => {
      const port = broker?.port ?? 0;
      await broker?.stop();
      broker = await startEmbeddedBroker({ port });
      await publisher.endAsync();
      publisher = await connectAsync(mqttUrl, { clientId: `takt-test-publisher-${randomId()}`, clean: true });
      // The bridge subscribes again once it is back (reconnect delay 0.5 s, then doubling); keep publishing
      // a fresh state until one lands.
      let tsMs = T0 + 10_000;
      await expect
        .poll(
          async () => {
            tsMs += 1;
            await publish(stateTopic('press4'), { state: 'IDLE', timestamp_ms: tsMs });
            return (await intervalsOf('press4')).at(-1)?.state;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe('IDLE');
      expect(bridge.stats().sources['test-uns']?.connectCount).toBeGreaterThanOrEqual(2);
    });
  }

  it('puts a silent machine OFFLINE after the configured silence', async () => {
    const watchPrefix = `${prefix}-watch`;
    const watchClientId = `${clientId}-watch`;
    const watched = await startBridge({
      prisma: db.prisma,
      mqttUrl,
      topicPrefix: watchPrefix,
      clientId: watchClientId,
      offlineAfterSec: 0.3,
      maxBatchDelayMs: 20,
      logger,
    });
    try {
      await watched.ready;
      const startedAtMs = Date.now();
      await publish(`${watchPrefix}/${plant.pathOf('press5')}/state`, {
        state: 'PRODUCING',
        timestamp_ms: startedAtMs,
      });
      await expect
        .poll(
          async () => (await intervalsOf('press5')).map((row) => [row.state, row.sourceCode, row.endedAt === null]),
          POLL,
        )
        .toEqual([
          ['PRODUCING', null, false],
          ['OFFLINE', SILENCE_SOURCE_CODE, true],
        ]);
      const [producing, offline] = await intervalsOf('press5');
      expect(producing?.endedAt?.getTime()).toBe(offline?.startedAt.getTime());
      expect(offline?.startedAt.getTime()).toBeGreaterThan(startedAtMs);
      expect(offline?.startedAt.getTime()).toBeLessThan(Date.now() - 300);
    } finally {
      await watched.stop();
      await discardSession(mqttUrl, watchClientId).catch(() => {});
    }
  });
});
