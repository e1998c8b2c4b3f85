// Publishes simulated machines on the Unified Namespace JSON contract (@takt/contracts uns.contract.ts,
// apps/bridge/README.md): the state on change as a retained QoS 1 message, so that any subscriber learns
// each machine's current state at once, and count deltas at QoS 1. MQTT 3.1.1 by default, like the bridge.
import { unsTopic, type TUnsCountPayload, type TUnsStatePayload } from '@takt/contracts';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { MachineStateChange } from './machine-model.ts';

export type UnsJsonPublisherOptions = {
  mqttUrl: string;
  topicPrefix: string;
  clientId: string;
  logger: Logger;
  protocolVersion?: 4 | 5;
  /** Called after every (re)connect: the moment to (re)publish every machine's state. */
  onConnect: () => void;
};

export type UnsJsonPublisher = {
  publishState(machinePath: string, change: MachineStateChange): void;
  publishCount(machinePath: string, tsMs: number, goodCount: number, rejectCount: number): void;
  /** Sends what is queued (waiting at most `timeoutMs`) and disconnects. */
  stop(timeoutMs?: number): Promise<void>;
};

export function createUnsJsonPublisher(options: UnsJsonPublisherOptions): UnsJsonPublisher {
  const { mqttUrl, topicPrefix, clientId, protocolVersion = 4, onConnect } = options;
  const logger = options.logger.child({ name: 'simulator.publisher' });
  let isStopping = false;
  let wasConnected = false;
  // mqtt.js keeps QoS 1 messages published while disconnected and sends them on reconnect.
  const client: MqttClient = connect(mqttUrl, {
    clientId,
    protocolVersion,
    clean: true,
    reconnectPeriod: 1_000,
    keepalive: 30,
  });
  client.on('connect', () => {
    wasConnected = true;
    logger.info({ mqttUrl, clientId }, 'connected');
    onConnect();
  });
  client.on('close', () => {
    if (wasConnected && !isStopping) logger.warn({ mqttUrl }, 'connection lost');
    wasConnected = false;
  });
  // Without an 'error' listener the EventEmitter would throw and end the process.
  client.on('error', (error) => logger.warn({ mqttUrl, error: error.message }, 'MQTT error'));

  const publish = (topic: string, payload: object, retain: boolean) =>
    client.publish(topic, JSON.stringify(payload), { qos: 1, retain }, (error) => {
      if (error && !isStopping) logger.debug({ topic, error: error.message }, 'publish failed');
    });

  return {
    publishState(machinePath, change) {
      const payload: TUnsStatePayload = {
        state: change.state,
        timestamp_ms: change.tsMs,
        ...(change.reasonCode === null ? {} : { reason: change.reasonCode }),
        ...(change.productCode === null ? {} : { product: change.productCode }),
      };
      publish(unsTopic(topicPrefix, machinePath, 'state'), payload, true);
    },
    publishCount(machinePath, tsMs, goodCount, rejectCount) {
      const payload: TUnsCountPayload = { good: goodCount, reject: rejectCount, timestamp_ms: tsMs };
      publish(unsTopic(topicPrefix, machinePath, 'count'), payload, false);
    },
    async stop(timeoutMs = 3_000) {
      isStopping = true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // A graceful end waits until the broker acknowledged every QoS 1 message; a broker that is gone
      // would make it wait for ever, hence the forced end after the timeout.
      const outcome = await Promise.race([client.endAsync(!client.connected).then(() => 'ended' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // end() is already under way and ignores a second, forced call: cut the connection instead.
        logger.warn('broker did not acknowledge the last messages in time');
        client.stream.destroy();
      }
      logger.info('disconnected');
    },
  };
}
