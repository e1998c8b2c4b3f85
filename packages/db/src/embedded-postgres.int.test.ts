// The embedded PostgreSQL of `npm start`: a real server on loopback with a generated password, that
// restarts on its data (also after kill -9) and serves several processes at once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

/** A new TAKT_DATA_DIR that the server's OS user (postgres, when tests run as root) may enter. */
async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'takt-embedded-test-'));
  await chmod(dir, 0o711);
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port });
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function withPassword(url: string, password: string): string {
  const next = new URL(url);
  next.password = password;
  return next.toString();
}

function withHost(url: string, host: string): string {
  const next = new URL(url);
  next.hostname = host;
  return next.toString();
}

async function serverPid(dataDir: string): Promise<number> {
  const lockFile = await readFile(path.join(dataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8');
  return Number(lockFile.split('\n')[0]);
}

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  // One server for the checks that only read it.
  let dataDir: string;
  let server: EmbeddedPostgres;
  beforeAll(async () => {
    dataDir = await newDataDir();
    server = await start(dataDir);
  });

  it('starts a real PostgreSQL 18 with a generated password stored 0600 beside its data', async () => {
    const [row] = await query<{ version: string }>(server.url, "SELECT current_setting('server_version') AS version");
    expect(row?.version).toMatch(/^18\./);

    const passwordFile = path.join(dataDir, 'postgres', '.takt-password');
    const password = (await readFile(passwordFile, 'utf8')).trim();
    expect(password).toMatch(/^[\w-]{32}$/);
    expect(new URL(server.url).password).toBe(password);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'postgres'))).mode & 0o777).toBe(0o700);
  });

  it('rejects a wrong password, and pg_hba.conf asks every connection for one (no trust)', async () => {
    await expect(query(withPassword(server.url, 'wrong-password'), 'SELECT 1')).rejects.toMatchObject({
      code: '28P01', // invalid_password
    });
    const rules = await query<{ auth_method: string }>(server.url, 'SELECT auth_method FROM pg_hba_file_rules');
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((rule) => rule.auth_method))).toEqual(new Set(['scram-sha-256']));
  });

  it('listens on 127.0.0.1 only: no other address of this host, no Unix socket', async () => {
    const [settings] = await query<{ listen: string; sockets: string }>(
      server.url,
      "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets",
    );
    expect(settings).toEqual({ listen: '127.0.0.1', sockets: '' });
    // Bound to 127.0.0.1 itself, not to every address: the rest of the loopback range is refused too.
    const otherAddresses = [
      '127.0.0.2',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
        .map((address) => address!.address),
    ];
    for (const host of otherAddresses) {
      await expect(query(withHost(server.url, host), 'SELECT 1'), host).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
  });
});

describe('the embedded PostgreSQL on its data directory', () => {
  it('restarts on the same data with the same password', async () => {
    const dataDir = await newDataDir();
    const first = await start(dataDir);
    await query(first.url, 'CREATE TABLE kept (id int PRIMARY KEY)');
    await query(first.url, 'INSERT INTO kept VALUES (7)');
    await first.stop();

    const second = await start(dataDir);
    expect(second.url).toBe(first.url.replace(`:${first.port}/`, `:${second.port}/`));
    expect(await query(second.url, 'SELECT id FROM kept')).toEqual([{ id: 7 }]);
  });

  it('starts again after its server process was killed with SIGKILL (stale postmaster.pid)', async () => {
    const dataDir = await newDataDir();
    const first = await start(dataDir);
    await query(first.url, 'CREATE TABLE committed (id int)');
    await query(first.url, 'INSERT INTO committed VALUES (1)');
    process.kill(await serverPid(dataDir), 'SIGKILL');
    await first.stop(); // returns at once: the process is gone

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT id FROM committed')).toEqual([{ id: 1 }]);
  });

  it('refuses to start twice on one data directory, naming the running PID', async () => {
    const dataDir = await newDataDir();
    await start(dataDir);
    const pid = await serverPid(dataDir);
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(
      new EmbeddedPostgresError(
        `The embedded PostgreSQL of ${path.join(dataDir, 'postgres', 'data')} is already running (PID ${pid}), left by a Takt that did not stop or used by another one: stop that process (kill ${pid}) and start again.`,
      ),
    );
  });

  it('names EMBEDDED_DB_PORT when its port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir: await newDataDir(), port })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use: stop the other program or set EMBEDDED_DB_PORT to another port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('says in one line how to upgrade when TAKT_DATA_DIR holds the PGlite database of an earlier version', async () => {
    const dataDir = await newDataDir();
    await mkdir(path.join(dataDir, 'pg'));
    await writeFile(path.join(dataDir, 'pg', 'PG_VERSION'), '17\n');
    const failure = startEmbeddedPostgres({ dataDir, port: 0 });
    await expect(failure).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(failure).rejects.toThrow(
      `${path.join(dataDir, 'pg')} holds the PGlite database of an earlier Takt version: copy it into the new embedded PostgreSQL with \`npm run db:upgrade-embedded\`, or move it away to start with a new database (see README "Upgrading from PGlite").`,
    );
  });
});

// One process's share of the load: many unnamed prepared statements (every parameterised query is
// Parse/Bind/Execute with the unnamed statement) of different parameter counts, on a pool of 4.
const WORKER = `
import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.env.URL, max: 4 });
const sum = (n) => Array.from({ length: n }, (_, i) => '$' + (i + 1) + '::int').join(' + ');
let wrong = 0;
for (let round = 0; round < 100; round += 1) {
  const results = await Promise.all([3, 10, 1, 7].map(async (n) => {
    const values = Array.from({ length: n }, (_, i) => round + i);
    const { rows } = await pool.query('SELECT ' + sum(n) + ' AS total', values);
    return rows[0].total === values.reduce((a, b) => a + b, 0);
  }));
  wrong += results.filter((ok) => !ok).length;
}
await pool.end();
process.exit(wrong === 0 ? 0 : 1);
`;

describe('the embedded PostgreSQL under several processes', () => {
  // PGlite behind pglite-socket interleaved the protocol messages of the API's and the bridge's
  // connections: 08P01 "bind message supplies 10 parameters, but prepared statement "" requires 3".
  it('regression: 08P01 bind message supplies 10 parameters, but prepared statement "" requires 3', async () => {
    const server = await start(await newDataDir());
    const workers = [1, 2].map(() => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER], {
        cwd: PACKAGE_DIR, // resolves `pg` from this package
        env: { ...process.env, URL: server.url },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
    });
    expect(await Promise.all(workers)).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
  });
});
