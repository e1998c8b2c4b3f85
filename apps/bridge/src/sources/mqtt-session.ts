// The MQTT session every MQTT source runs on (UNS JSON: persistent; Sparkplug B host: clean, with a Will):
// connection options, exponential reconnect backoff, acknowledgement after storage, back-pressure and the
// bookkeeping of the source's status, in one place.
//
// At least once (mqtt-puback.queue.ts): a QoS 1 message is acknowledged only once the events it carries are
// stored. mqtt.js 5 reads one packet at a time and sends a QoS 1 PUBACK itself when `handleMessage` calls back
// without an error (handlers/publish.js); waiting for the commit there would read one message per batch commit.
// So `handleMessage` calls back at once with ACK_DEFERRED, which makes mqtt.js skip its PUBACK and read on, and
// the PUBACK is written by the queue of the connection that carried the message once its events are stored. After
// a reconnect the broker redelivers whatever was not acknowledged (MQTT 3.1.1 §4.4, persistent session only; a
// clean session defers its PUBACKs the same way, but what it had not acknowledged is gone with the connection).
//
// Back-pressure: while the sink has no room (`waitForRoom`), or `maxUnackedMessages` are unacknowledged, the
// session does not call back: the socket is no longer read and the broker stops sending once its in-flight
// window (Mosquitto `max_inflight_messages`, MQTT 5 Receive Maximum) is full.
import {
  connect,
  type IClientOptions,
  type IClientSubscribeOptions,
  type IConnackPacket,
  type IPublishPacket,
  type MqttClient,
} from 'mqtt';
import type { Logger } from 'pino';
import { createPubackQueue, type MessageOutcome, type PubackQueue } from './mqtt-puback.queue.ts';
import type { SourceStatus } from './source.ts';

export type { MessageOutcome } from './mqtt-puback.queue.ts';

export type MqttSessionOptions = {
  mqttUrl: string;
  clientId: string;
  protocolVersion: 4 | 5;
  /**
   * Persistent: CleanSession = 0 (3.1.1 §3.1.2.4; MQTT 5: Clean Start = 0 and Session Expiry Interval `expirySec`):
   * the broker keeps the subscription and the unacknowledged and queued QoS 1 messages while the bridge is away,
   * and redelivers them. Clean: Clean Start = 1 (MQTT 5: and Session Expiry Interval 0), nothing is kept; a Sparkplug
   * B host application must connect so (tck-id-message-flow-phid-sparkplug-clean-session-311/-50).
   */
  session: { isPersistent: true; expirySec: number } | { isPersistent: false };
  /** Most QoS 1 messages received and not yet acknowledged; also the MQTT 5 Receive Maximum (≤ 65,535). */
  maxUnackedMessages: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
  logger: Logger;
  /** Mutated as the connection comes and goes. */
  status: SourceStatus;
  isStopping(): boolean;
  /** Extra fields for the "connected" log line. */
  logContext?: Record<string, unknown>;
  onConnected(client: MqttClient, connack: IConnackPacket): void;
  onConnectionChange(isConnected: boolean): void;
  /** Hands a message over; it is acknowledged (QoS 1) once the promise says that what it carries is stored. */
  onMessage(topic: string, payload: Buffer, packet: IPublishPacket): Promise<MessageOutcome>;
  /** Asked after each message: null to go on, or a promise to wait for before reading more. */
  waitForRoom?(): Promise<void> | null;
  /** The Will Message, made afresh for every CONNECT packet (e.g. to carry the time of that connect). */
  will?(): NonNullable<IClientOptions['will']>;
};

/**
 * Passed to mqtt.js's `handleMessage` callback: with an error it skips its own PUBACK and reads the next packet
 * (mqtt.js 5 handlers/publish.js); the PUBACK is sent by the PUBACK queue once the message is stored.
 */
const ACK_DEFERRED = new Error('PUBACK deferred until the message is stored');

/** PUBACK with Reason Code 0 and no properties: the same 4 bytes in MQTT 3.1.1 (§3.4) and 5.0 (§3.4.2.1). */
function pubackPackets(messageIds: readonly number[]): Buffer {
  const bytes = Buffer.allocUnsafe(4 * messageIds.length);
  messageIds.forEach((messageId, index) => {
    bytes[4 * index] = 0x40;
    bytes[4 * index + 1] = 0x02;
    bytes.writeUInt16BE(messageId, 4 * index + 2);
  });
  return bytes;
}

type WritableStream = { write(chunk: Buffer): unknown; destroy(): void; destroyed?: boolean; writable?: boolean };

export type MqttSession = {
  client: MqttClient;
  /** Resolves once every message handed over on the current connection is acknowledged (or the connection is gone). */
  whenAcknowledged(): Promise<void>;
};

/** Connects and keeps reconnecting until the client is ended; subscribing is left to `onConnected`. */
export function openMqttSession(options: MqttSessionOptions): MqttSession {
  const { mqttUrl, clientId, protocolVersion, reconnectInitialDelayMs, reconnectMaxDelayMs, logger, status } = options;
  const { session, maxUnackedMessages } = options;
  const clientOptions: IClientOptions = {
    protocolVersion,
    clientId,
    clean: !session.isPersistent,
    ...(protocolVersion === 5
      ? {
          properties: {
            // Persistent: MQTT 5 also needs a Session Expiry Interval > 0, else the session ends with the connection
            // (5.0 §3.1.2.11.2). Clean: Clean Start and 0.
            sessionExpiryInterval: session.isPersistent ? session.expirySec : 0,
            // The broker sends at most this many unacknowledged QoS 1 messages (5.0 §3.1.2.11.3).
            receiveMaximum: Math.min(65_535, maxUnackedMessages),
          },
        }
      : {}),
    ...(options.will ? { will: options.will() } : {}),
    reconnectPeriod: reconnectInitialDelayMs,
    connectTimeout: 10_000,
    keepalive: 30,
    // Sources resubscribe themselves, only when the broker has lost the session (3.1.1 §3.2.2.2 Session Present).
    resubscribe: false,
  };
  const client = connect(mqttUrl, clientOptions);

  // The PUBACK queue of the connection (stream) that carried the messages: a PUBACK belongs to that connection.
  let connection: { stream: WritableStream; pubacks: PubackQueue } | null = null;
  function pubacksOf(stream: WritableStream): PubackQueue {
    if (connection?.stream === stream) return connection.pubacks;
    connection?.pubacks.close();
    const pubacks = createPubackQueue({
      isRedelivering: session.isPersistent,
      sendPubacks(messageIds) {
        if (client.stream !== stream || stream.destroyed || stream.writable === false) return;
        stream.write(pubackPackets(messageIds));
        status.unackedMessages = pubacks.size();
      },
      onNotStored(messageId) {
        status.unackedMessages = pubacks.size();
        if (!session.isPersistent) {
          // A clean session is not redelivered (3.1.1 §3.1.2.4): nothing to wait for, it is acknowledged.
          logger.error({ messageId }, 'message not stored and not redeliverable (clean session): lost');
          return;
        }
        // Only a new connection makes the broker send the unacknowledged messages again (3.1.1 §4.4).
        logger.warn({ messageId }, 'message not stored: reconnecting so that the broker redelivers it');
        if (client.stream === stream) stream.destroy();
      },
    });
    connection = { stream, pubacks };
    return pubacks;
  }

  client.on('connect', (connack) => {
    status.isConnected = true;
    status.connectCount += 1;
    options.onConnectionChange(true);
    client.options.reconnectPeriod = reconnectInitialDelayMs;
    logger.info({ mqttUrl, clientId, ...options.logContext, isSessionPresent: connack.sessionPresent }, 'connected');
    options.onConnected(client, connack);
  });
  client.on('reconnect', () => {
    // mqtt.js sends the CONNECT packet right after this event, with options.will as it is then.
    if (options.will) client.options.will = options.will();
    // mqtt.js re-arms its reconnect timer from options.reconnectPeriod after each failed attempt, so
    // growing it here gives exponential backoff with jitter, reset on the next successful connect.
    const previousMs = client.options.reconnectPeriod ?? reconnectInitialDelayMs;
    const jitter = 0.8 + Math.random() * 0.4;
    client.options.reconnectPeriod = Math.round(Math.min(reconnectMaxDelayMs, previousMs * 2 * jitter));
    logger.debug({ nextDelayMs: client.options.reconnectPeriod }, 'reconnecting');
  });
  client.on('close', () => {
    if (status.isConnected && !options.isStopping()) logger.warn({ mqttUrl }, 'connection lost');
    if (status.isConnected) options.onConnectionChange(false);
    status.isConnected = false;
    // What this connection did not acknowledge, the broker sends again on the next one.
    connection?.pubacks.close();
    connection = null;
    status.unackedMessages = 0;
  });
  client.on('error', (error) => {
    // Without an 'error' listener the EventEmitter would throw and end the process.
    status.lastError = error.message;
    logger.warn({ mqttUrl, error: error.message }, 'MQTT error');
  });

  // mqtt.js emits 'message' and then calls handleMessage with the same packet object.
  const outcomes = new WeakMap<IPublishPacket, Promise<MessageOutcome>>();
  client.on('message', (topic, payload, packet) => {
    // While stopping, new messages are left to the broker (unacknowledged) rather than half handled.
    if (options.isStopping()) return;
    outcomes.set(packet, options.onMessage(topic, payload, packet));
  });
  client.handleMessage = (packet, callback) => {
    if (packet.cmd !== 'publish' || packet.qos !== 1 || packet.messageId === undefined) {
      callback();
      return;
    }
    const outcome = outcomes.get(packet);
    // Not handed over (stopping): not acknowledged, and nothing more is read from this connection.
    if (outcome === undefined) return;
    const pubacks = pubacksOf(client.stream as unknown as WritableStream);
    pubacks.add(packet.messageId, outcome);
    status.unackedMessages = pubacks.size();
    const waits = [
      options.waitForRoom?.() ?? null,
      // Resume at half the bound, so that reading restarts with room for a burst.
      pubacks.size() >= maxUnackedMessages ? pubacks.whenAtMost(Math.floor(maxUnackedMessages / 2)) : null,
    ].filter((wait) => wait !== null);
    if (waits.length === 0) {
      callback(ACK_DEFERRED);
      return;
    }
    void Promise.all(waits).then(() => callback(ACK_DEFERRED));
  };
  return {
    client,
    whenAcknowledged: () => connection?.pubacks.whenAtMost(0) ?? Promise.resolve(),
  };
}

export type MqttSubscriberOptions = Omit<
  MqttSessionOptions,
  'isStopping' | 'onConnected' | 'onConnectionChange' | 'onMessage' | 'waitForRoom'
> & {
  /** On stop, how long to wait for the messages already handed over to be stored and acknowledged. */
  stopAckTimeoutMs?: number;
  topicFilters: string[];
  subscribeOptions: IClientSubscribeOptions;
  /** Called each time the broker granted the subscription (e.g. to publish a birth certificate after it). */
  onSubscribed?(client: MqttClient): void;
};

/** What a started subscriber hands its messages to (a source binds them to its sink). */
export type MqttSubscriberHandlers = Pick<MqttSessionOptions, 'onConnectionChange' | 'onMessage' | 'waitForRoom'>;

export type MqttSubscriber = {
  /** Resolves once the broker granted the subscription for the first time. */
  ready: Promise<void>;
  /** The client while started, e.g. to publish commands; null when stopped. */
  client(): MqttClient | null;
  start(handlers: MqttSubscriberHandlers): void;
  stop(): Promise<void>;
};

/**
 * A session subscribed to `topicFilters` at QoS 1: what every MQTT source runs on. It subscribes on the first
 * connection of this process, even when the broker kept the session (the filters may have changed), and whenever
 * the broker lost the session (3.1.1 §3.2.2.2 Session Present; with a clean session: every connection); otherwise
 * the kept subscription stands.
 */
export function createMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { topicFilters, subscribeOptions, logger, status } = options;
  let session: MqttSession | null = null;
  let hasSubscribed = false;
  let isStopping = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  function subscribe(mqttClient: MqttClient): void {
    mqttClient.subscribe(topicFilters, subscribeOptions, (error, granted) => {
      const failed = granted?.find((grant) => grant.qos >= 0x80);
      if (error || failed) {
        status.lastError = error?.message ?? `subscription refused (reason code 0x${failed?.qos.toString(16)})`;
        logger.error({ topicFilters, error: status.lastError }, 'subscribe failed');
        return;
      }
      hasSubscribed = true;
      logger.info({ topicFilters }, 'subscribed');
      options.onSubscribed?.(mqttClient);
      markReady();
    });
  }

  return {
    ready,
    client: () => session?.client ?? null,
    start(handlers) {
      if (session) throw new Error(`MQTT session ${options.clientId} already started`);
      session = openMqttSession({
        ...options,
        ...handlers,
        isStopping: () => isStopping,
        onConnected: (mqttClient, connack) => {
          if (!hasSubscribed || !connack.sessionPresent) subscribe(mqttClient);
        },
      });
    },
    async stop() {
      if (!session) return;
      const stopping = session;
      session = null;
      isStopping = true;
      // Acknowledge what is stored before leaving, so that the next start is not sent it again (it would be
      // de-duplicated, but a restart should not replay a backlog for nothing).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        stopping.whenAcknowledged(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.stopAckTimeoutMs ?? 5_000);
        }),
      ]);
      clearTimeout(timer);
      // Force when not connected: a graceful end would wait for a connection that may never come.
      await stopping.client.endAsync(!status.isConnected);
      status.isConnected = false;
      logger.info('disconnected');
    },
  };
}
