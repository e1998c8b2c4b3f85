// Value maps for every source kind, end to end through the bridge as `npm start` runs it (configured data sources,
// the spooling sink, the pipeline, PostgreSQL, Mosquitto, an OPC UA server on port 0): a STATE signal mapping's
// value map translates the machine's own codes on UNS JSON, Sparkplug B and OPC UA alike; a value the map does not
// hold is dead-lettered (never read as a PackML code).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { DataType } from 'node-opcua';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from './bridge.ts';
import { encodeSparkplugPayload } from './sources/sparkplug.decoder.ts';
import { startOpcUaTestServer, type OpcUaTestServer } from './testing/opcua-server.fixture.ts';
import { createTestPlant, type TestPlant } from './testing/test-plant.fixture.ts';

const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';
const POLL = { timeout: 10_000, interval: 50 };
const logger = pino({ level: 'silent' });
const randomId = () => randomBytes(4).toString('hex');

describe('value maps of STATE signal mappings, per source kind', { timeout: 40_000 }, () => {
  const prefix = `takt-vm-${randomId()}`;
  const group = `takt-vm-${randomId()}`;
  let db: TestDatabase;
  let plant: TestPlant;
  let dataDir: string;
  let server: OpcUaTestServer;
  let bridge: Bridge;
  let publisher: MqttClient;
  const clientId = `takt-vm-bridge-${randomId()}`;

  const statesOf = async (code: string) =>
    (
      await db.prisma.machineStateInterval.findMany({
        where: { machineId: plant.machineIdByCode.get(code) },
        orderBy: { startedAt: 'asc' },
      })
    ).map((row) => row.state);
  const deadLetterReasons = async (address: string) =>
    (await db.prisma.deadLetter.findMany({ where: { address }, orderBy: { id: 'asc' } })).map((row) => row.reason);

  beforeAll(async () => {
    db = await createTestDatabase('bridge_value_map');
    plant = await createTestPlant(db.prisma, { topicPrefix: prefix, machineCodes: ['uns1', 'sp1', 'ua1'] });
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-vm-'));
    server = await startOpcUaTestServer({
      pkiDir: dataDir,
      variables: { 'PLC1.Mode': DataType.String },
    });
    const machineId = (code: string) => plant.machineIdByCode.get(code) ?? '';
    await db.prisma.signalMapping.create({
      data: {
        dataSourceId: plant.dataSourceId,
        machineId: machineId('uns1'),
        signal: 'STATE',
        address: `${prefix}/${plant.pathOf('uns1')}/state`,
        valueMap: { '1': 'PRODUCING', '2': 'DOWN' },
      },
    });
    await db.prisma.dataSource.create({
      data: {
        code: 'vm-sparkplug',
        name: 'Sparkplug with a Boolean running bit',
        kind: 'MQTT_SPARKPLUG',
        config: { groupId: group },
        mappings: {
          create: [
            {
              machineId: machineId('sp1'),
              signal: 'STATE',
              address: 'gw/PLC9/Running',
              valueMap: { true: 'PRODUCING', false: 'IDLE' },
            },
          ],
        },
      },
    });
    await db.prisma.dataSource.create({
      data: {
        code: 'vm-opcua',
        name: 'OPC UA with text modes',
        kind: 'OPCUA',
        config: { endpointUrl: server.endpointUrl, securityMode: 'None', samplingIntervalMs: 20 },
        mappings: {
          create: [
            {
              machineId: machineId('ua1'),
              signal: 'STATE',
              address: 'ns=1;s=PLC1.Mode',
              valueMap: { Running: 'PRODUCING', Setup: 'CHANGEOVER' },
            },
          ],
        },
      },
    });
    server.setValue('PLC1.Mode', 'Setup', Date.now() - 1_000);
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl: MOSQUITTO_URL,
      topicPrefix: prefix,
      clientId,
      offlineAfterSec: null,
      statusIntervalMs: 60_000,
      dataDir,
      sparkplugHostId: `takt-vm-${randomId()}`,
      logger,
    });
    await bridge.ready;
    publisher = await connectAsync(MOSQUITTO_URL, { clientId: `${clientId}-pub`, clean: true });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await bridge?.stop();
    await (await connectAsync(MOSQUITTO_URL, { clientId, clean: true })).endAsync();
    await server?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('UNS JSON: custom integer codes through the value map of the state topic', async () => {
    const topic = `${prefix}/${plant.pathOf('uns1')}/state`;
    const send = (state: unknown, tsMs: number) =>
      publisher.publishAsync(topic, JSON.stringify({ state, timestamp_ms: tsMs }), { qos: 1 });
    const nowMs = Date.now();
    await send(1, nowMs - 3_000);
    await send(2, nowMs - 2_000);
    await send(6, nowMs - 1_000); // PackML Execute, but not in this machine's map
    await expect.poll(() => statesOf('uns1'), POLL).toEqual(['PRODUCING', 'DOWN']);
    await expect
      .poll(() => deadLetterReasons(topic), POLL)
      .toEqual(['state value 6 is not in the value map of its signal mapping']);
  });

  it('Sparkplug B: a Boolean metric through the value map of its mapping', async () => {
    const topic = (type: string, device = '') => `spBv1.0/${group}/${type}/gw${device}`;
    const send = (type: string, device: string, seq: number, value: boolean | number, tsMs: number) =>
      publisher.publishAsync(
        topic(type, device),
        Buffer.from(
          encodeSparkplugPayload({
            timestampMs: tsMs,
            seq,
            metrics:
              type === 'NBIRTH'
                ? [{ name: 'bdSeq', type: 'UInt64', value: 0 }]
                : type === 'DBIRTH'
                  ? [{ name: 'Running', alias: 1, type: 'Boolean', value }]
                  : [{ alias: 1, type: 'Boolean', value, isDatatypeOmitted: true }],
          }),
        ),
      );
    const nowMs = Date.now();
    await send('NBIRTH', '', 0, false, nowMs - 3_000);
    await send('DBIRTH', '/PLC9', 1, false, nowMs - 3_000);
    await send('DDATA', '/PLC9', 2, true, nowMs - 2_000);
    await expect.poll(() => statesOf('sp1'), POLL).toEqual(['IDLE', 'PRODUCING']);
  });

  it('OPC UA: text modes through the value map of the node mapping, the first one read on connect', async () => {
    await expect.poll(() => statesOf('ua1'), POLL).toEqual(['CHANGEOVER']);
    server.setValue('PLC1.Mode', 'Running', Date.now());
    await expect.poll(() => statesOf('ua1'), POLL).toEqual(['CHANGEOVER', 'PRODUCING']);
    server.setValue('PLC1.Mode', 'Maintenance', Date.now());
    await expect
      .poll(() => deadLetterReasons('ns=1;s=PLC1.Mode'), POLL)
      .toEqual(['state value "Maintenance" is not in the value map of its signal mapping']);
  });
});
