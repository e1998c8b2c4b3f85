// The simulator's Sparkplug B edge node and OPC UA server against real peers: the embedded aedes broker and
// Mosquitto (a raw subscriber decodes what it publishes), a node-opcua client reading its variables, and the
// bridge ingesting the Sparkplug B output through a configured data source.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBridge, startEmbeddedBroker, type Bridge, type EmbeddedBroker } from '@takt/bridge';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { AttributeIds, DataType, OPCUAClient } from 'node-opcua';
import { pino } from 'pino';
import { get as getSparkplugCodec } from 'sparkplug-payload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.ts';
import { sparkplugDeviceId } from './sparkplug.publisher.ts';
import { createDemoPlant } from './testing/demo-plant.fixture.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const { TEST_MQTT_URL } = loadTestServersEnv();

const logger = pino({ level: 'silent' });
const codec = getSparkplugCodec('spBv1.0')!;
const toNumber = (value: unknown) =>
  typeof value === 'object' && value !== null && 'toNumber' in value
    ? (value as { toNumber(): number }).toNumber()
    : value;

type Received = {
  topic: string;
  seq: unknown;
  metrics: { name?: string | null; alias?: unknown; type?: string; value: unknown }[];
};

describe.each([
  { brokerName: 'embedded aedes', isEmbedded: true },
  { brokerName: 'Mosquitto', isEmbedded: false },
])('simulator protocols over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const group = `takt-sim-${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let broker: EmbeddedBroker | null = null;
  let simulator: Simulator;
  let subscriber: MqttClient;
  let dataDir: string;
  const received: Received[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('simulator_protocols');
    await createDemoPlant(db.prisma);
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-sim-'));
    if (isEmbedded) broker = await startEmbeddedBroker();
    const mqttUrl = broker?.url ?? TEST_MQTT_URL;
    subscriber = await connectAsync(mqttUrl, { clientId: `${group}-sub`, clean: true, protocolVersion: 4 });
    subscriber.on('message', (topic, payload) => {
      const decoded = codec.decodePayload(payload);
      received.push({
        topic,
        seq: toNumber(decoded.seq),
        metrics: (decoded.metrics ?? []).map((m) => ({
          name: m.name,
          alias: toNumber(m.alias),
          type: m.type,
          value: toNumber(m.value),
        })),
      });
    });
    await subscriber.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 });
    simulator = await startSimulator({
      prisma: db.prisma,
      mqttUrl,
      clientId: `${group}-simulator`,
      seed: 7,
      speed: 1800,
      countIntervalMs: 200,
      tickIntervalMs: 20,
      protocols: ['sparkplug', 'opcua'],
      sparkplugGroupId: group,
      opcuaPort: 0,
      dataDir,
      logger,
    });
    await simulator.ready;
  });

  afterAll(async () => {
    await simulator?.stop();
    await subscriber?.endAsync();
    await broker?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes NBIRTH, a DBIRTH with aliases per machine, then alias-only DDATA with consecutive seq', async () => {
    await expect
      .poll(() => received.filter((m) => m.topic.includes('/DDATA/')).length, { timeout: 5_000 })
      .toBeGreaterThan(20);
    const fromBirth = received.slice(received.findIndex((m) => m.topic.includes('/NBIRTH/')));
    expect(fromBirth[0]?.topic).toBe(`spBv1.0/${group}/NBIRTH/takt-simulator`);
    expect(fromBirth[0]?.metrics.map((m) => m.name)).toEqual(['bdSeq', 'Node Control/Rebirth']);
    const births = fromBirth.filter((m) => m.topic.includes('/DBIRTH/'));
    expect(births.map((m) => m.topic.split('/').at(-1))).toEqual(simulator.machinePaths.map(sparkplugDeviceId));
    expect(births[0]?.metrics.map((m) => [m.name, m.alias])).toEqual([
      ['State', 1],
      ['Product', 2],
      ['GoodCount', 3],
      ['RejectCount', 4],
    ]);
    const data = fromBirth.filter((m) => m.topic.includes('/DDATA/'));
    expect(data.every((m) => m.metrics.every((metric) => !metric.name && typeof metric.alias === 'number'))).toBe(true);
    // No datatypes in DDATA (the DBIRTH has them): tck-id-payloads-metric-datatype-not-req.
    expect(births[0]?.metrics.map((m) => m.type)).toEqual(['String', 'String', 'UInt64', 'UInt64']);
    expect(data.every((m) => m.metrics.every((metric) => metric.type === undefined))).toBe(true);
    // seq: 0 on NBIRTH, then +1 per message of the edge node, modulo 256.
    fromBirth.slice(1, 200).forEach((message, index) => expect(message.seq).toBe((index + 1) % 256));
  });

  it('answers an NCMD Node Control/Rebirth with new births', async () => {
    const births = simulator.sparkplugBirthCount();
    const command = codec.encodePayload({
      timestamp: Date.now(),
      metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }],
    });
    await subscriber.publishAsync(`spBv1.0/${group}/NCMD/takt-simulator`, Buffer.from(command), { qos: 0 });
    await expect.poll(() => simulator.sparkplugBirthCount(), { timeout: 5_000 }).toBe(births + 1);
  });

  // OPC UA does not go through the MQTT broker: one run of the suite checks it.
  if (isEmbedded) {
    it('serves every machine as OPC UA variables (State, Product, Int64 counters)', async () => {
      expect(simulator.opcuaEndpointUrl).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+\/takt$/);
      const client = OPCUAClient.create({
        endpointMustExist: false,
        connectionStrategy: { maxRetry: 2, initialDelay: 100 },
      });
      await client.connect(simulator.opcuaEndpointUrl!);
      try {
        const session = await client.createSession();
        const machinePath = simulator.machinePaths[0]!;
        await expect
          .poll(
            async () => {
              const [state, product, good] = await session.read(
                ['State', 'Product', 'GoodCount'].map((name) => ({
                  nodeId: `ns=1;s=${machinePath}.${name}`,
                  attributeId: AttributeIds.Value,
                })),
              );
              return {
                state: state?.value.value,
                hasProduct: typeof product?.value.value === 'string',
                goodType: DataType[good?.value.dataType ?? DataType.Null],
                isGoodPositive:
                  Array.isArray(good?.value.value) && (good.value.value[1] > 0 || good.value.value[0] > 0),
              };
            },
            { timeout: 5_000, interval: 100 },
          )
          .toEqual({
            state: expect.stringMatching(/^(PRODUCING|IDLE|DOWN|CHANGEOVER)$/),
            hasProduct: true,
            goodType: 'Int64',
            isGoodPositive: true,
          });
        await session.close();
      } finally {
        await client.disconnect();
      }
    });
  }
});

describe(
  'simulator (Sparkplug B) → Mosquitto → bridge (configured data source) → PostgreSQL',
  { timeout: 30_000 },
  () => {
    const group = `takt-sim-sp-${randomBytes(4).toString('hex')}`;
    let db: TestDatabase;
    let bridge: Bridge;
    let simulator: Simulator;

    beforeAll(async () => {
      db = await createTestDatabase('simulator_sparkplug');
      await createDemoPlant(db.prisma);
      await db.prisma.dataSource.create({
        data: { code: 'sim-sparkplug', name: 'Simulator', kind: 'MQTT_SPARKPLUG', config: { groupId: group } },
      });
      bridge = await startBridge({
        prisma: db.prisma,
        mqttUrl: TEST_MQTT_URL,
        topicPrefix: `${group}-uns-unused`,
        clientId: `${group}-bridge`,
        offlineAfterSec: null,
        maxBatchDelayMs: 50,
        logger,
      });
      await bridge.ready;
      // The Sparkplug source subscribes in the background; give it the moment the UNS source already had.
      await new Promise((resolve) => setTimeout(resolve, 300));
      simulator = await startSimulator({
        prisma: db.prisma,
        mqttUrl: TEST_MQTT_URL,
        clientId: `${group}-simulator`,
        seed: 11,
        speed: 1800,
        countIntervalMs: 200,
        tickIntervalMs: 20,
        protocols: ['sparkplug'],
        sparkplugGroupId: group,
        logger,
      });
      await simulator.ready;
    });

    afterAll(async () => {
      await simulator?.stop();
      await bridge?.stop();
      await db?.drop();
    });

    it('ingests every machine by the default device/metric convention, counters as deltas, without dead letters', async () => {
      const machines = await db.prisma.machine.findMany({ select: { id: true, path: true } });
      await expect
        .poll(
          async () => {
            const progress = await Promise.all(
              machines.map(async (machine) => ({
                intervals: await db.prisma.machineStateInterval.count({ where: { machineId: machine.id } }),
                good:
                  (
                    await db.prisma.productionCount.aggregate({
                      where: { machineId: machine.id },
                      _sum: { goodCount: true },
                    })
                  )._sum.goodCount ?? 0,
              })),
            );
            return progress.every((p) => p.intervals >= 2 && p.good > 0);
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBe(true);
      expect(await db.prisma.deadLetter.findMany({ select: { address: true, reason: true } })).toEqual([]);
      expect(bridge.stats().sources['sim-sparkplug']).toMatchObject({ isConnected: true });
    });
  },
);

describe('simulator (OPC UA server) → bridge (configured OPC UA data source) → PostgreSQL', { timeout: 30_000 }, () => {
  let db: TestDatabase;
  let bridge: Bridge;
  let simulator: Simulator;
  let dataDir: string;

  beforeAll(async () => {
    db = await createTestDatabase('simulator_opcua');
    await createDemoPlant(db.prisma);
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-sim-opcua-'));
    simulator = await startSimulator({
      prisma: db.prisma,
      mqttUrl: TEST_MQTT_URL,
      seed: 5,
      speed: 1800,
      countIntervalMs: 200,
      tickIntervalMs: 20,
      protocols: ['opcua'],
      opcuaPort: 0,
      dataDir,
      logger,
    });
    await simulator.ready;
    const machines = await db.prisma.machine.findMany({ select: { id: true, path: true } });
    const signals = [
      ['State', 'STATE'],
      ['Product', 'PRODUCT'],
      ['GoodCount', 'GOOD_COUNT'],
      ['RejectCount', 'REJECT_COUNT'],
    ] as const;
    await db.prisma.dataSource.create({
      data: {
        code: 'sim-opcua',
        name: 'Simulator OPC UA',
        kind: 'OPCUA',
        config: { endpointUrl: simulator.opcuaEndpointUrl!, securityMode: 'None', samplingIntervalMs: 50 },
        mappings: {
          create: machines.flatMap((machine) =>
            signals.map(([name, signal]) => ({
              machineId: machine.id,
              signal,
              address: `ns=1;s=${machine.path}.${name}`,
            })),
          ),
        },
      },
    });
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl: TEST_MQTT_URL,
      topicPrefix: `takt-sim-opcua-${randomBytes(4).toString('hex')}`,
      offlineAfterSec: null,
      maxBatchDelayMs: 50,
      dataDir,
      logger,
    });
    await bridge.ready;
  });

  afterAll(async () => {
    await bridge?.stop();
    await simulator?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ingests states, products and Int64 counters of every machine from monitored items', async () => {
    const machines = await db.prisma.machine.findMany({ select: { id: true } });
    await expect
      .poll(
        async () => {
          const progress = await Promise.all(
            machines.map(async (machine) => ({
              intervals: await db.prisma.machineStateInterval.count({ where: { machineId: machine.id } }),
              good:
                (
                  await db.prisma.productionCount.aggregate({
                    where: { machineId: machine.id },
                    _sum: { goodCount: true },
                  })
                )._sum.goodCount ?? 0,
            })),
          );
          return progress.every((p) => p.intervals >= 2 && p.good > 0);
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
    expect(await db.prisma.deadLetter.findMany({ select: { address: true, reason: true } })).toEqual([]);
    expect(bridge.stats().sources['sim-opcua']).toMatchObject({ isConnected: true });
  });
});
