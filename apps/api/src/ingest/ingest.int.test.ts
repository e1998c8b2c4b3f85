// HTTP ingest end to end: POST /ingest/events with an ingest token into PostgreSQL through the shared
// @takt/ingest pipeline, per-event results of a mixed batch, dead letters, GET /dead-letters and
// GET /ingest/status.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TIngestEventsResponse } from '@takt/contracts';
import { createIngestTestPlant, type IngestTestPlant } from '@takt/ingest/testing';
import { newIngestToken } from '../ingest/ingest-token.middleware.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let plant: IngestTestPlant;
let token: string;
let admin: TestClient;
let viewer: TestClient;
// Five minutes ago on a minute boundary: inside the reorder window, bucketed predictably.
const T0 = Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000;

const ingest = (body: unknown) =>
  request(t.app)
    .post('/api/v1/ingest/events')
    .set('authorization', `Bearer ${token}`)
    .send(body as object);

beforeAll(async () => {
  t = await createTestApp('ingest-http');
  plant = await createIngestTestPlant(t.db.prisma, { machineCount: 2 });
  const created = newIngestToken();
  await t.db.prisma.ingestToken.create({
    data: { name: 'line-gw', tokenHash: created.tokenHash, prefix: created.prefix },
  });
  token = created.token;
  admin = await signInAs(t, 'ADMIN');
  viewer = await signInAs(t, 'VIEWER');
});
afterAll(() => t.close());

describe('POST /api/v1/ingest/events', () => {
  it('requires an ingest token (401 without one, 401 for a user session)', async () => {
    const body = { events: [{ type: 'count', machinePath: plant.pathOf(0), tsMs: T0, good: 1 }] };
    const anonymous = await request(t.app).post('/api/v1/ingest/events').send(body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.type).toBe('application/problem+json');
    const wrong = await request(t.app)
      .post('/api/v1/ingest/events')
      .set('authorization', 'Bearer takt_ing_notarealtokennotarealtoken')
      .send(body);
    expect(wrong.status).toBe(401);
  });

  it('answers 400 only for a malformed body', async () => {
    expect((await ingest({})).status).toBe(400);
    expect((await ingest({ events: 'x' })).status).toBe(400);
    expect((await ingest({ events: [] })).status).toBe(400);
    const tooMany = { events: Array.from({ length: 5_001 }, () => ({})) };
    const res = await ingest(tooMany);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('body.events');
  });

  it('applies a mixed batch and answers per event', async () => {
    const path = plant.pathOf(0);
    const events = [
      { type: 'state', machinePath: path, tsMs: T0, state: 'PRODUCING', productCode: 'P-100', eventId: 'e1' },
      { type: 'count', machinePath: path, tsMs: T0 + 10_000, good: 5, reject: 1, eventId: 'e2' },
      { type: 'count', machinePath: path, tsMs: T0 + 10_000, good: 5, reject: 1, eventId: 'e2' }, // duplicate
      { type: 'state', machinePath: 'plant1/assembly/line1/nosuch', tsMs: T0, state: 'IDLE' },
      { type: 'state', machinePath: path, tsMs: T0, state: 'RUNNING' },
      { type: 'count', machinePath: path, tsMs: T0, good: -3 },
      { type: 'state', machinePath: path, tsMs: Date.now() + 3_600_000, state: 'IDLE' },
      { type: 'state', machinePath: path, tsMs: T0 + 1, state: 999 },
      'not an event',
      { type: 'work-order', machinePath: path, tsMs: T0 + 20_000, workOrderNumber: plant.workOrderNumber },
      { type: 'counter', machineId: plant.machineIds[0], tsMs: T0 + 30_000, counter: 'good', value: 100 },
      { type: 'counter', machineId: plant.machineIds[0], tsMs: T0 + 40_000, counter: 'good', value: 104 },
    ];
    const res = await ingest({ events });
    expect(res.status).toBe(200);
    const body = res.body as TIngestEventsResponse;
    expect(body.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'duplicate',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(body).toMatchObject({ accepted: 5, duplicates: 1, rejected: 6 });
    expect(body.results[3]?.reason).toMatch(/^unknown machine/);
    expect(body.results[4]?.reason).toMatch(/^schema violation: state/);
    expect(body.results[6]?.reason).toMatch(/in the future/);
    expect(body.results[7]?.reason).toMatch(/^unknown state code 999/);

    const intervals = await t.db.prisma.machineStateInterval.findMany({
      where: { machineId: plant.machineIds[0] },
      orderBy: { startedAt: 'asc' },
    });
    expect(intervals.map((i) => [i.state, i.startedAt.getTime() - T0, i.productId, i.workOrderId])).toEqual([
      ['PRODUCING', 0, plant.productIds[0], null],
      ['PRODUCING', 20_000, plant.productIds[0], plant.workOrderId],
    ]);
    const counts = await t.db.prisma.productionCount.findMany({ where: { machineId: plant.machineIds[0] } });
    expect(
      counts
        .map((c) => [c.goodCount, c.rejectCount, c.workOrderId, c.bucketStart.getTime() - T0])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [4, 0, plant.workOrderId, 0], // 104 − 100 (the first reading is the baseline), after the work order began
      [5, 1, null, 0], // the duplicate count is not added
    ]);

    // Sending the whole batch again changes nothing: the accepted events come back as duplicates.
    const again = (await ingest({ events })).body as TIngestEventsResponse;
    expect(again).toMatchObject({ accepted: 0, rejected: 6 });
  });

  it('dead-letters rejected events with source HTTP, listed by GET /dead-letters (ADMIN)', async () => {
    const res = await admin.call('get', '/dead-letters?source=HTTP&limit=4');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(4);
    expect(res.body.items[0]).toMatchObject({ sourceKind: 'HTTP', address: 'POST /api/v1/ingest/events' });
    expect(res.body.nextCursor).not.toBeNull();
    const next = await admin.call('get', `/dead-letters?source=HTTP&limit=100&cursor=${res.body.nextCursor as string}`);
    expect(next.body.items.length).toBe(12 - 4);
    expect(next.body.items.map((d: { reason: string }) => d.reason)).toContain(
      'schema violation: (root): Invalid input: expected object, received string',
    );
    expect(next.body.items.find((d: { payload: string }) => d.payload === '"not an event"')).toBeDefined();
    expect(next.body.nextCursor).toBeNull();
    const none = await admin.call('get', '/dead-letters?source=MQTT_JSON');
    expect(none.body.items).toEqual([]);
    expect((await admin.call('get', '/dead-letters?cursor=abc')).status).toBe(400);
    expect((await viewer.call('get', '/dead-letters')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/dead-letters')).status).toBe(401);
  });

  it('reports the HTTP source in GET /ingest/status (VIEWER)', async () => {
    const res = await viewer.call('get', '/ingest/status');
    expect(res.status).toBe(200);
    const http = res.body.sources.find((s: { sourceCode: string }) => s.sourceCode === 'http');
    expect(http).toMatchObject({
      sourceKind: 'HTTP',
      isConnected: null,
      messagesTotal: 24,
      duplicates: 1 + 6,
      deadLetters: 12,
      spoolDepth: 0,
      pendingEvents: 0,
      unackedMessages: 0,
      isStale: false,
    });
    expect(http.lagMs).toBeGreaterThan(0);
    expect((await request(t.app).get('/api/v1/ingest/status')).status).toBe(401);
  });
});

describe('POST /api/v1/ingest/events after the status checks above', () => {
  it('rejects only the bad event of a batch, with a reason free of database text', async () => {
    const count = (machine: number, i: number) =>
      `{"type":"count","machinePath":"${plant.pathOf(machine)}","tsMs":${T0 + 120_000 + i * 1_000},"good":1,"eventId":"poison-batch-${machine}-${i}"}`;
    const valid = Array.from({ length: 18 }, (_, i) => count(i % 2, i));
    // Raw JSON: a NUL byte in a reason code (JSON's \u0000 escape), as a security probe sent it.
    const bad = `{"type":"state","machinePath":"${plant.pathOf(0)}","tsMs":${T0 + 125_500},"state":"DOWN","reasonCode":"J\\u0000AM"}`;
    const res = await request(t.app)
      .post('/api/v1/ingest/events')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send(`{"events":[${[...valid.slice(0, 9), bad, ...valid.slice(9)].join(',')}]}`);
    expect(res.status).toBe(200);
    const body = res.body as TIngestEventsResponse;
    expect(body).toMatchObject({ accepted: 18, duplicates: 0, rejected: 1 });
    expect(body.results[9]).toEqual({
      index: 9,
      status: 'rejected',
      reason: 'invalid value: reasonCode contains a NUL byte',
    });
    const deadLetter = await t.db.prisma.deadLetter.findFirst({ where: { reason: { startsWith: 'invalid value' } } });
    expect(deadLetter?.payload).toContain('"reasonCode":"J\\u0000AM"');
  });

  it('keeps the KPI rollups of the complete hours a batch touched current, late events included', async () => {
    const machineId = plant.machineIds[1] ?? '';
    const hourGood = async (tsMs: number) => {
      const rows = await t.db.prisma.$queryRaw<{ good: number | null }[]>`
        SELECT good_count AS good FROM kpi_rollup_hour
         WHERE machine_id = ${machineId}::uuid AND hour_start = date_trunc('hour', ${new Date(tsMs)}::timestamptz)`;
      return rows[0]?.good ?? null;
    };
    const twoHoursAgo = T0 - 2 * 3_600_000;
    const count = (tsMs: number, good: number) => ({ type: 'count', machineId, tsMs, good });
    expect((await ingest({ events: [count(twoHoursAgo, 5)] })).status).toBe(200);
    expect(await hourGood(twoHoursAgo)).toBe(5);
    // A late count for the same, already rolled-up hour corrects it.
    expect((await ingest({ events: [count(twoHoursAgo + 60_000, 3)] })).status).toBe(200);
    expect(await hourGood(twoHoursAgo)).toBe(8);
  });
});
