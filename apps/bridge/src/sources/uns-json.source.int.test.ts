// The UNS JSON source against real brokers (Mosquitto and the embedded aedes broker), with a recording sink standing
// where the @takt/ingest pipeline goes: MQTT's way to clear a retained state, an empty retained message, is
// neither an event nor a dead letter.
import { randomBytes } from 'node:crypto';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../embedded-broker.ts';
import { createRecordingSink } from '../testing/recording-sink.fixture.ts';
import { createUnsJsonSource } from './uns-json.source.ts';

const POLL = { timeout: 5_000, interval: 20 };
const logger = pino({ level: 'silent' });
const randomId = () => randomBytes(4).toString('hex');

describe.each([
  { brokerName: 'Mosquitto', isEmbedded: false },
  { brokerName: 'embedded aedes', isEmbedded: true },
])('UNS JSON source over $brokerName', { timeout: 20_000 }, ({ isEmbedded }) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  });

  it('regression: an empty retained payload on a state topic (the retained state cleared) is counted, not dead-lettered', async () => {
    const broker = isEmbedded ? await startEmbeddedBroker() : null;
    if (broker) cleanups.push(() => broker.stop());
    const mqttUrl = broker?.url ?? 'mqtt://127.0.0.1:1883';
    const prefix = `takt-uns-${randomId()}`;
    const topic = `${prefix}/plant1/assembly/line1/press1/state`;
    const publisher = await connectAsync(mqttUrl, { clientId: `pub-${randomId()}`, clean: true });
    cleanups.push(() => publisher.endAsync());
    const clientId = `takt-uns-test-${randomId()}`;
    const sink = createRecordingSink();
    const source = createUnsJsonSource({
      code: 'test-uns',
      dataSourceId: null,
      mqttUrl,
      topicPrefix: prefix,
      clientId,
      logger,
    });
    source.start(sink);
    cleanups.push(async () => {
      await source.stop();
      await (await connectAsync(mqttUrl, { clientId, clean: true })).endAsync(); // no session left behind
    });
    await source.ready;
    await publisher.publishAsync(topic, JSON.stringify({ state: 'DOWN', timestamp_ms: Date.now() }), {
      qos: 1,
      retain: true,
    });
    await expect.poll(() => sink.events.length, POLL).toBe(1);
    // The publisher clears its retained state: live to this subscriber, and nothing left for a later one.
    await publisher.publishAsync(topic, Buffer.alloc(0), { qos: 1, retain: true });
    await expect.poll(() => source.status().clearedMessages, POLL).toBe(1);
    expect(sink.events).toHaveLength(1);
    expect(sink.rejections).toEqual([]);
  });
});
