// Admin-configured Sparkplug B: a data_source row (kind MQTT_SPARKPLUG) with signal_mapping rows
// `{edge}/{device}/{metric}` → the bridge's configured sources ingest a device with arbitrary metric names.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { createIngestPipeline } from '@takt/ingest';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlant, type TestPlant } from '../testing/test-plant.fixture.ts';
import { createConfiguredSources } from './source.factory.ts';
import type { Source } from './source.ts';
import { encodeSparkplugPayload } from './sparkplug.decoder.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const logger = pino({ level: 'silent' });
const MQTT_URL = loadTestServersEnv().TEST_MQTT_URL;
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

describe('configured Sparkplug B data source with signal mappings', { timeout: 20_000 }, () => {
  const group = `takt-map-${randomBytes(4).toString('hex')}`;
  const hostId = `takt-map-${randomBytes(3).toString('hex')}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let pipeline: ReturnType<typeof createIngestPipeline>;
  let sources: Source[];

  beforeAll(async () => {
    db = await createTestDatabase('bridge_sparkplug_mapping');
    plant = await createTestPlant(db.prisma, { topicPrefix: group, machineCodes: ['press1'] });
    const machineId = plant.machineIdByCode.get('press1')!;
    await db.prisma.dataSource.create({
      data: {
        code: 'line1-plc',
        name: 'Line 1 PLC gateway',
        kind: 'MQTT_SPARKPLUG',
        config: { groupId: group },
        mappings: {
          create: [
            { machineId, signal: 'STATE', address: 'gw1/PLC_7/Machine/Status' },
            { machineId, signal: 'GOOD_COUNT', address: 'gw1/PLC_7/Counters/Good' },
          ],
        },
      },
    });
    await db.prisma.dataSource.create({
      data: { code: 'broken', name: 'Broken', kind: 'OPCUA', config: { endpointUrl: 'not a url' } },
    });
    // The same Sparkplug host id on the same broker as line1-plc: refused (tck-id-operational-behavior-host-application-host-id).
    await db.prisma.dataSource.create({
      data: { code: 'line1-plc-copy', name: 'Copy', kind: 'MQTT_SPARKPLUG', config: { groupId: `${group}-copy` } },
    });
    // Its own host id: a second host application.
    await db.prisma.dataSource.create({
      data: {
        code: 'line2-plc',
        name: 'Line 2',
        kind: 'MQTT_SPARKPLUG',
        config: { groupId: `${group}-2`, hostApplicationId: `${hostId}-line2` },
      },
    });
    pipeline = createIngestPipeline({ prisma: db.prisma, logger, maxBatchDelayMs: 20, statusIntervalMs: null });
    sources = await createConfiguredSources({
      prisma: db.prisma,
      logger,
      mqttUrl: MQTT_URL,
      dataDir: '/tmp/takt-unused',
      clientIdPrefix: `takt-map-${randomBytes(3).toString('hex')}`,
      sparkplugHostId: hostId,
    });
    for (const source of sources) source.start(pipeline);
    await Promise.all(sources.map((source) => source.ready));
  });

  afterAll(async () => {
    await Promise.all((sources ?? []).map((source) => source.stop()));
    await pipeline?.stop();
    await db?.drop();
  });

  it('regression: maps device metrics whose names hold `/` through signal_mapping, one source per valid row and Sparkplug host id', async () => {
    expect(sources.map((source) => [source.code, source.kind])).toEqual([
      ['line1-plc', 'MQTT_SPARKPLUG'],
      ['line2-plc', 'MQTT_SPARKPLUG'],
    ]);
    const edge = await connectAsync(MQTT_URL, { clientId: `${group}-edge`, clean: true });
    const publish = (
      type: string,
      device: string | null,
      seq: number,
      metrics: Parameters<typeof encodeSparkplugPayload>[0]['metrics'],
      tsMs: number,
    ) =>
      edge.publishAsync(
        `spBv1.0/${group}/${type}/gw1${device === null ? '' : `/${device}`}`,
        Buffer.from(encodeSparkplugPayload({ timestampMs: tsMs, seq, metrics })),
        { qos: 1 },
      );
    await publish('NBIRTH', null, 0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }], T0);
    await publish(
      'DBIRTH',
      'PLC_7',
      1,
      [
        { name: 'Machine/Status', alias: 10, type: 'Int32', value: 6 }, // PackML Execute
        { name: 'Counters/Good', alias: 11, type: 'UInt64', value: 1_000 },
        { name: 'State', alias: 12, type: 'String', value: 'DOWN' }, // not mapped: no default for a mapped device
      ],
      T0,
    );
    await publish('DDATA', 'PLC_7', 2, [{ alias: 11, type: 'UInt64', value: 1_025 }], T0 + 20_000);
    const machineId = plant.machineIdByCode.get('press1');
    await expect
      .poll(
        async () => {
          const intervals = await db.prisma.machineStateInterval.findMany({ where: { machineId } });
          const good = await db.prisma.productionCount.aggregate({ where: { machineId }, _sum: { goodCount: true } });
          return { states: intervals.map((row) => [row.state, row.sourceCode]), good: good._sum.goodCount };
        },
        { timeout: 8_000, interval: 50 },
      )
      .toEqual({ states: [['PRODUCING', 'packml:6']], good: 25 });
    await edge.endAsync();
  });
});
