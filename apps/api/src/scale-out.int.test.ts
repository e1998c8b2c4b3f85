// Several stateless API processes behind one port (docs/architecture.md "Processes"): sessions live in PostgreSQL,
// so a session made on one process works on another and a sign-out on one ends it on all (within the one-second
// session cache); the live stream reads the shared outbox, so a client whose process dies resumes on another with
// Last-Event-ID and misses nothing. Two real API processes (main.ts) and a round-robin TCP proxy.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLiveEvents } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { startRoundRobinProxy, type RoundRobinProxy } from './test/round-robin-proxy.ts';
import { openSseStream } from './test/sse-stream.ts';
import { createUser, LOCAL_BROKER_URL } from './test/test-app.ts';
import { signIn } from './test/test-client.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type ApiProcess = { port: number; origin: string; child: ChildProcess };

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startApiProcess(databaseUrl: string): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      MQTT_URL: LOCAL_BROKER_URL,
      PORT: String(port),
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process on port ${port} exited (${child.exitCode})`);
    const ok = await fetch(`${origin}/api/v1/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return { port, origin, child };
    if (Date.now() > deadline) throw new Error(`the API process on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopApiProcess(api: ApiProcess): Promise<void> {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return;
  const exited = once(api.child, 'exit');
  api.child.kill('SIGTERM');
  await exited;
}

/** Polls `read` until it returns `expected` or `timeoutMs` passes; returns the last value read. */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

let db: TestDatabase;
let first: ApiProcess;
let second: ApiProcess;
let proxy: RoundRobinProxy;

beforeAll(async () => {
  db = await createTestDatabase('scale_out');
  await createUser(db, { username: 'vic', password: 'vic-secret-123', role: 'VIEWER' });
  [first, second] = await Promise.all([startApiProcess(db.url), startApiProcess(db.url)]);
  proxy = await startRoundRobinProxy([first.port, second.port]);
}, 120_000);

afterAll(async () => {
  await proxy.close();
  await Promise.all([stopApiProcess(first), stopApiProcess(second)]);
  await db.drop();
});

describe('two API processes behind one port', () => {
  it('a session made on one works on the other, and a sign-out on one ends it on both', async () => {
    const onFirst = await signIn(first.origin, 'vic', 'vic-secret-123');
    const me = (origin: string) =>
      fetch(`${origin}/api/v1/auth/me`, { headers: { cookie: onFirst.cookie } }).then((res) => res.status);
    expect(await me(second.origin)).toBe(200);
    expect(await me(`http://127.0.0.1:${proxy.port}`)).toBe(200);

    const signOut = await fetch(`${second.origin}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: onFirst.cookie, 'x-csrf-token': onFirst.csrfToken },
    });
    expect(signOut.status).toBe(204);
    expect(await me(second.origin)).toBe(401);
    // The first process checks the session against the database at most once a second.
    expect(await eventually(() => me(first.origin), 401, 2_500)).toBe(401);
  });

  it('a stream whose process dies resumes on the other with Last-Event-ID and misses nothing', async () => {
    const client = await signIn(first.origin, 'vic', 'vic-secret-123');
    const append = (numbers: string[]) =>
      db.prisma.$transaction((tx) =>
        appendLiveEvents(
          tx,
          numbers.map((number) => ({
            type: 'work-order' as const,
            lineId: null,
            payload: { workOrderId: crypto.randomUUID(), number, status: 'RELEASED', lineId: null, version: 1 },
          })),
        ),
      );
    const numbersOf = (events: { data: Record<string, unknown> }[]) =>
      events.map((event) => (event.data.payload as { number?: string } | undefined)?.number);

    const before = await openSseStream(`${first.origin}/api/v1/stream`, { cookie: client.cookie });
    expect(before.status).toBe(200);
    await append(['WO-1', 'WO-2']);
    await before.waitFor((events) => numbersOf(events).includes('WO-2'), 10_000);
    const lastId = before.events.at(-1)?.id;
    expect(lastId).toBeTruthy();

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    before.close();
    await append(['WO-3', 'WO-4']); // published while the client has no stream

    // The proxy skips the dead process: the client lands on the second one.
    const after = await openSseStream(`http://127.0.0.1:${proxy.port}/api/v1/stream`, {
      cookie: client.cookie,
      'last-event-id': lastId ?? '',
    });
    expect(after.status).toBe(200);
    await append(['WO-5']);
    await after.waitFor((events) => numbersOf(events).includes('WO-5'), 10_000);
    expect(numbersOf(after.events)).toEqual(['WO-3', 'WO-4', 'WO-5']);
    after.close();
  });
});
