// /health against the real PostgreSQL and Mosquitto of this machine, and with the broker unreachable.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZHealthResponse } from '@takt/contracts';
import { createTestApp, waitForBroker, type TestApp } from '../test/test-app.ts';

let up: TestApp;
let brokerDown: TestApp;
let webDistDir: string;

beforeAll(async () => {
  webDistDir = await mkdtemp(path.join(tmpdir(), 'takt-web-'));
  await writeFile(path.join(webDistDir, 'index.html'), '<!doctype html><title>Takt</title><div id="root"></div>');
  up = await createTestApp('health', { app: { webDistDir } });
  brokerDown = await createTestApp('health_down', { brokerUrl: 'mqtt://127.0.0.1:1' });
  await waitForBroker(up.broker);
});
afterAll(async () => {
  await up.close();
  await brokerDown.close();
});

describe('GET /api/v1/health', () => {
  it('reports database and broker up, in the documented shape', async () => {
    const res = await request(up.app).get('/api/v1/health');
    expect(res.status).toBe(200);
    const body = ZHealthResponse.parse(res.body);
    expect(body.status).toBe('ok');
    expect(body.database).toMatchObject({ status: 'up', mode: 'external' });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.broker).toMatchObject({ status: 'up', mode: 'external' });
  });

  it('reports degraded with the broker down when it is unreachable', async () => {
    const res = await request(brokerDown.app).get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.broker.status).toBe('down');
    expect(res.body.database.status).toBe('up');
  });
});

describe('routing', () => {
  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await request(up.app).get('/api/v1/health').set('x-request-id', 'req-123');
    expect(given.headers['x-request-id']).toBe('req-123');
    const generated = await request(up.app).get('/api/v1/health').set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown API routes with a 404 problem, not the SPA', async () => {
    const res = await request(up.app).get('/api/v1/no-such-route');
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.detail).toContain('/api/v1/no-such-route');
  });

  it('serves the SPA for client-side routes', async () => {
    const res = await request(up.app).get('/work-orders/42');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="root">');
  });
});
