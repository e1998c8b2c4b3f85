// The Sparkplug B source end to end against real brokers, both Mosquitto and the embedded aedes broker, with
// the test playing the edge node (it encodes real Sparkplug B payloads) and a recording sink standing where the
// @takt/ingest pipeline goes (its database side is tested in packages/ingest).
import { randomBytes } from 'node:crypto';
import type { TIngestEvent } from '@takt/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import type { ConnectorSink } from './source.ts';
import { deviceIdOfMachinePath } from './sparkplug-host.state.ts';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  type SparkplugMetricInput,
  type SparkplugPayload,
} from './sparkplug.decoder.ts';
import { createSparkplugSource, SPARKPLUG_REBIRTH_METRIC } from './sparkplug.source.ts';
import { loadTestServersEnv } from '@takt/runtime/testing';

const MOSQUITTO_URL = loadTestServersEnv().TEST_MQTT_URL;
const POLL = { timeout: 5_000, interval: 20 };
const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
const randomId = () => randomBytes(4).toString('hex');
const pathOf = (code: string) => `plant1/assembly/line1/${code}`;

type Recorded = {
  events: (TIngestEvent & { address: string })[];
  rejections: { address: string; reason: string; payload: Uint8Array }[];
};

function recordingSink(): ConnectorSink & Recorded {
  const recorded: Recorded = { events: [], rejections: [] };
  return {
    ...recorded,
    async submit(inputs, source) {
      expect(source.kind).toBe('MQTT_SPARKPLUG');
      for (const input of inputs) recorded.events.push({ ...input.event, address: input.origin?.address ?? '' });
      return { results: inputs.map(() => ({ status: 'accepted' as const })) };
    },
    async reject(rejections) {
      for (const rejection of rejections) recorded.rejections.push(rejection);
      return { results: rejections.map(() => ({ status: 'rejected' as const, reason: 'recorded' })) };
    },
  };
}

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('Sparkplug B source over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const group = `takt-test-${randomId()}`;
  const edge = 'edge1';
  let broker: EmbeddedBroker | null = null;
  let mqttUrl: string;
  let sink: ReturnType<typeof recordingSink>;
  let source: ReturnType<typeof createSparkplugSource>;
  let edgeClient: MqttClient;
  const commands: SparkplugPayload[] = [];
  let seq = 0;

  const deviceOf = (code: string) => deviceIdOfMachinePath(pathOf(code));
  const send = (
    type: string,
    device: string | null,
    metrics: SparkplugMetricInput[],
    options: { tsMs: number; seq?: number | null },
  ) => {
    const payload = encodeSparkplugPayload({
      timestampMs: options.tsMs,
      ...(options.seq === null ? {} : { seq: options.seq ?? seq }),
      metrics,
    });
    if (options.seq === undefined) seq = (seq + 1) % 256;
    const topic = `spBv1.0/${group}/${type}/${edge}${device === null ? '' : `/${device}`}`;
    return edgeClient.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  };
  const nbirth = async (tsMs: number, bdSeq: number) => {
    seq = 0;
    await send(
      'NBIRTH',
      null,
      [
        { name: 'bdSeq', type: 'UInt64', value: bdSeq },
        { name: SPARKPLUG_REBIRTH_METRIC, type: 'Boolean', value: false },
      ],
      { tsMs },
    );
  };
  const dbirth = (code: string, tsMs: number, values: { state: string; good: number; reject: number }) =>
    send(
      'DBIRTH',
      deviceOf(code),
      [
        { name: 'State', alias: 1, type: 'String', value: values.state },
        { name: 'GoodCount', alias: 2, type: 'UInt64', value: values.good },
        { name: 'RejectCount', alias: 3, type: 'UInt64', value: values.reject },
        { name: 'Product', alias: 4, type: 'String', value: 'P-100' },
        { name: 'Temperature', alias: 5, type: 'Double', value: 21.5 },
      ],
      { tsMs },
    );
  /** The events of one machine, without path and address, times relative to T0. */
  const eventsOf = (code: string): Record<string, unknown>[] =>
    sink.events
      .filter((event) => event.type !== 'signal' && event.machinePath === pathOf(code))
      .map((event) => {
        const { address: _address, machinePath: _path, ...rest } = event as Record<string, unknown>;
        return { ...rest, tsMs: event.tsMs - T0 };
      });

  beforeAll(async () => {
    if (isEmbedded) broker = await startEmbeddedBroker();
    mqttUrl = broker?.url ?? MOSQUITTO_URL;
    sink = recordingSink();
    source = createSparkplugSource({
      code: 'test-sparkplug',
      dataSourceId: null,
      mqttUrl,
      groupId: group,
      hostId: `takt-test-${randomId()}`,
      clientId: `takt-sp-test-${randomId()}`,
      logger,
      rebirthMinIntervalMs: 1_000,
    });
    source.start(sink);
    await source.ready;
    edgeClient = await connectAsync(mqttUrl, { clientId: `takt-edge-${randomId()}`, clean: true, protocolVersion: 4 });
    edgeClient.on('message', (_topic, payload) => commands.push(decodeSparkplugPayload(payload)));
    await edgeClient.subscribeAsync(`spBv1.0/${group}/NCMD/${edge}`, { qos: 0 });
  });

  afterAll(async () => {
    await edgeClient?.endAsync();
    await source?.stop();
    await broker?.stop();
  });

  it('turns births and alias-only data into state, product and cumulative counter events', async () => {
    await nbirth(T0, 0);
    await dbirth('press1', T0, { state: 'PRODUCING', good: 100, reject: 5 });
    await send(
      'DDATA',
      deviceOf('press1'),
      [
        { alias: 2, type: 'UInt64', value: 110 },
        { alias: 3, type: 'UInt64', value: 6 },
      ],
      { tsMs: T0 + 30_000 },
    );
    await send('DDATA', deviceOf('press1'), [{ alias: 1, type: 'String', value: 'DOWN' }], { tsMs: T0 + 60_000 });
    // PackML Execute as an integer state, with its own metric timestamp.
    await send('DDATA', deviceOf('press1'), [{ alias: 1, type: 'Int32', value: 6, timestampMs: T0 + 90_000 }], {
      tsMs: T0 + 95_000,
    });

    await expect
      .poll(() => eventsOf('press1'), POLL)
      .toEqual([
        { type: 'state', tsMs: 0, state: 'PRODUCING' },
        { type: 'counter', tsMs: 0, counter: 'good', value: 100 },
        { type: 'counter', tsMs: 0, counter: 'reject', value: 5 },
        { type: 'product', tsMs: 0, productCode: 'P-100' },
        { type: 'counter', tsMs: 30_000, counter: 'good', value: 110 },
        { type: 'counter', tsMs: 30_000, counter: 'reject', value: 6 },
        { type: 'state', tsMs: 60_000, state: 'DOWN' },
        { type: 'state', tsMs: 90_000, state: 6 },
      ]);
    expect(sink.events[0]?.address).toBe(`spBv1.0/${group}/DBIRTH/${edge}/${deviceOf('press1')}`);
    expect(sink.rejections).toEqual([]);
    expect(source.status().rebirthRequests).toBe(0);
  });

  it('regression: a seq gap requests a rebirth (NCMD) and ignores data until the new birth', async () => {
    const before = sink.events.length;
    seq = (seq + 5) % 256; // five messages "lost"
    await send('DDATA', deviceOf('press1'), [{ alias: 2, type: 'UInt64', value: 150 }], { tsMs: T0 + 100_000 });
    await expect.poll(() => commands.length, POLL).toBe(1);
    expect(commands[0]?.metrics).toEqual([
      expect.objectContaining({
        name: SPARKPLUG_REBIRTH_METRIC,
        type: 'Boolean',
        wireValue: { field: 'boolean', value: true },
      }),
    ]);
    expect(source.status().rebirthRequests).toBe(1);
    // In sequence again, but before the birth: ignored, and not asked again within rebirthMinIntervalMs.
    await send('DDATA', deviceOf('press1'), [{ alias: 1, type: 'String', value: 'IDLE' }], { tsMs: T0 + 110_000 });
    // The edge node answers with a new birth.
    await nbirth(T0 + 120_000, 1);
    await dbirth('press1', T0 + 120_000, { state: 'DOWN', good: 160, reject: 6 });
    await expect.poll(() => sink.events.length - before, POLL).toBe(4);
    expect(eventsOf('press1').slice(-4)).toEqual([
      { type: 'state', tsMs: 120_000, state: 'DOWN' },
      { type: 'counter', tsMs: 120_000, counter: 'good', value: 160 },
      { type: 'counter', tsMs: 120_000, counter: 'reject', value: 6 },
      { type: 'product', tsMs: 120_000, productCode: 'P-100' },
    ]);
    expect(commands).toHaveLength(1);
  });

  it('regression: data of an edge node never seen born (bridge started late) requests a rebirth', async () => {
    const before = source.status().rebirthRequests;
    await edgeClient.publishAsync(
      `spBv1.0/${group}/DDATA/edge-late/${deviceOf('press9')}`,
      Buffer.from(
        encodeSparkplugPayload({ timestampMs: T0, seq: 17, metrics: [{ alias: 2, type: 'UInt64', value: 1 }] }),
      ),
      { qos: 1 },
    );
    await expect.poll(() => source.status().rebirthRequests, POLL).toBe(before + 1);
    expect(eventsOf('press9')).toEqual([]);
  });

  it('regression: DDEATH puts the device OFFLINE, NDEATH (matching bdSeq) every live device of the node', async () => {
    await dbirth('press2', T0 + 130_000, { state: 'PRODUCING', good: 0, reject: 0 });
    await dbirth('press3', T0 + 130_000, { state: 'PRODUCING', good: 0, reject: 0 });
    await send('DDEATH', deviceOf('press2'), [], { tsMs: T0 + 140_000 });
    await expect
      .poll(() => eventsOf('press2').at(-1), POLL)
      .toEqual({ type: 'state', tsMs: 140_000, state: 'OFFLINE' });

    // A stale NDEATH (the will of the previous session, bdSeq 0) changes nothing; the current one (1) does.
    const beforeMs = Date.now();
    await send('NDEATH', null, [{ name: 'bdSeq', type: 'UInt64', value: 0 }], { tsMs: T0, seq: null });
    await send('NDEATH', null, [{ name: 'bdSeq', type: 'UInt64', value: 1 }], { tsMs: T0, seq: null });
    await expect.poll(() => eventsOf('press3').at(-1)?.state, POLL).toBe('OFFLINE');
    expect(eventsOf('press1').at(-1)?.state).toBe('OFFLINE');
    // The will was stamped at connect time: the death is dated when it arrived.
    expect(Number(eventsOf('press3').at(-1)?.tsMs ?? 0) + T0).toBeGreaterThanOrEqual(beforeMs);
    // press2 was already dead by its DDEATH: not dead twice; and each death only once.
    expect(eventsOf('press2').filter((event) => event.type === 'state' && event.state === 'OFFLINE')).toHaveLength(1);
    expect(eventsOf('press3').filter((event) => event.type === 'state' && event.state === 'OFFLINE')).toHaveLength(1);
  });

  it('regression: malformed protobuf, unknown aliases and metric type mismatches are rejected with the raw payload', async () => {
    await nbirth(T0 + 200_000, 2);
    await dbirth('press4', T0 + 200_000, { state: 'PRODUCING', good: 0, reject: 0 });
    const garbage = Buffer.from([0xff, 0xff, 0x0f]);
    await edgeClient.publishAsync(`spBv1.0/${group}/DDATA/${edge}/${deviceOf('press4')}`, garbage, { qos: 1 });
    await send('DDATA', deviceOf('press4'), [{ alias: 2, type: 'String', value: 'twelve' }], { tsMs: T0 + 201_000 });
    await send('DDATA', deviceOf('press4'), [{ alias: 99, type: 'Int32', value: 1 }], { tsMs: T0 + 202_000 });
    await send('DDATA', deviceOf('press4'), [{ alias: 1, type: 'Boolean', value: true }], { tsMs: T0 + 203_000 });
    await expect.poll(() => sink.rejections.length, POLL).toBe(4);
    expect(sink.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^malformed Sparkplug B payload/),
      expect.stringMatching(/^metric GoodCount: type mismatch/),
      `unknown metric alias 99 for device ${deviceOf('press4')}`,
      expect.stringMatching(/^metric State: unknown state true/),
    ]);
    expect(Buffer.from(sink.rejections[0]?.payload ?? []).equals(garbage)).toBe(true);
    expect(sink.rejections[0]?.address).toBe(`spBv1.0/${group}/DDATA/${edge}/${deviceOf('press4')}`);
    // The bad messages did not break the sequence: data keeps flowing.
    await send('DDATA', deviceOf('press4'), [{ alias: 2, type: 'UInt64', value: 7 }], { tsMs: T0 + 204_000 });
    await expect
      .poll(() => eventsOf('press4').at(-1), POLL)
      .toEqual({ type: 'counter', tsMs: 204_000, counter: 'good', value: 7 });
  });
});
