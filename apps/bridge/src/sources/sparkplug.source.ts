// Sparkplug B 3.0 host application source: subscribes `spBv1.0/{group}/#`, decodes the protobuf payloads,
// keeps births/aliases/seq per edge node (sparkplug-host.state.ts), asks edge nodes for a rebirth when it lost
// track, and turns device metrics into state and count events.
//
// Host application session (Sparkplug B 3.0 ch. 5 "Sparkplug Host Application Session Establishment" / "…
// Session Termination", ch. 6 "STATE"; every statement and its test: docs/sparkplug-conformance.md):
// - CONNECT with a clean session and the Will `spBv1.0/STATE/{host_id}` = {"online":false,"timestamp":t}, QoS 1,
//   retained, t = the time of that CONNECT;
// - SUBSCRIBE the group's topics and our own STATE topic in one packet, then publish the birth
//   {"online":true,"timestamp":t} (same t) QoS 1 retained; no other message of ours comes before it;
// - a STATE "online":false on our own topic after the birth (e.g. the broker delivered our Will by mistake)
//   is answered by the birth again;
// - a lost connection makes every known metric STALE: the machines go OFFLINE, and once connected again
//   each known edge node is asked for a rebirth; on stop the death is published before the DISCONNECT (which
//   discards the Will).
import type { Logger } from 'pino';
import type { TIngestEvent } from '@takt/contracts';
import type { MqttClient } from 'mqtt';
import { createMqttSubscriber } from './mqtt-session.ts';
import type { ConnectorSink, ConnectorSourceInfo, Source, SourceStatus } from './source.ts';
import { createSparkplugHostState, type SparkplugMetricMapping } from './sparkplug-host.state.ts';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  parseSparkplugTopic,
  SPARKPLUG_NAMESPACE,
  type SparkplugPayload,
} from './sparkplug.decoder.ts';

export const SPARKPLUG_REBIRTH_METRIC = 'Node Control/Rebirth';
/** The sparkplug_host_id when neither SPARKPLUG_HOST_ID nor the data source's config names one. */
export const SPARKPLUG_DEFAULT_HOST_ID = 'takt';

/** The host application's STATE topic (tck-id-host-topic-phid-birth-topic). */
export function sparkplugStateTopic(hostId: string): string {
  return `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;
}

/** STATE birth/death certificate payload: JSON UTF-8 `{"online":…,"timestamp":…}` (ch. 6 "STATE"). */
function statePayload(isOnline: boolean, timestampMs: number): Buffer {
  return Buffer.from(JSON.stringify({ online: isOnline, timestamp: timestampMs }), 'utf8');
}

function isOfflineState(bytes: Buffer): boolean {
  try {
    const state: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof state === 'object' && state !== null && 'online' in state && state.online === false;
  } catch {
    return false;
  }
}

export type SparkplugSourceOptions = {
  code: string;
  dataSourceId: string | null;
  mqttUrl: string;
  /** Sparkplug group_id subscribed to (`spBv1.0/{groupId}/#`). */
  groupId: string;
  /** Only this edge node of the group (`spBv1.0/{groupId}/+/{edgeNodeId}[/+]`); default every one. */
  edgeNodeId?: string;
  /** sparkplug_host_id: the STATE topic `spBv1.0/STATE/{hostId}`; unique among the host applications of the broker. */
  hostId: string;
  clientId: string;
  logger: Logger;
  mappings?: readonly SparkplugMetricMapping[];
  protocolVersion?: 4 | 5;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** At most one rebirth request per edge node within this time (a burst of gaps must not flood it). */
  rebirthMinIntervalMs?: number;
  /** How long stop() waits for the broker to acknowledge the STATE death before disconnecting anyway. */
  deathTimeoutMs?: number;
  now?: () => number;
};

export type SparkplugSourceStatus = SourceStatus & { rebirthRequests: number };

export function createSparkplugSource(options: SparkplugSourceOptions): Omit<Source, 'status'> & {
  status(): SparkplugSourceStatus;
} {
  const {
    code,
    dataSourceId,
    mqttUrl,
    groupId,
    clientId,
    protocolVersion = 4,
    reconnectInitialDelayMs = 500,
    reconnectMaxDelayMs = 30_000,
    rebirthMinIntervalMs = 2_000,
    deathTimeoutMs = 2_000,
    now = Date.now,
  } = options;
  const stateTopic = sparkplugStateTopic(options.hostId);
  const logger = options.logger.child({ name: 'bridge.source.sparkplug' });
  // The group's topics and our own STATE topic, in one SUBSCRIBE, before the birth
  // (tck-id-message-flow-phid-sparkplug-subscription, tck-id-payloads-state-subscribe).
  const groupFilters =
    options.edgeNodeId === undefined
      ? [`${SPARKPLUG_NAMESPACE}/${groupId}/#`]
      : [
          `${SPARKPLUG_NAMESPACE}/${groupId}/+/${options.edgeNodeId}`,
          `${SPARKPLUG_NAMESPACE}/${groupId}/+/${options.edgeNodeId}/+`,
        ];
  const host = createSparkplugHostState({ mappings: options.mappings ?? [] });
  const status: SparkplugSourceStatus = { isConnected: false, connectCount: 0, lastError: null, rebirthRequests: 0 };
  const lastRebirthAtMs = new Map<string, number>();
  const info: ConnectorSourceInfo = { code, kind: 'MQTT_SPARKPLUG', dataSourceId };
  let pending: { event: TIngestEvent; origin: { address: string; payload?: Buffer; receivedAtMs: number } }[] = [];
  let flushScheduled: NodeJS.Immediate | null = null;
  /** The timestamp of the Will of the current (or next) CONNECT; the birth repeats it. */
  let willTimestampMs = now();
  /** Our STATE birth went out on the current connection: only then may we publish anything else. */
  let isBorn = false;
  let isStopping = false;
  /** Edge nodes to ask for a rebirth once born again (their metrics went STALE with the connection). */
  let staleEdgeNodeIds: string[] = [];
  const subscriber = createMqttSubscriber({
    mqttUrl,
    clientId,
    protocolVersion,
    // A clean session: MQTT 5's Session Expiry Interval is 0 whatever this says.
    sessionExpirySec: 0,
    reconnectInitialDelayMs,
    reconnectMaxDelayMs,
    logger,
    status,
    logContext: { groupId, hostId: options.hostId },
    topicFilters: [...groupFilters, stateTopic],
    subscribeOptions: { qos: 1 },
    isCleanSession: true,
    will() {
      willTimestampMs = now();
      return { topic: stateTopic, payload: statePayload(false, willTimestampMs), qos: 1, retain: true };
    },
    onSubscribed: (client) => publishBirth(client),
  });

  /** tck-id-payloads-state-birth: the birth, QoS 1 retained, with the timestamp of this connection's Will. */
  function publishBirth(client: MqttClient): void {
    client.publish(stateTopic, statePayload(true, willTimestampMs), { qos: 1, retain: true });
    isBorn = true;
    logger.info({ stateTopic, timestampMs: willTimestampMs }, 'host application online (STATE birth)');
    const edgeNodeIds = staleEdgeNodeIds;
    staleEdgeNodeIds = [];
    for (const edgeNodeId of edgeNodeIds) requestRebirth(edgeNodeId);
  }

  /** Sparkplug B 3.0 ch. 5 "Rebirth request": NCMD to the edge node with `Node Control/Rebirth` = true. */
  function requestRebirth(edgeNodeId: string): void {
    const nowMs = now();
    const lastMs = lastRebirthAtMs.get(edgeNodeId);
    const client = subscriber.client();
    // Our STATE birth is the first message we publish on a connection (tck-id-host-topic-phid-birth-message).
    if (!client || !isBorn || (lastMs !== undefined && nowMs - lastMs < rebirthMinIntervalMs)) return;
    lastRebirthAtMs.set(edgeNodeId, nowMs);
    status.rebirthRequests += 1;
    const payload = encodeSparkplugPayload({
      timestampMs: nowMs,
      metrics: [{ name: SPARKPLUG_REBIRTH_METRIC, type: 'Boolean', value: true }],
    });
    // NCMD is published at QoS 0 and not retained (tck-id-topics-ncmd-mqtt).
    client.publish(`${SPARKPLUG_NAMESPACE}/${groupId}/NCMD/${edgeNodeId}`, Buffer.from(payload), { qos: 0 });
    logger.info({ edgeNodeId }, 'rebirth requested');
  }

  function submitPending(sink: ConnectorSink): void {
    if (flushScheduled) clearImmediate(flushScheduled);
    flushScheduled = null;
    if (pending.length === 0) return;
    const inputs = pending;
    pending = [];
    void sink.submit(inputs, info);
  }

  /** Back-pressure (mqtt-session.ts): the events decoded but not yet submitted count too. */
  function waitForRoom(sink: ConnectorSink): Promise<void> | null {
    const wait = sink.waitForRoom?.(pending.length) ?? null;
    // Pausing: hand over what we hold, so that the sink can write it and make the room we wait for.
    if (wait) submitPending(sink);
    return wait;
  }

  function rejectMessage(sink: ConnectorSink, topicName: string, bytes: Buffer, receivedAtMs: number, reason: string) {
    sink.reject([{ address: topicName, payload: bytes, reason, receivedAtMs }], info);
  }

  function enqueue(
    sink: ConnectorSink,
    events: readonly TIngestEvent[],
    origin: { address: string; payload?: Buffer; receivedAtMs: number },
  ): void {
    if (events.length === 0) return;
    for (const event of events) pending.push({ event, origin });
    // One submit per turn of the event loop rather than per message: at tens of thousands of messages
    // per second the pipeline's per-call cost would be what the bridge spends its CPU on.
    flushScheduled ??= setImmediate(() => submitPending(sink));
  }

  /**
   * The connection is gone: all metric data of the edge nodes we knew is STALE (ch. 5 "Host Application Session
   * Establishment"), so their machines go OFFLINE now; we ask them for a rebirth once born again.
   */
  function handleConnectionLost(sink: ConnectorSink): void {
    isBorn = false;
    if (isStopping) return;
    const stale = host.markAllStale();
    staleEdgeNodeIds = stale.edgeNodeIds;
    const tsMs = now();
    enqueue(
      sink,
      stale.offlineMachinePaths.map((machinePath) => ({ type: 'state', machinePath, tsMs, state: 'OFFLINE' })),
      { address: groupFilters[0] ?? stateTopic, receivedAtMs: tsMs },
    );
  }

  /** tck-id-message-flow-hid-sparkplug-state-message-delivered: told we are offline, we say we are online. */
  function handleOwnState(bytes: Buffer): void {
    const client = subscriber.client();
    if (!client || !isBorn || !isOfflineState(bytes)) return;
    logger.warn({ stateTopic }, 'STATE offline delivered for this host application: publishing the birth again');
    client.publish(stateTopic, statePayload(true, willTimestampMs), { qos: 1, retain: true });
  }

  /** tck-id-operational-behavior-host-application-termination: the death goes out before the DISCONNECT. */
  async function publishDeath(): Promise<void> {
    const client = subscriber.client();
    // Our own death comes back on the STATE subscription: it must not be answered with a birth.
    isBorn = false;
    if (!client || !status.isConnected) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deathTimeoutMs);
    });
    const published = client
      .publishAsync(stateTopic, statePayload(false, now()), { qos: 1, retain: true })
      .then(() => undefined)
      .catch((error: unknown) =>
        logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'STATE death not sent'),
      );
    await Promise.race([published, timedOut]);
    clearTimeout(timer);
  }

  function handleMessage(sink: ConnectorSink, topicName: string, bytes: Buffer): void {
    if (topicName === stateTopic) {
      handleOwnState(bytes);
      return;
    }
    const receivedAtMs = now();
    const topic = parseSparkplugTopic(topicName);
    if (!topic) {
      rejectMessage(sink, topicName, bytes, receivedAtMs, 'not a Sparkplug B topic');
      return;
    }
    let payload: SparkplugPayload;
    try {
      payload = decodeSparkplugPayload(bytes);
    } catch (error) {
      rejectMessage(
        sink,
        topicName,
        bytes,
        receivedAtMs,
        `malformed Sparkplug B payload: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    try {
      const outcome = host.handle(topic, payload, receivedAtMs);
      if (outcome.ignoredBecause) logger.debug({ topic: topicName, reason: outcome.ignoredBecause }, 'ignored');
      if (outcome.isRebirthNeeded) requestRebirth(topic.edgeNodeId);
      // An NDEATH is usually the MQTT will, registered (and timestamped) when the edge node connected: the
      // time the broker delivered it is the best estimate of when the node died.
      const deathTsMs = topic.messageType === 'NDEATH' ? receivedAtMs : (payload.timestampMs ?? receivedAtMs);
      const events = outcome.events;
      for (const machinePath of outcome.offlineMachinePaths) {
        events.push({ type: 'state', machinePath, tsMs: deathTsMs, state: 'OFFLINE' });
      }
      enqueue(sink, events, { address: topicName, payload: bytes, receivedAtMs });
      for (const reason of outcome.problems) rejectMessage(sink, topicName, bytes, receivedAtMs, reason);
    } catch (error) {
      // The host state is total; this only guards the process against a bug in it.
      rejectMessage(
        sink,
        topicName,
        bytes,
        receivedAtMs,
        `sparkplug host error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    code,
    kind: 'MQTT_SPARKPLUG',
    ready: subscriber.ready,
    start(sink) {
      subscriber.start({
        onConnectionChange: (isConnected) => {
          sink.setSourceStatus?.(info, { isConnected });
          if (!isConnected) handleConnectionLost(sink);
        },
        onMessage: (topic, payload) => handleMessage(sink, topic, payload),
        waitForRoom: () => waitForRoom(sink),
      });
    },
    async stop() {
      isStopping = true;
      await publishDeath();
      await subscriber.stop();
    },
    status() {
      return { ...status };
    },
  };
}
