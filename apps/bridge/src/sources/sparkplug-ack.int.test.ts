// At least once for Sparkplug B (mqtt-session.ts): on the host application's clean session too, a Sparkplug message
// is acknowledged to the broker only once the sink has stored the events it carries; a message that carries none
// (NBIRTH, the host's own STATE) is acknowledged at once.
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import type { ConnectorAnswer, ConnectorSink } from './source.ts';
import { deviceIdOfMachinePath } from './sparkplug-host.state.ts';
import { encodeSparkplugPayload, type SparkplugMetricInput } from './sparkplug.decoder.ts';
import { createSparkplugSource, SPARKPLUG_REBIRTH_METRIC } from './sparkplug.source.ts';

const logger = pino({ level: 'silent' });
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

/** A sink that stores nothing until the test opens it. */
function gatedSink() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let submitted = 0;
  const sink: ConnectorSink = {
    async submit(inputs) {
      submitted += inputs.length;
      await opened;
      return { results: inputs.map(() => ({ status: 'accepted' as const })) };
    },
    async reject(rejections): Promise<ConnectorAnswer> {
      await opened;
      return { results: rejections.map(() => ({ status: 'rejected' as const, reason: 'dead-lettered' })) };
    },
  };
  return { sink, open, submitted: () => submitted };
}

describe('Sparkplug B source acknowledgements', { timeout: 20_000 }, () => {
  const group = `takt-test-ack-${randomBytes(4).toString('hex')}`;
  let broker: EmbeddedBroker;
  let edge: MqttClient;
  let seq = 0;

  const send = (type: string, device: string | null, metrics: SparkplugMetricInput[]) => {
    const payload = encodeSparkplugPayload({ timestampMs: T0 + seq * 1_000, seq, metrics });
    seq = (seq + 1) % 256;
    return edge.publishAsync(
      `spBv1.0/${group}/${type}/edge1${device === null ? '' : `/${device}`}`,
      Buffer.from(payload),
      {
        qos: 1,
      },
    );
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    edge = await connectAsync(broker.url, { clientId: `takt-edge-${randomBytes(4).toString('hex')}`, clean: true });
  });
  afterAll(async () => {
    await edge?.endAsync();
    await broker?.stop();
  });

  it('acknowledges DBIRTH and DDATA only once the sink has stored their events (clean session)', async () => {
    const gate = gatedSink();
    const source = createSparkplugSource({
      code: 'test-sparkplug-ack',
      dataSourceId: null,
      mqttUrl: broker.url,
      groupId: group,
      hostId: `takt-ack-${randomBytes(4).toString('hex')}`,
      clientId: `takt-sp-ack-${randomBytes(4).toString('hex')}`,
      logger,
    });
    source.start(gate.sink);
    await source.ready;
    try {
      const device = deviceIdOfMachinePath('plant1/assembly/line1/press1');
      await send('NBIRTH', null, [
        { name: 'bdSeq', type: 'UInt64', value: 0 },
        { name: SPARKPLUG_REBIRTH_METRIC, type: 'Boolean', value: false },
      ]);
      await send('DBIRTH', device, [
        { name: 'State', alias: 1, type: 'String', value: 'PRODUCING' },
        { name: 'GoodCount', alias: 2, type: 'UInt64', value: 10 },
      ]);
      await send('DDATA', device, [{ alias: 2, type: 'UInt64', value: 12 }]);
      await expect.poll(gate.submitted, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
      // NBIRTH carried no event: acknowledged. DBIRTH and DDATA wait for the sink.
      await expect.poll(() => source.status().unackedMessages, { timeout: 5_000 }).toBe(2);
      gate.open();
      await expect.poll(() => source.status().unackedMessages, { timeout: 5_000 }).toBe(0);
    } finally {
      gate.open();
      await source.stop();
    }
  });
});
