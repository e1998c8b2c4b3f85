// Publishes simulated machines as one Sparkplug B 3.0 edge node (`spBv1.0/{group}/…/{edge}`), one device per
// machine (device id = machine path with `/` → `:`, the bridge's default mapping), metrics `State`, `Product`,
// `GoodCount` and `RejectCount` (cumulative). Edge node session per ch. 5 "Operational Behavior": NDEATH with
// bdSeq registered as the MQTT will, NBIRTH (seq 0, same bdSeq) then a DBIRTH per device with aliases, then
// alias-only DDATA without datatypes (the host reads each value by the datatype the DBIRTH gave its alias:
// tck-id-payloads-alias-data-cmd-requirement, tck-id-payloads-metric-datatype-not-req) with seq incrementing modulo
// 256; an NCMD `Node Control/Rebirth` = true is answered with new births. Sparkplug edge messages go at QoS 0, not
// retained (tck-id-topics-nbirth-qos and siblings).
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { get as getSparkplugCodec } from 'sparkplug-payload';
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import type { MachineStateChange } from './machine-model.ts';

const NAMESPACE = 'spBv1.0';
const REBIRTH_METRIC = 'Node Control/Rebirth';
const ALIAS = { State: 1, Product: 2, GoodCount: 3, RejectCount: 4 } as const;

const codec = (() => {
  const namespaceCodec = getSparkplugCodec(NAMESPACE);
  if (!namespaceCodec) throw new Error(`sparkplug-payload does not know namespace ${NAMESPACE}`);
  return namespaceCodec;
})();
// The protobuf schema itself: the library's encoder insists on a datatype for every metric.
const { Payload } = sparkplugProto.org.eclipse.tahu.protobuf;

/** A DDATA metric: its alias and its value in the field of its DBIRTH datatype (String or UInt64). */
type DataMetric = { alias: number; timestamp?: number } & ({ stringValue: string } | { longValue: number });

/** Current values of one simulated device, as the DBIRTH must carry them. */
export type SparkplugDeviceSnapshot = {
  machinePath: string;
  state: MachineStateChange;
  goodTotal: number;
  rejectTotal: number;
};

export type SparkplugPublisherOptions = {
  mqttUrl: string;
  groupId: string;
  edgeNodeId: string;
  clientId: string;
  logger: Logger;
  protocolVersion?: 4 | 5;
  /** The devices' current values, read at every (re)birth. */
  snapshot: () => SparkplugDeviceSnapshot[];
};

export type SparkplugPublisher = {
  publishState(machinePath: string, change: MachineStateChange): void;
  publishCounts(machinePath: string, tsMs: number, goodTotal: number, rejectTotal: number): void;
  /** Publishes NDEATH (a graceful end sends no will) and disconnects. */
  stop(timeoutMs?: number): Promise<void>;
  /** Births sent so far (the first included), for tests. */
  birthCount(): number;
};

/** The Sparkplug device id of a machine path (the bridge's default mapping). */
export function sparkplugDeviceId(machinePath: string): string {
  return machinePath.split('/').join(':');
}

export function createSparkplugPublisher(options: SparkplugPublisherOptions): SparkplugPublisher {
  const { mqttUrl, groupId, edgeNodeId, clientId, protocolVersion = 4, snapshot } = options;
  const logger = options.logger.child({ name: 'simulator.sparkplug' });
  const nodeTopic = (type: string) => `${NAMESPACE}/${groupId}/${type}/${edgeNodeId}`;
  const deviceTopic = (type: string, machinePath: string) =>
    `${NAMESPACE}/${groupId}/${type}/${edgeNodeId}/${sparkplugDeviceId(machinePath)}`;
  // bdSeq: one per MQTT session; the NBIRTH repeats the value of the will registered for that session.
  let bdSeq = 0;
  let seq = 0;
  let isBorn = false;
  let births = 0;
  let isStopping = false;
  const lastProduct = new Map<string, string | null>();

  const deathPayload = (value: number) =>
    Buffer.from(codec.encodePayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value }] }));
  const clientOptions: IClientOptions = {
    clientId,
    protocolVersion,
    // Sparkplug 3.0: edge nodes connect with a clean session and register the NDEATH as will.
    clean: true,
    reconnectPeriod: 1_000,
    keepalive: 30,
    will: { topic: nodeTopic('NDEATH'), payload: deathPayload(bdSeq), qos: 1, retain: false },
  };
  const client: MqttClient = connect(mqttUrl, clientOptions);

  const nextSeq = () => {
    const current = seq;
    seq = (seq + 1) % 256;
    return current;
  };
  const publish = (topic: string, bytes: Uint8Array) => {
    if (!client.connected) return; // QoS 0: nothing is queued; the next birth carries the current values
    client.publish(topic, Buffer.from(bytes), { qos: 0, retain: false });
  };
  const send = (topic: string, payload: Parameters<typeof codec.encodePayload>[0]) =>
    publish(topic, codec.encodePayload(payload));
  const sendData = (machinePath: string, timestamp: number, metrics: DataMetric[]) =>
    publish(
      deviceTopic('DDATA', machinePath),
      Payload.encode(Payload.create({ timestamp, seq: nextSeq(), metrics })).finish(),
    );

  function birth(): void {
    const nowMs = Date.now();
    seq = 0;
    send(nodeTopic('NBIRTH'), {
      timestamp: nowMs,
      seq: nextSeq(),
      metrics: [
        { name: 'bdSeq', type: 'UInt64', value: bdSeq },
        { name: REBIRTH_METRIC, type: 'Boolean', value: false },
      ],
    });
    for (const device of snapshot()) {
      lastProduct.set(device.machinePath, device.state.productCode);
      send(deviceTopic('DBIRTH', device.machinePath), {
        timestamp: nowMs,
        seq: nextSeq(),
        metrics: [
          {
            name: 'State',
            alias: ALIAS.State,
            type: 'String',
            value: device.state.state,
            timestamp: device.state.tsMs,
          },
          {
            name: 'Product',
            alias: ALIAS.Product,
            type: 'String',
            ...(device.state.productCode === null
              ? { isNull: true, value: null }
              : { value: device.state.productCode }),
          },
          { name: 'GoodCount', alias: ALIAS.GoodCount, type: 'UInt64', value: device.goodTotal },
          { name: 'RejectCount', alias: ALIAS.RejectCount, type: 'UInt64', value: device.rejectTotal },
        ],
      });
    }
    isBorn = true;
    births += 1;
  }

  client.on('connect', () => {
    logger.info({ mqttUrl, groupId, edgeNodeId, bdSeq }, 'connected');
    client.subscribe(nodeTopic('NCMD'), { qos: 0 }, (error) => {
      if (error) logger.warn({ error: error.message }, 'cannot subscribe to NCMD');
    });
    birth();
  });
  client.on('close', () => {
    if (isBorn && !isStopping) logger.warn({ mqttUrl }, 'connection lost');
    if (isBorn) {
      // The next session registers the next bdSeq as its will (the NBIRTH will repeat it).
      bdSeq = (bdSeq + 1) % 256;
      if (client.options.will) client.options.will.payload = deathPayload(bdSeq);
    }
    isBorn = false;
  });
  client.on('error', (error) => logger.warn({ mqttUrl, error: error.message }, 'MQTT error'));
  client.on('message', (_topic, bytes) => {
    try {
      const command = codec.decodePayload(bytes);
      if (command.metrics?.some((metric) => metric.name === REBIRTH_METRIC && metric.value === true)) {
        logger.info('rebirth requested');
        birth();
      }
    } catch (error) {
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'malformed NCMD ignored');
    }
  });

  return {
    publishState(machinePath, change) {
      if (!isBorn) return;
      const metrics: DataMetric[] = [{ alias: ALIAS.State, stringValue: change.state, timestamp: change.tsMs }];
      if (change.productCode !== null && change.productCode !== lastProduct.get(machinePath)) {
        lastProduct.set(machinePath, change.productCode);
        metrics.push({ alias: ALIAS.Product, stringValue: change.productCode, timestamp: change.tsMs });
      }
      sendData(machinePath, change.tsMs, metrics);
    },
    publishCounts(machinePath, tsMs, goodTotal, rejectTotal) {
      if (!isBorn) return;
      sendData(machinePath, tsMs, [
        { alias: ALIAS.GoodCount, longValue: goodTotal },
        { alias: ALIAS.RejectCount, longValue: rejectTotal },
      ]);
    },
    async stop(timeoutMs = 3_000) {
      isStopping = true;
      if (client.connected) {
        // A graceful disconnect discards the will (MQTT 3.1.1 §3.14.4): publish the death ourselves.
        await client.publishAsync(nodeTopic('NDEATH'), deathPayload(bdSeq), { qos: 1 }).catch(() => {});
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([client.endAsync(!client.connected).then(() => 'ended' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') client.stream.destroy();
      logger.info('disconnected');
    },
    birthCount() {
      return births;
    },
  };
}
