// The in-process MQTT broker `npm start` runs when MQTT_URL is unset (docs/architecture.md "Processes"): aedes on
// a plain `net` server bound to loopback, so that the bridge and the simulator connect to it exactly as they
// would to Mosquitto. aedes 1.x speaks MQTT 3.1 and 3.1.1 (not 5.0), which is what both clients use.
import net from 'node:net';
import { Aedes } from 'aedes';

export type EmbeddedBrokerOptions = {
  /** 0 (default) lets the OS choose a free port. */
  port?: number;
};

export type EmbeddedBroker = {
  /** `mqtt://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
};

/** Starts an MQTT broker on 127.0.0.1 (never on other interfaces: it has no authentication). */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ maxClientsIdLength: 256 });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded MQTT broker has no TCP address');
  const { port } = address;

  let stopping: Promise<void> | null = null;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        // Stop accepting, end the clients (server.close waits for every socket), then close the broker.
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await serverClosed;
        await new Promise<void>((resolve) => broker.close(() => resolve()));
      })();
      return stopping;
    },
  };
}
