// The MQTT session every MQTT source runs on (UNS JSON: persistent; Sparkplug B host: clean, with a Will):
// connection options, exponential reconnect backoff, back-pressure and the bookkeeping of the source's status, in
// one place.
//
// Back-pressure: mqtt.js hands over one packet at a time and reads the next one, and sends this one's PUBACK, only
// when `handleMessage` calls back. While the sink has no room (`waitForRoom`), the session does not call back: the
// socket is no longer read, unacknowledged QoS 1 messages stay the broker's (3.1.1 §4.3.2: it redelivers them on
// a new connection of the persistent session) and the broker stops sending once its in-flight window is full.
// PUBACKs of one burst are written together (the socket is corked until the end of the event-loop turn) rather
// than one system call per message.
import {
  connect,
  type IClientOptions,
  type IClientSubscribeOptions,
  type IConnackPacket,
  type IPublishPacket,
  type MqttClient,
} from 'mqtt';
import type { Logger } from 'pino';
import type { SourceStatus } from './source.ts';

export type MqttSessionOptions = {
  mqttUrl: string;
  clientId: string;
  protocolVersion: 4 | 5;
  sessionExpirySec: number;
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
  onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void;
  /** Asked after each message: null to go on, or a promise to wait for before reading (and acking) more. */
  waitForRoom?(): Promise<void> | null;
  /**
   * A clean session instead of the persistent one: nothing is kept or queued by the broker while we are away
   * (a Sparkplug B host application must connect so, tck-id-message-flow-phid-sparkplug-clean-session-311/-50).
   */
  isCleanSession?: boolean;
  /** The Will Message, made afresh for every CONNECT packet (e.g. to carry the time of that connect). */
  will?(): NonNullable<IClientOptions['will']>;
};

type CorkableStream = { cork?: () => void; uncork?: () => void };

/** Connects and keeps reconnecting until the client is ended; subscribing is left to `onConnected`. */
export function openMqttSession(options: MqttSessionOptions): MqttClient {
  const { mqttUrl, clientId, protocolVersion, reconnectInitialDelayMs, reconnectMaxDelayMs, logger, status } = options;
  const isCleanSession = options.isCleanSession ?? false;
  const clientOptions: IClientOptions = {
    protocolVersion,
    clientId,
    // CleanSession = 0 makes the session persistent (3.1.1 §3.1.2.4): the broker keeps our subscription
    // and queues QoS 1 messages while we are away. MQTT 5 also needs a Session Expiry Interval > 0,
    // else the session ends with the connection (5.0 §3.1.2.11.2). A clean session: Clean Start and 0.
    clean: isCleanSession,
    ...(protocolVersion === 5
      ? { properties: { sessionExpiryInterval: isCleanSession ? 0 : options.sessionExpirySec } }
      : {}),
    ...(options.will ? { will: options.will() } : {}),
    reconnectPeriod: reconnectInitialDelayMs,
    connectTimeout: 10_000,
    keepalive: 30,
    // Sources resubscribe themselves, only when the broker has lost the session (3.1.1 §3.2.2.2 Session Present).
    resubscribe: false,
  };
  const client = connect(mqttUrl, clientOptions);
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
  });
  client.on('error', (error) => {
    // Without an 'error' listener the EventEmitter would throw and end the process.
    status.lastError = error.message;
    logger.warn({ mqttUrl, error: error.message }, 'MQTT error');
  });
  client.on('message', options.onMessage);

  let corked: CorkableStream | null = null;
  function corkUntilTurnEnds(stream: CorkableStream): void {
    if (corked === stream || typeof stream.cork !== 'function') return;
    stream.cork();
    corked = stream;
    setImmediate(() => {
      corked = null;
      stream.uncork?.();
    });
  }
  client.handleMessage = (_packet, callback) => {
    const { stream } = client;
    corkUntilTurnEnds(stream as CorkableStream);
    const wait = options.waitForRoom?.() ?? null;
    if (!wait) {
      callback();
      return;
    }
    void wait.then(() => {
      // A PUBACK belongs to the connection that carried the message: after a reconnect the broker redelivers.
      const isStale = client.stream !== stream || !client.connected || client.disconnecting;
      callback(isStale ? new Error('connection replaced while waiting for room') : undefined);
    });
  };
  return client;
}

export type MqttSubscriberOptions = Omit<
  MqttSessionOptions,
  'isStopping' | 'onConnected' | 'onConnectionChange' | 'onMessage' | 'waitForRoom'
> & {
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
  let client: MqttClient | null = null;
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
    client: () => client,
    start(handlers) {
      if (client) throw new Error(`MQTT session ${options.clientId} already started`);
      client = openMqttSession({
        ...options,
        ...handlers,
        isStopping: () => isStopping,
        onConnected: (mqttClient, connack) => {
          if (!hasSubscribed || !connack.sessionPresent) subscribe(mqttClient);
        },
      });
    },
    async stop() {
      if (!client) return;
      const stopping = client;
      client = null;
      isStopping = true;
      // Force when not connected: a graceful end would wait for a connection that may never come.
      await stopping.endAsync(!status.isConnected);
      status.isConnected = false;
      logger.info('disconnected');
    },
  };
}
