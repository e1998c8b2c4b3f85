// `npm start` as a newcomer runs it: the launcher process with the embedded defaults, its restart
// with the data kept, and the one-line failures for bad configuration and a busy port.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdir, readFile } from 'node:fs/promises';
import { createTestDatabase } from '@takt/db/testing';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Started = { output: () => string; exit: Promise<number | null>; kill(): void };

function startTakt(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { output: () => output, exit, kill: () => child.kill('SIGTERM') };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(started: Started, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`"${text}" not printed within ${timeoutMs} ms; output:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const running: Started[] = [];
afterAll(async () => {
  for (const started of running) started.kill();
  await Promise.all(running.map((s) => s.exit));
});

describe('npm start with the embedded defaults', () => {
  it('serves the SPA and a healthy API on the embedded PostgreSQL + broker, and keeps the data across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'takt-start-'));
    await chmod(dataDir, 0o711); // the database runs as the postgres OS user when the tests run as root
    const port = await freePort();
    const env = { TAKT_DATA_DIR: dataDir, PORT: String(port), EMBEDDED_DB_PORT: '0', EMBEDDED_MQTT_PORT: '0' };

    const first = startTakt(env);
    running.push(first);
    await waitFor(first, 'Takt is running', 240_000);
    expect(first.output()).toContain(`Database: embedded PostgreSQL in ${path.join(dataDir, 'postgres')}`);
    expect(first.output()).toContain('30 days of history generated');
    expect(first.output()).toMatch(/ADMIN\s+admin \/ takt-admin/);

    const health = await (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      database: { status: 'up', mode: 'embedded' },
      broker: { status: 'up', mode: 'embedded' },
    });
    const page = await fetch(`http://127.0.0.1:${port}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'takt-admin' }),
    });
    expect(login.status).toBe(200);

    first.kill();
    expect(await first.exit).toBe(0);

    const second = startTakt(env);
    running.push(second);
    await waitFor(second, 'Takt is running', 120_000);
    // Same data directory: nothing to migrate, the plant and its history are already there.
    expect(second.output()).toContain('Migrations: up to date');
    expect(second.output()).not.toContain('history generated');
    second.kill();
    expect(await second.exit).toBe(0);
  }, 420_000);
});

describe('npm start with bad configuration', () => {
  it('exits 1 with one clear line for DATABASE_URL=not-a-url', async () => {
    const started = startTakt({ DATABASE_URL: 'not-a-url' });
    expect(await started.exit).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      '[takt] cannot start: invalid configuration: DATABASE_URL="not-a-url": must be a URL like postgresql://user:password@host:5432/takt',
    );
  });

  it('exits 1 with one clear line when the port is in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const started = startTakt({
        PORT: String(port),
        TAKT_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'takt-port-')),
      });
      expect(await started.exit).toBe(1);
      const lines = started.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 1 with one line for a port that is not a number', async () => {
    const started = startTakt({ PORT: 'eighty' });
    expect(await started.exit).toBe(1);
    expect(started.output().trim().split('\n')).toHaveLength(1);
    expect(started.output()).toContain('PORT="eighty"');
  });

  it('stops the bridge and the simulator it started when the API exits during start-up', async () => {
    const database = await createTestDatabase('launcher_api_fails');
    try {
      const marker = await mkdtemp(path.join(tmpdir(), 'takt-api-fails-'));
      const started = startTakt({
        DATABASE_URL: database.url,
        TAKT_DATA_DIR: marker,
        PORT: String(await freePort()),
        EMBEDDED_MQTT_PORT: '0',
        SEED_DEMO_DATA: 'false',
        SESSION_IDLE_TIMEOUT_MIN: 'zero', // only the API validates it: the API exits, the others start
      });
      expect(await started.exit).toBe(1);
      expect(started.output()).toContain('the api process exited during start-up');
      expect(await processesWithEnv(`TAKT_DATA_DIR=${marker}`)).toEqual([]);
    } finally {
      await database.drop();
    }
  }, 120_000);
});

/** Pids of the live processes whose environment holds `entry` (children outlive a launcher that forgot them). */
async function processesWithEnv(entry: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(entry)) pids.push(Number(name));
  }
  return pids;
}
