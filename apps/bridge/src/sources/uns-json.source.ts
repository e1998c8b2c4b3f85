// Source for the Unified Namespace JSON contract over MQTT (packages/ingest/README.md; topics and
// payloads in apps/bridge/README.md). Subscribes to `{prefix}/#` at QoS 1 on a persistent session, so that
// messages published while the bridge is away are delivered when it returns, and acknowledges each message once
// its event (or dead letter) is stored (mqtt-session.ts).
//
// Protocol: MQTT 3.1.1 by default, because every broker speaks it, the embedded aedes 1.x only speaks
// 3.1.x, and Sparkplug B 3.0 is specified on it; MQTT 5.0 on request. Spec references: MQTT 3.1.1 (OASIS
// Standard, 29 October 2014) and MQTT 5.0 (OASIS Standard, 7 March 2019).
import type { Logger } from 'pino';
import {
  isEverythingStored,
  type ConnectorAnswer,
  type ConnectorSink,
  type ConnectorSourceInfo,
  type Source,
  type SourceStatus,
} from './source.ts';
import { createMqttSubscriber, type MessageOutcome } from './mqtt-session.ts';
import { decodeUnsMessage, type UnsStateValueMaps } from './uns-json.decoder.ts';

export type UnsJsonSourceOptions = {
  code: string;
  dataSourceId: string | null;
  mqttUrl: string;
  topicPrefix: string;
  /** Must be stable across restarts (the broker keys the persistent session by it) and unique per bridge. */
  clientId: string;
  logger: Logger;
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5.0. */
  protocolVersion?: 4 | 5;
  /** MQTT 5 only: how long the broker keeps our session (and queues QoS 1 messages) while we are away. */
  sessionExpirySec?: number;
  /** Most messages received and not yet stored (acknowledged); default 40,000 (BRIDGE_MAX_PENDING_EVENTS). */
  maxUnackedMessages?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Value maps of the data source's STATE signal mappings, by state topic (uns-json.mapping.ts). */
  stateValueMaps?: UnsStateValueMaps;
  now?: () => number;
};

/** Empty payloads (retained values cleared) are counted apart: they are neither events nor dead letters. */
export type UnsJsonSourceStatus = SourceStatus & { clearedMessages: number };

export function createUnsJsonSource(
  options: UnsJsonSourceOptions,
): Omit<Source, 'status'> & { status(): UnsJsonSourceStatus } {
  const {
    code,
    dataSourceId,
    mqttUrl,
    topicPrefix,
    clientId,
    protocolVersion = 4,
    sessionExpirySec = 3_600,
    maxUnackedMessages = 40_000,
    reconnectInitialDelayMs = 500,
    reconnectMaxDelayMs = 30_000,
    now = Date.now,
  } = options;
  const logger = options.logger.child({ name: 'bridge.source.uns-json' });
  const status: UnsJsonSourceStatus = {
    isConnected: false,
    connectCount: 0,
    lastError: null,
    unackedMessages: 0,
    clearedMessages: 0,
  };
  // MQTT 5 rh = 1: retained messages only when the subscription is new (5.0 §3.8.3.1 Retain Handling).
  // Under 3.1.1 we get the same by not resubscribing while the broker kept the session.
  const subscriber = createMqttSubscriber({
    mqttUrl,
    clientId,
    protocolVersion,
    session: { isPersistent: true, expirySec: sessionExpirySec },
    maxUnackedMessages,
    reconnectInitialDelayMs,
    reconnectMaxDelayMs,
    logger,
    status,
    topicFilters: [`${topicPrefix}/#`],
    subscribeOptions: protocolVersion === 5 ? { qos: 1, rh: 1 } : { qos: 1 },
  });

  const info: ConnectorSourceInfo = { code, kind: 'MQTT_JSON', dataSourceId };

  /** The message's event or dead letter handed to the sink; null when there is nothing to store. */
  function handOver(
    sink: ConnectorSink,
    topic: string,
    payload: Buffer,
    isRetained: boolean,
  ): Promise<ConnectorAnswer> | null {
    const receivedAtMs = now();
    try {
      const result = decodeUnsMessage(topicPrefix, { address: topic, payload }, options.stateValueMaps);
      if (result.ok === true) {
        // RETAIN is set only on messages sent because of a new subscription (3.1.1 §3.3.1.3): old news.
        const origin = { address: topic, payload, receivedAtMs, isReplay: isRetained };
        return sink.submit([{ event: result.event, origin }], info);
      }
      if (result.ok === 'ignore') {
        status.clearedMessages += 1;
        logger.debug({ topic, why: result.why }, 'ignored');
        return null;
      }
      return sink.reject([{ address: topic, payload, reason: result.reason, receivedAtMs }], info);
    } catch (error) {
      // The decoder is pure and total; this only guards the process against a bug in it.
      const reason = `decoder error: ${error instanceof Error ? error.message : String(error)}`;
      return sink.reject([{ address: topic, payload, reason, receivedAtMs }], info);
    }
  }

  /** One message's event or dead letter, and whether it is stored (then the session acknowledges it). */
  async function handleMessage(
    sink: ConnectorSink,
    topic: string,
    payload: Buffer,
    isRetained: boolean,
  ): Promise<MessageOutcome> {
    const answer = handOver(sink, topic, payload, isRetained);
    if (!answer) return 'stored';
    return isEverythingStored(await answer) ? 'stored' : 'not-stored';
  }

  return {
    code,
    kind: 'MQTT_JSON',
    ready: subscriber.ready,
    start(sink) {
      subscriber.start({
        onConnectionChange: (isConnected) => sink.setSourceStatus?.(info, { isConnected }),
        onMessage: (topic, payload, packet) => handleMessage(sink, topic, payload, packet.retain),
        waitForRoom: () => sink.waitForRoom?.() ?? null,
      });
    },
    stop: () => subscriber.stop(),
    status() {
      return { ...status };
    },
  };
}
