// The Sparkplug B 3.0 host application session of the Sparkplug source against real brokers (Mosquitto and the
// embedded aedes broker): STATE birth and death with the Will, clean session, subscription before the birth,
// DATA metrics typed by the birth certificate, STALE on a lost connection. Test names carry the TCK assertion ids
// they check; docs/sparkplug-conformance.md lists every host statement with its test. The connection is cut
// through a TCP proxy, as a network failure would (the broker then publishes the Will).
import { randomBytes } from 'node:crypto';
import { connect, connectAsync, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { createRecordingSink, type RecordingSink } from '../testing/recording-sink.fixture.ts';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.fixture.ts';
import { createUnsJsonSource } from './uns-json.source.ts';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  metricValueOf,
  type SparkplugMetricInput,
} from './sparkplug.decoder.ts';
import { createSparkplugSource, SPARKPLUG_REBIRTH_METRIC, sparkplugStateTopic } from './sparkplug.source.ts';

const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';
const POLL = { timeout: 5_000, interval: 20 };
const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
const randomId = () => randomBytes(4).toString('hex');

type Received = { topic: string; payload: Buffer; qos: number; isRetained: boolean };

/** A plain MQTT client that records what it receives on `filters`. */
async function observe(mqttUrl: string, filters: string[]): Promise<{ client: MqttClient; received: Received[] }> {
  const received: Received[] = [];
  const client = await connectAsync(mqttUrl, { clientId: `observer-${randomId()}`, clean: true });
  client.on('message', (topic, payload, packet: IPublishPacket) =>
    received.push({ topic, payload, qos: packet.qos, isRetained: packet.retain }),
  );
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, received };
}

const stateOf = (received: Received) => JSON.parse(received.payload.toString('utf8')) as unknown;

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('Sparkplug B host application session over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  });

  async function brokerUrl(): Promise<string> {
    if (!isEmbedded) return MOSQUITTO_URL;
    const broker: EmbeddedBroker = await startEmbeddedBroker();
    cleanups.push(() => broker.stop());
    return broker.url;
  }

  async function proxyTo(mqttUrl: string): Promise<TcpProxy> {
    const url = new URL(mqttUrl);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    cleanups.push(() => proxy.close());
    return proxy;
  }

  function startHost(mqttUrl: string, options: { groupId: string; hostId: string; sink?: RecordingSink }) {
    const sink = options.sink ?? createRecordingSink();
    const source = createSparkplugSource({
      code: 'test-host',
      dataSourceId: null,
      mqttUrl,
      groupId: options.groupId,
      hostId: options.hostId,
      clientId: `takt-host-${randomId()}`,
      logger,
      reconnectInitialDelayMs: 50,
      reconnectMaxDelayMs: 200,
      rebirthMinIntervalMs: 0,
    });
    source.start(sink);
    cleanups.push(() => source.stop());
    return { source, sink };
  }

  async function edgeNode(mqttUrl: string) {
    const client = await connectAsync(mqttUrl, { clientId: `edge-${randomId()}`, clean: true });
    cleanups.push(() => client.endAsync());
    return client;
  }

  it('tck-id-host-topic-phid-birth-*, -death-*, tck-id-payloads-state-*: STATE birth retained QoS 1 with the timestamp of the Will; the Will is the death, retained QoS 1, fresh per CONNECT', async () => {
    const mqttUrl = await brokerUrl();
    const proxy = await proxyTo(mqttUrl);
    const hostId = `takt-${randomId()}`;
    const stateTopic = sparkplugStateTopic(hostId);
    const watcher = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => watcher.client.endAsync());
    const beforeMs = Date.now();
    const { source } = startHost(proxy.urlThrough(mqttUrl), { groupId: `g-${randomId()}`, hostId });
    await source.ready;
    await expect.poll(() => watcher.received.length, POLL).toBe(1);
    const birth = watcher.received[0]!;
    expect(birth).toMatchObject({ topic: stateTopic, qos: 1 });
    const { timestamp } = stateOf(birth) as { timestamp: number };
    expect(stateOf(birth)).toEqual({ online: true, timestamp: expect.any(Number) });
    expect(timestamp).toBeGreaterThanOrEqual(beforeMs);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    expect(birth.payload.toString('utf8')).toBe(JSON.stringify({ online: true, timestamp }));

    // Retained: a client subscribing now gets it (with the retain flag).
    const late = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => late.client.endAsync());
    await expect.poll(() => late.received[0], POLL).toMatchObject({ isRetained: true });
    expect(stateOf(late.received[0]!)).toEqual({ online: true, timestamp });

    // The connection breaks without a DISCONNECT: the broker publishes the Will, which carries the same timestamp.
    proxy.cut();
    await expect.poll(() => watcher.received.length, POLL).toBe(2);
    expect(watcher.received[1]).toMatchObject({ qos: 1 });
    expect(stateOf(watcher.received[1]!)).toEqual({ online: false, timestamp });
    const afterWill = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => afterWill.client.endAsync());
    await expect.poll(() => afterWill.received[0], POLL).toMatchObject({ isRetained: true });
    expect(stateOf(afterWill.received[0]!)).toEqual({ online: false, timestamp });

    // Back: a new CONNECT with a new Will timestamp, and a birth repeating it (maybe twice: the retained death of
    // the previous connection, delivered on the new subscription, is answered with the birth too).
    proxy.restore();
    await expect.poll(() => watcher.received.length, POLL).toBeGreaterThanOrEqual(3);
    const rebirth = stateOf(watcher.received[2]!) as { online: boolean; timestamp: number };
    expect(rebirth.online).toBe(true);
    expect(rebirth.timestamp).toBeGreaterThan(timestamp);
    for (const later of watcher.received.slice(3)) expect(stateOf(later)).toEqual(rebirth);
  });

  it('tck-id-operational-behavior-host-application-termination, -death-*: stop publishes the death (current time, retained, QoS 1) before disconnecting', async () => {
    const mqttUrl = await brokerUrl();
    const hostId = `takt-${randomId()}`;
    const stateTopic = sparkplugStateTopic(hostId);
    const watcher = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => watcher.client.endAsync());
    const { source } = startHost(mqttUrl, { groupId: `g-${randomId()}`, hostId });
    await source.ready;
    await expect.poll(() => watcher.received.length, POLL).toBe(1);
    const { timestamp: birthMs } = stateOf(watcher.received[0]!) as { timestamp: number };
    const stoppingAtMs = Date.now();
    await source.stop();
    await expect.poll(() => watcher.received.length, POLL).toBe(2);
    expect(watcher.received[1]).toMatchObject({ qos: 1 });
    const death = stateOf(watcher.received[1]!) as { online: boolean; timestamp: number };
    expect(death.online).toBe(false);
    expect(death.timestamp).toBeGreaterThanOrEqual(Math.max(birthMs, stoppingAtMs));
    const late = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => late.client.endAsync());
    await expect.poll(() => late.received[0], POLL).toMatchObject({ isRetained: true });
    expect(stateOf(late.received[0]!)).toEqual(death);
  });

  it('tck-id-message-flow-hid-sparkplug-state-message-delivered: a STATE offline for its own id is answered by the birth again', async () => {
    const mqttUrl = await brokerUrl();
    const hostId = `takt-${randomId()}`;
    const stateTopic = sparkplugStateTopic(hostId);
    const watcher = await observe(mqttUrl, [stateTopic]);
    cleanups.push(() => watcher.client.endAsync());
    const { source } = startHost(mqttUrl, { groupId: `g-${randomId()}`, hostId });
    await source.ready;
    await expect.poll(() => watcher.received.length, POLL).toBe(1);
    const birth = stateOf(watcher.received[0]!);
    await watcher.client.publishAsync(stateTopic, JSON.stringify({ online: false, timestamp: Date.now() }), {
      qos: 1,
    });
    await expect.poll(() => watcher.received.length, POLL).toBe(3); // the offline, then the answer
    expect(stateOf(watcher.received[2]!)).toEqual(birth);
  });

  it('regression: an edge node waiting for its primary host births on the STATE birth, and the host (subscribed before it) ingests that birth (tck-id-message-flow-phid-sparkplug-subscription)', async () => {
    const mqttUrl = await brokerUrl();
    const hostId = `takt-${randomId()}`;
    const groupId = `g-${randomId()}`;
    const edge = await edgeNode(mqttUrl);
    // The edge node of tck-id-message-flow-edge-node-birth-publish-phid-wait: births only once its host is online.
    edge.on('message', (topic, payload) => {
      if (
        topic !== sparkplugStateTopic(hostId) ||
        (stateOf({ payload } as Received) as { online: boolean }).online !== true
      )
        return;
      const birth = (type: string, suffix: string, seq: number, metrics: SparkplugMetricInput[]) =>
        edge.publish(
          `spBv1.0/${groupId}/${type}/edge1${suffix}`,
          Buffer.from(encodeSparkplugPayload({ timestampMs: T0, seq, metrics })),
        );
      birth('NBIRTH', '', 0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
      birth('DBIRTH', '/plant1:assembly:line1:press1', 1, [{ name: 'State', alias: 1, type: 'String', value: 'IDLE' }]);
    });
    await edge.subscribeAsync(sparkplugStateTopic(hostId), { qos: 1 });
    const { source, sink } = startHost(mqttUrl, { groupId, hostId });
    await source.ready;
    await expect
      .poll(() => sink.events, POLL)
      .toEqual([
        expect.objectContaining({ type: 'state', state: 'IDLE', machinePath: 'plant1/assembly/line1/press1' }),
      ]);
  });

  it('tck-id-host-topic-phid-birth-message: its first message on a connection is the STATE birth, even when data asks for a rebirth at once', async () => {
    const mqttUrl = await brokerUrl();
    const hostId = `takt-${randomId()}`;
    const groupId = `g-${randomId()}`;
    const unbornTopic = `spBv1.0/${groupId}/DDATA/edge9/dev1`;
    const edge = await edgeNode(mqttUrl);
    // Retained, so that the broker hands it to the host right after its SUBSCRIBE: data of a node never born.
    await edge.publishAsync(
      unbornTopic,
      Buffer.from(
        encodeSparkplugPayload({ timestampMs: T0, seq: 5, metrics: [{ alias: 1, type: 'Int32', value: 1 }] }),
      ),
      { qos: 1, retain: true },
    );
    cleanups.push(() => edge.publishAsync(unbornTopic, Buffer.alloc(0), { qos: 1, retain: true }));
    const watcher = await observe(mqttUrl, [sparkplugStateTopic(hostId), `spBv1.0/${groupId}/NCMD/+`]);
    cleanups.push(() => watcher.client.endAsync());
    const { source } = startHost(mqttUrl, { groupId, hostId });
    await source.ready;
    await expect
      .poll(() => watcher.received.map((each) => each.topic), POLL)
      .toEqual([sparkplugStateTopic(hostId), `spBv1.0/${groupId}/NCMD/edge9`]);
  });

  it('tck-id-topics-ncmd-*, tck-id-payloads-ncmd-*, tck-id-operational-behavior-data-commands-ncmd-rebirth-*: the rebirth request is an NCMD at QoS 0, not retained, with a timestamp, no seq, `Node Control/Rebirth` = true', async () => {
    const mqttUrl = await brokerUrl();
    const groupId = `g-${randomId()}`;
    const watcher = await observe(mqttUrl, [`spBv1.0/${groupId}/NCMD/+`]);
    cleanups.push(() => watcher.client.endAsync());
    const { source } = startHost(mqttUrl, { groupId, hostId: `takt-${randomId()}` });
    await source.ready;
    const edge = await edgeNode(mqttUrl);
    const beforeMs = Date.now();
    await edge.publishAsync(
      `spBv1.0/${groupId}/NDATA/edge3`,
      Buffer.from(encodeSparkplugPayload({ timestampMs: T0, seq: 9, metrics: [] })),
    );
    await expect.poll(() => watcher.received.length, POLL).toBe(1);
    const command = watcher.received[0]!;
    // QoS 0 as published: the broker never upgrades it for a QoS 1 subscriber.
    expect(command).toMatchObject({ topic: `spBv1.0/${groupId}/NCMD/edge3`, qos: 0, isRetained: false });
    const payload = decodeSparkplugPayload(command.payload);
    expect(payload.seq).toBeNull();
    expect(payload.timestampMs).toBeGreaterThanOrEqual(beforeMs);
    expect(payload.metrics).toHaveLength(1);
    expect(payload.metrics[0]).toMatchObject({ name: SPARKPLUG_REBIRTH_METRIC, alias: null, type: 'Boolean' });
    expect(metricValueOf(payload.metrics[0]!)).toBe(true);
  });

  it('tck-id-payloads-metric-datatype-not-req: DDATA metrics without a datatype are read by the DBIRTH datatype of their alias or name; one that cannot be typed is dead-lettered', async () => {
    const mqttUrl = await brokerUrl();
    const groupId = `g-${randomId()}`;
    const { source, sink } = startHost(mqttUrl, { groupId, hostId: `takt-${randomId()}` });
    await source.ready;
    const edge = await edgeNode(mqttUrl);
    const device = 'plant1:assembly:line1:press5';
    let seq = 0;
    const send = (type: string, metrics: SparkplugMetricInput[], tsMs: number) =>
      edge.publishAsync(
        `spBv1.0/${groupId}/${type}/edge1${type.startsWith('D') ? `/${device}` : ''}`,
        Buffer.from(encodeSparkplugPayload({ timestampMs: tsMs, seq: seq++, metrics })),
      );
    await send('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }], T0);
    await send(
      'DBIRTH',
      [
        { name: 'State', alias: 1, type: 'String', value: 'IDLE' },
        { name: 'GoodCount', alias: 2, type: 'UInt64', value: 100 },
        { name: 'RejectCount', alias: 3, type: 'Int32', value: 0, isDatatypeOmitted: true }, // malformed birth
      ],
      T0,
    );
    const untyped = { isDatatypeOmitted: true } as const;
    await send('DDATA', [{ alias: 2, type: 'UInt64', value: 110, ...untyped }], T0 + 1_000);
    await send('DDATA', [{ alias: 1, type: 'String', value: 'PRODUCING', ...untyped }], T0 + 2_000);
    await send('DDATA', [{ name: 'GoodCount', type: 'UInt64', value: 120, ...untyped }], T0 + 3_000);
    await send('DDATA', [{ alias: 3, type: 'Int32', value: 1, ...untyped }], T0 + 4_000);
    await expect
      .poll(() => sink.events.map((event) => ({ ...event, address: undefined, machinePath: undefined })), POLL)
      .toEqual([
        { type: 'state', tsMs: T0, state: 'IDLE' },
        { type: 'counter', tsMs: T0, counter: 'good', value: 100 },
        { type: 'counter', tsMs: T0 + 1_000, counter: 'good', value: 110 },
        { type: 'state', tsMs: T0 + 2_000, state: 'PRODUCING' },
        { type: 'counter', tsMs: T0 + 3_000, counter: 'good', value: 120 },
      ]);
    await expect
      .poll(() => sink.rejections.map((rejection) => rejection.reason), POLL)
      .toEqual([
        'metric RejectCount: no datatype, neither in the message nor in the birth certificate',
        'metric RejectCount: no datatype, neither in the message nor in the birth certificate',
      ]);
  });

  it('STALE on a lost connection: the machines go OFFLINE, and once born again the host asks their edge node for a rebirth', async () => {
    const mqttUrl = await brokerUrl();
    const proxy = await proxyTo(mqttUrl);
    const groupId = `g-${randomId()}`;
    const hostId = `takt-${randomId()}`;
    const { source, sink } = startHost(proxy.urlThrough(mqttUrl), { groupId, hostId });
    await source.ready;
    const edge = await edgeNode(mqttUrl);
    const commands: string[] = [];
    edge.on('message', (topic) => commands.push(topic));
    await edge.subscribeAsync(`spBv1.0/${groupId}/NCMD/edge1`, { qos: 1 });
    const encode = (seq: number, metrics: SparkplugMetricInput[]) =>
      Buffer.from(encodeSparkplugPayload({ timestampMs: T0, seq, metrics }));
    await edge.publishAsync(
      `spBv1.0/${groupId}/NBIRTH/edge1`,
      encode(0, [{ name: 'bdSeq', type: 'UInt64', value: 0 }]),
    );
    await edge.publishAsync(
      `spBv1.0/${groupId}/DBIRTH/edge1/plant1:assembly:line1:press6`,
      encode(1, [{ name: 'State', alias: 1, type: 'String', value: 'PRODUCING' }]),
    );
    await expect.poll(() => sink.events.length, POLL).toBe(1);
    const cutAtMs = Date.now();
    proxy.cut();
    await expect
      .poll(() => sink.events.at(-1), POLL)
      .toMatchObject({ type: 'state', machinePath: 'plant1/assembly/line1/press6', state: 'OFFLINE' });
    expect(sink.events.at(-1)?.tsMs).toBeGreaterThanOrEqual(cutAtMs);
    expect(commands).toEqual([]);
    proxy.restore();
    await expect.poll(() => commands, POLL).toEqual([`spBv1.0/${groupId}/NCMD/edge1`]);
  });

  it.runIf(!isEmbedded)(
    'tck-id-message-flow-phid-sparkplug-clean-session-311 and -50: the host connects with a clean session (MQTT 5: Clean Start, Session Expiry 0), the UNS JSON source keeps its persistent one',
    async () => {
      /** Whether the broker kept a session for `clientId` after `start`ed and stopped a source with it. */
      async function isSessionKept(
        protocolVersion: 4 | 5,
        start: (clientId: string) => { ready: Promise<void>; stop(): Promise<void> },
      ): Promise<boolean> {
        const clientId = `takt-session-${randomId()}`;
        const source = start(clientId);
        await source.ready;
        await source.stop();
        const probe = connect(MOSQUITTO_URL, {
          clientId,
          clean: false,
          protocolVersion,
          reconnectPeriod: 0,
          ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 0 } } : {}),
        });
        const connack = await new Promise<IConnackPacket>((resolve, reject) => {
          probe.once('connect', resolve);
          probe.once('error', reject);
        });
        await probe.endAsync();
        // Leave no session behind on the shared broker.
        await (await connectAsync(MOSQUITTO_URL, { clientId, clean: true, protocolVersion })).endAsync();
        return connack.sessionPresent;
      }
      const sparkplugHost = (protocolVersion: 4 | 5) => (clientId: string) => {
        const source = createSparkplugSource({
          code: 'test-host',
          dataSourceId: null,
          mqttUrl: MOSQUITTO_URL,
          groupId: `g-${randomId()}`,
          hostId: `takt-${randomId()}`,
          clientId,
          protocolVersion,
          logger,
        });
        source.start(createRecordingSink());
        return source;
      };
      expect(await isSessionKept(4, sparkplugHost(4))).toBe(false);
      expect(await isSessionKept(5, sparkplugHost(5))).toBe(false);
      // The control: the same probe sees the persistent session of the UNS JSON source.
      const unsSource = (clientId: string) => {
        const source = createUnsJsonSource({
          code: 'test-uns',
          dataSourceId: null,
          mqttUrl: MOSQUITTO_URL,
          topicPrefix: `takt-${randomId()}`,
          clientId,
          logger,
        });
        source.start(createRecordingSink());
        return source;
      };
      expect(await isSessionKept(4, unsSource)).toBe(true);
    },
  );
});
