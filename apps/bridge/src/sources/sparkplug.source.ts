// Sparkplug B 3.0 host application source: subscribes `spBv1.0/{group}/#`, decodes the protobuf payloads,
// keeps births/aliases/seq per edge node (sparkplug-host.state.ts), asks edge nodes for a rebirth when it lost
// track, and turns device metrics into state and count events. MQTT session handling follows the UNS JSON
// source (persistent session, QoS 1, backoff, a message acknowledged once its events are stored); the Sparkplug
// rules cite the 3.0 specification.
import type { Logger } from 'pino';
import type { TIngestEvent } from '@takt/contracts';
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

export type SparkplugSourceOptions = {
  code: string;
  dataSourceId: string | null;
  mqttUrl: string;
  /** Sparkplug group_id subscribed to (`spBv1.0/{groupId}/#`). */
  groupId: string;
  /** Only this edge node of the group (`spBv1.0/{groupId}/+/{edgeNodeId}[/+]`); default every one. */
  edgeNodeId?: string;
  clientId: string;
  logger: Logger;
  mappings?: readonly SparkplugMetricMapping[];
  protocolVersion?: 4 | 5;
  sessionExpirySec?: number;
  /** Most messages received and not yet stored (acknowledged); default 40,000 (BRIDGE_MAX_PENDING_EVENTS). */
  maxUnackedMessages?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** At most one rebirth request per edge node within this time (a burst of gaps must not flood it). */
  rebirthMinIntervalMs?: number;
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
    sessionExpirySec = 3_600,
    maxUnackedMessages = 40_000,
    reconnectInitialDelayMs = 500,
    reconnectMaxDelayMs = 30_000,
    rebirthMinIntervalMs = 2_000,
    now = Date.now,
  } = options;
  const logger = options.logger.child({ name: 'bridge.source.sparkplug' });
  const topicFilters =
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
  // The events of this turn's messages, submitted together; `answer` settles when they are stored.
  let pending: { event: TIngestEvent; origin: { address: string; payload: Buffer; receivedAtMs: number } }[] = [];
  let pendingAnswer: { promise: Promise<ConnectorAnswer>; resolve: (answer: Promise<ConnectorAnswer>) => void } | null =
    null;
  let flushScheduled: NodeJS.Immediate | null = null;
  const subscriber = createMqttSubscriber({
    mqttUrl,
    clientId,
    protocolVersion,
    isSessionPersistent: true,
    sessionExpirySec,
    maxUnackedMessages,
    reconnectInitialDelayMs,
    reconnectMaxDelayMs,
    logger,
    status,
    logContext: { groupId },
    topicFilters,
    subscribeOptions: { qos: 1 },
  });

  /** Sparkplug B 3.0 ch. 5 "Rebirth request": NCMD to the edge node with `Node Control/Rebirth` = true. */
  function requestRebirth(edgeNodeId: string): void {
    const nowMs = now();
    const lastMs = lastRebirthAtMs.get(edgeNodeId);
    const client = subscriber.client();
    if (!client || (lastMs !== undefined && nowMs - lastMs < rebirthMinIntervalMs)) return;
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

  /** One message's events and dead letters, and whether they are all stored (then the session acknowledges it). */
  async function handleMessage(sink: ConnectorSink, topicName: string, bytes: Buffer): Promise<MessageOutcome> {
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
      if (events.length > 0) {
        const origin = { address: topicName, payload: bytes, receivedAtMs };
        answers.push(answerOfPending());
        for (const event of events) pending.push({ event, origin });
        // One submit per turn of the event loop rather than per message: at tens of thousands of messages
        // per second the pipeline's per-call cost would be what the bridge spends its CPU on.
        flushScheduled ??= setImmediate(() => submitPending(sink));
      }
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
        onConnectionChange: (isConnected) => sink.setSourceStatus?.(info, { isConnected }),
        onMessage: (topic, payload) => handleMessage(sink, topic, payload),
        waitForRoom: () => waitForRoom(sink),
      });
    },
    stop: () => subscriber.stop(),
    status() {
      return { ...status };
    },
  };
}
