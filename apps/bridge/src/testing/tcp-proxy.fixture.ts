// A TCP proxy in front of PostgreSQL for the bridge's integration tests: the test can cut it (refuse and reset
// every connection, as a database gone away) and restore it, or make it slow (every chunk towards the database
// held back `delayMs`, as a database that cannot keep up).
import net from 'node:net';

export type TcpProxy = {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlThrough(url: string): string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }, options: { delayMs?: number } = {}) {
  const { delayMs = 0 } = options;
  const sockets = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    if (delayMs > 0) {
      // Timers of equal delay fire in the order they were set: the byte stream stays in order.
      client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    } else {
      client.pipe(upstream);
    }
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    urlThrough(url) {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      return through.toString();
    },
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

/** The proxy in front of the PostgreSQL server of `databaseUrl`. */
export function startDatabaseProxy(databaseUrl: string, options: { delayMs?: number } = {}): Promise<TcpProxy> {
  const url = new URL(databaseUrl);
  return startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) }, options);
}
