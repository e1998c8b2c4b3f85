// The API process as `npm start` runs it (startApiServer): Secure cookies behind a TLS proxy, the live
// stream fed by the outbox, and a graceful stop that ends open streams instead of waiting for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLiveEvents } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { SESSION_COOKIE } from '@takt/contracts';
import { loadApiEnv } from './env.ts';
import { startApiServer, type RunningApi } from './server.ts';
import { createUser, LOCAL_BROKER_URL } from './test/test-app.ts';

let db: TestDatabase;
let api: RunningApi;
let origin: string;

beforeAll(async () => {
  db = await createTestDatabase('server');
  await createUser(db, { username: 'vic', password: 'vic-secret-123', role: 'VIEWER' });
  api = await startApiServer(
    loadApiEnv({
      DATABASE_URL: db.url,
      MQTT_URL: LOCAL_BROKER_URL,
      PORT: '0',
      LOG_LEVEL: 'silent',
      TRUST_PROXY: 'true',
      TAKT_DATABASE_MODE: 'external',
    }),
  );
  origin = `http://127.0.0.1:${api.port}`;
});
afterAll(() => db.drop());

async function login(headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'vic', password: 'vic-secret-123' }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie();
}

describe('startApiServer', () => {
  it('marks cookies Secure when the request came over TLS (X-Forwarded-Proto with TRUST_PROXY)', async () => {
    const plain = await login();
    expect(plain.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).not.toMatch(/Secure/);
    const tls = await login({ 'x-forwarded-proto': 'https' });
    expect(tls.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/; Secure/);
  });

  it('streams outbox events, and stop() ends the open stream cleanly and promptly', async () => {
    const cookie = (await login()).map((c) => c.split(';')[0]).join('; ');
    const res = await fetch(`${origin}/api/v1/stream`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const event = { type: 'work-order' as const, lineId: null };
    const payload = {
      workOrderId: '6f1c2a4e-1111-4c8e-9a2b-0c5d6e7f8a9b',
      number: 'WO-7',
      status: 'RELEASED' as const,
    };
    await db.prisma.$transaction((tx) =>
      appendLiveEvents(tx, [{ ...event, payload: { ...payload, lineId: null, version: 1 } }]),
    );
    let text = '';
    while (!/"number": ?"WO-7"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended early');
      text += value;
    }
    expect(text).toMatch(/id: \d+\nevent: work-order\ndata: /);

    const startedMs = Date.now();
    await api.stop();
    expect(Date.now() - startedMs).toBeLessThan(3_000);
    // The stream ends normally (no error): an EventSource would reconnect with Last-Event-ID.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    await expect(fetch(`${origin}/api/v1/health`)).rejects.toThrow();
  });
});
