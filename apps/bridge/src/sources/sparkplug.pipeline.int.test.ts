// Sparkplug B end to end into PostgreSQL: edge node (the test) → broker (Mosquitto and embedded aedes) →
// Sparkplug source → @takt/ingest pipeline → state intervals, counts and dead letters in a fresh database.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { createIngestPipeline } from '@takt/ingest';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { createTestPlant, type TestPlant } from '../testing/test-plant.fixture.ts';
import { createSource } from './source.factory.ts';
import type { Source } from './source.ts';
import { deviceIdOfMachinePath } from './sparkplug-host.state.ts';
import { encodeSparkplugPayload, type SparkplugMetricInput } from './sparkplug.decoder.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const { TEST_MQTT_URL } = loadTestServersEnv();

const POLL = { timeout: 8_000, interval: 50 };
const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
const randomId = () => randomBytes(4).toString('hex');

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('Sparkplug B into PostgreSQL over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const group = `takt-test-${randomId()}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let broker: EmbeddedBroker | null = null;
  let pipeline: ReturnType<typeof createIngestPipeline>;
  let source: Source;
  let edge: MqttClient;
  let seq = 0;

  const device = () => deviceIdOfMachinePath(plant.pathOf('press1'));
  const send = (type: string, metrics: SparkplugMetricInput[], tsMs: number, isNode = false) => {
    const payload = encodeSparkplugPayload({ timestampMs: tsMs, ...(type === 'NDEATH' ? {} : { seq }), metrics });
    if (type !== 'NDEATH') seq = (seq + 1) % 256;
    const topic = `spBv1.0/${group}/${type}/edge1${isNode ? '' : `/${device()}`}`;
    return edge.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  };

  beforeAll(async () => {
    db = await createTestDatabase('bridge_sparkplug');
    plant = await createTestPlant(db.prisma, { topicPrefix: group, machineCodes: ['press1'] });
    if (isEmbedded) broker = await startEmbeddedBroker();
    const mqttUrl = broker?.url ?? TEST_MQTT_URL;
    pipeline = createIngestPipeline({
      prisma: db.prisma,
      logger,
      maxBatchDelayMs: 20,
      statusIntervalMs: null,
      pruneIntervalMs: null,
    });
    source = createSource({
      kind: 'MQTT_SPARKPLUG',
      code: 'test-sparkplug',
      dataSourceId: null,
      mqttUrl,
      groupId: group,
      hostId: `takt-sp-${randomId()}`,
      clientId: `takt-sp-${randomId()}`,
      logger,
    });
    source.start(pipeline);
    await source.ready;
    edge = await connectAsync(mqttUrl, { clientId: `edge-${randomId()}`, clean: true, protocolVersion: 4 });
  });

  afterAll(async () => {
    await edge?.endAsync();
    await source?.stop();
    await pipeline?.stop();
    await broker?.stop();
    await db?.drop();
  });

  it('birth → data → state intervals and counts; NDEATH → OFFLINE; malformed protobuf → dead letter', async () => {
    await send('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 3 }], T0, true);
    await send(
      'DBIRTH',
      [
        { name: 'State', alias: 1, type: 'String', value: 'PRODUCING' },
        { name: 'Product', alias: 2, type: 'String', value: plant.productCode },
        { name: 'GoodCount', alias: 3, type: 'UInt64', value: 100 },
        { name: 'RejectCount', alias: 4, type: 'UInt64', value: 5 },
      ],
      T0,
    );
    await send(
      'DDATA',
      [
        { alias: 3, type: 'UInt64', value: 110 },
        { alias: 4, type: 'UInt64', value: 6 },
      ],
      T0 + 30_000,
    );
    await send('DDATA', [{ alias: 1, type: 'String', value: 'DOWN' }], T0 + 60_000);
    await edge.publishAsync(`spBv1.0/${group}/DDATA/edge1/${device()}`, Buffer.from([0xff, 0x01]), { qos: 1 });
    await send('NDEATH', [{ name: 'bdSeq', type: 'UInt64', value: 3 }], T0, true);

    const machineId = plant.machineIdByCode.get('press1');
    await expect
      .poll(
        async () =>
          (await db.prisma.machineStateInterval.findMany({ where: { machineId }, orderBy: { startedAt: 'asc' } })).map(
            (row) => [
              row.state,
              row.startedAt.getTime() - T0,
              row.endedAt === null ? null : row.endedAt.getTime() - T0,
            ],
          ),
        POLL,
      )
      .toEqual([
        ['PRODUCING', 0, 60_000],
        ['DOWN', 60_000, expect.any(Number)],
        ['OFFLINE', expect.any(Number), null],
      ]);
    await expect
      .poll(async () => {
        const sum = await db.prisma.productionCount.aggregate({
          where: { machineId },
          _sum: { goodCount: true, rejectCount: true },
        });
        return [sum._sum.goodCount ?? 0, sum._sum.rejectCount ?? 0];
      }, POLL)
      .toEqual([10, 1]);
    const deadLetters = await db.prisma.deadLetter.findMany();
    expect(deadLetters).toEqual([
      expect.objectContaining({
        sourceKind: 'MQTT_SPARKPLUG',
        address: `spBv1.0/${group}/DDATA/edge1/${device()}`,
        payload: Buffer.from([0xff, 0x01]).toString('base64'),
        reason: expect.stringMatching(/^malformed Sparkplug B payload/),
      }),
    ]);
  });
});
