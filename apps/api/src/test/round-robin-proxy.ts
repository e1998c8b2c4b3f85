// A TCP load balancer for the scale-out tests: each client connection goes to the next API process in turn, and a
// process that refuses the connection (killed) is skipped, as a proxy with health checks would. Plain `net`, so the
// API processes see ordinary HTTP connections, Server-Sent Events included.
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type RoundRobinProxy = { port: number; close(): Promise<void> };

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: '127.0.0.1', port });
    upstream.once('connect', () => resolve(upstream));
    upstream.once('error', reject);
  });
}

/** Listens on a free loopback port and spreads connections over `backendPorts`. */
export async function startRoundRobinProxy(backendPorts: readonly number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.pause();
    void (async () => {
      for (let attempt = 0; attempt < backendPorts.length; attempt += 1) {
        const port = backendPorts[next % backendPorts.length] as number;
        next += 1;
        try {
          const upstream = await connectTo(port);
          sockets.add(upstream);
          upstream.once('close', () => sockets.delete(upstream));
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
          client.pipe(upstream).pipe(client);
          client.resume();
          return;
        } catch {
          // That process is down: try the next one.
        }
      }
      client.destroy();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
