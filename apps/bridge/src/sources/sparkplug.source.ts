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
// The rest of the MQTT session follows the UNS JSON source (QoS 1, backoff, back-pressure, and a message
// acknowledged only once its events are stored, mqtt-session.ts); with a clean session a message that could not be
// stored is acknowledged anyway (nothing would send it again) and logged as lost.
import type { Logger } from 'pino';
import type { TIngestEvent } from '@takt/contracts';
import type { MqttClient } from 'mqtt';
import { createMqttSubscriber, type MessageOutcome } from './mqtt-session.ts';
import {
  isEverythingStored,
  type ConnectorAnswer,
  type ConnectorSink,
  type ConnectorSourceInfo,
  type Source,
  type SourceStatus,
} from './source.ts';
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
  /** Most messages received and not yet stored (acknowledged); default 40,000 (BRIDGE_MAX_PENDING_EVENTS). */
  maxUnackedMessages?: number;
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
    maxUnackedMessages = 40_000,
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
  const status: SparkplugSourceStatus = {
    isConnected: false,
    connectCount: 0,
    lastError: null,
    unackedMessages: 0,
    rebirthRequests: 0,
  };
  const lastRebirthAtMs = new Map<string, number>();
  const info: ConnectorSourceInfo = { code, kind: 'MQTT_SPARKPLUG', dataSourceId };
  // The events of this turn's messages, submitted together; `pendingAnswer` settles when they are stored.
  let pending: { event: TIngestEvent; origin: { address: string; payload?: Buffer; receivedAtMs: number } }[] = [];
  let pendingAnswer: { promise: Promise<ConnectorAnswer>; resolve: (answer: Promise<ConnectorAnswer>) => void } | null =
    null;
  let flushScheduled: NodeJS.Immediate | null = null;
  /** The timestamp of the Will of the current (or next) CONNECT; the birth repeats it. */
  let willTimestampMs = now();
  /** The broker acknowledged our STATE birth on the current connection: only then may we publish anything else. */
  let isBorn = false;
  let isStopping = false;
  /** Edge nodes to ask for a rebirth once born (their metrics went STALE with the connection, or data came first). */
  const rebirthsWhenBorn = new Set<string>();
  const subscriber = createMqttSubscriber({
    mqttUrl,
    clientId,
    protocolVersion,
    // tck-id-message-flow-phid-sparkplug-clean-session-311/-50.
    session: { isPersistent: false },
    maxUnackedMessages,
    reconnectInitialDelayMs,
    reconnectMaxDelayMs,
    logger,
    status,
    logContext: { groupId, hostId: options.hostId },
    topicFilters: [...groupFilters, stateTopic],
    subscribeOptions: { qos: 1 },
    will() {
      willTimestampMs = now();
      return { topic: stateTopic, payload: statePayload(false, willTimestampMs), qos: 1, retain: true };
    },
    onSubscribed: (client) => publishBirth(client),
  });

  /**
   * tck-id-payloads-state-birth: the birth, QoS 1 retained, with the timestamp of this connection's Will. We are born
   * once the broker acknowledged it: a broker may deliver a QoS 0 message published after a retained QoS 1 one
   * before it (aedes does), and an edge node must see our birth before any command of ours
   * (tck-id-host-topic-phid-birth-message).
   */
  function publishBirth(client: MqttClient): void {
    const connection = status.connectCount;
    const timestampMs = willTimestampMs;
    client.publish(stateTopic, statePayload(true, timestampMs), { qos: 1, retain: true }, (error) => {
      if (error || isStopping || !status.isConnected || status.connectCount !== connection) return;
      isBorn = true;
      logger.info({ stateTopic, timestampMs }, 'host application online (STATE birth)');
      const edgeNodeIds = [...rebirthsWhenBorn];
      rebirthsWhenBorn.clear();
      for (const edgeNodeId of edgeNodeIds) requestRebirth(edgeNodeId);
    });
  }

  /** Sparkplug B 3.0 ch. 5 "Rebirth request": NCMD to the edge node with `Node Control/Rebirth` = true. */
  function requestRebirth(edgeNodeId: string): void {
    const nowMs = now();
    const lastMs = lastRebirthAtMs.get(edgeNodeId);
    const client = subscriber.client();
    // Our STATE birth is the first message we publish on a connection (tck-id-host-topic-phid-birth-message).
    if (!client || !isBorn) {
      rebirthsWhenBorn.add(edgeNodeId);
      return;
    }
    if (lastMs !== undefined && nowMs - lastMs < rebirthMinIntervalMs) return;
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
    if (pending.length === 0 || !pendingAnswer) return;
    const inputs = pending;
    const answer = pendingAnswer;
    pending = [];
    pendingAnswer = null;
    answer.resolve(sink.submit(inputs, info));
  }

  /** The answer of the submit this turn's events go in (made when the first of them arrives). */
  function answerOfPending(): Promise<ConnectorAnswer> {
    if (!pendingAnswer) {
      let resolve: (answer: Promise<ConnectorAnswer>) => void = () => {};
      const promise = new Promise<ConnectorAnswer>((settle) => {
        resolve = settle;
      });
      pendingAnswer = { promise, resolve };
    }
    return pendingAnswer.promise;
  }

  /** Back-pressure (mqtt-session.ts): the events decoded but not yet submitted count too. */
  function waitForRoom(sink: ConnectorSink): Promise<void> | null {
    const wait = sink.waitForRoom?.(pending.length) ?? null;
    // Pausing: hand over what we hold, so that the sink can write it and make the room we wait for.
    if (wait) submitPending(sink);
    return wait;
  }

  function rejectMessage(
    sink: ConnectorSink,
    topicName: string,
    bytes: Buffer,
    receivedAtMs: number,
    reason: string,
  ): Promise<ConnectorAnswer> {
    return sink.reject([{ address: topicName, payload: bytes, reason, receivedAtMs }], info);
  }

  /** Queues events for this turn's submit; resolves with its answer once they are stored or refused. */
  function enqueue(
    sink: ConnectorSink,
    events: readonly TIngestEvent[],
    origin: { address: string; payload?: Buffer; receivedAtMs: number },
  ): Promise<ConnectorAnswer> | null {
    if (events.length === 0) return null;
    const answer = answerOfPending();
    for (const event of events) pending.push({ event, origin });
    // One submit per turn of the event loop rather than per message: at tens of thousands of messages
    // per second the pipeline's per-call cost would be what the bridge spends its CPU on.
    flushScheduled ??= setImmediate(() => submitPending(sink));
    return answer;
  }

  /**
   * The connection is gone: all metric data of the edge nodes we knew is STALE (ch. 5 "Host Application Session
   * Establishment"), so their machines go OFFLINE now; we ask them for a rebirth once born again.
   */
  function handleConnectionLost(sink: ConnectorSink): void {
    isBorn = false;
    if (isStopping) return;
    const stale = host.markAllStale();
    for (const edgeNodeId of stale.edgeNodeIds) rebirthsWhenBorn.add(edgeNodeId);
    const tsMs = now();
    // Made by the bridge, not received: no message waits for their answer.
    void enqueue(
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

  /** One message's events and dead letters, and whether they are all stored (then the session acknowledges it). */
  async function handleMessage(sink: ConnectorSink, topicName: string, bytes: Buffer): Promise<MessageOutcome> {
    if (topicName === stateTopic) {
      // Nothing to store: answered at once.
      handleOwnState(bytes);
      return 'stored';
    }
    const answers = await Promise.all(handOver(sink, topicName, bytes));
    return answers.every(isEverythingStored) ? 'stored' : 'not-stored';
  }

  function handOver(sink: ConnectorSink, topicName: string, bytes: Buffer): Promise<ConnectorAnswer>[] {
    const receivedAtMs = now();
    const topic = parseSparkplugTopic(topicName);
    if (!topic) return [rejectMessage(sink, topicName, bytes, receivedAtMs, 'not a Sparkplug B topic')];
    let payload: SparkplugPayload;
    try {
      payload = decodeSparkplugPayload(bytes);
    } catch (error) {
      return [
        rejectMessage(
          sink,
          topicName,
          bytes,
          receivedAtMs,
          `malformed Sparkplug B payload: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ];
    }
    const answers: Promise<ConnectorAnswer>[] = [];
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
      const answer = enqueue(sink, events, { address: topicName, payload: bytes, receivedAtMs });
      if (answer) answers.push(answer);
      for (const reason of outcome.problems) answers.push(rejectMessage(sink, topicName, bytes, receivedAtMs, reason));
    } catch (error) {
      // The host state is total; this only guards the process against a bug in it.
      answers.push(
        rejectMessage(
          sink,
          topicName,
          bytes,
          receivedAtMs,
          `sparkplug host error: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    return answers;
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
