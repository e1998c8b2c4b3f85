// Keeps one MQTT connection open so that /health can say whether the broker is reachable.
import mqtt, { type MqttClient } from 'mqtt';

export type BrokerMonitor = { isConnected(): boolean; stop(): Promise<void> };

export function startBrokerMonitor(url: string): BrokerMonitor {
  const client: MqttClient = mqtt.connect(url, {
    clientId: `takt-api-health-${process.pid}`,
    reconnectPeriod: 2_000,
    connectTimeout: 5_000,
  });
  // Errors show up as a disconnected status; the client reconnects by itself.
  client.on('error', () => {});
  return {
    isConnected: () => client.connected,
    stop: () => client.endAsync(true),
  };
}
