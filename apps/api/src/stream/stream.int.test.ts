// The live stream over real HTTP on an ephemeral port, with a real PostgreSQL outbox: delivery, scope
// filters, heartbeats, Last-Event-ID resume, back-pressure (a client that never reads is dropped, its
// buffer stays bounded) and 500 concurrent clients.
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { appendLiveEvents } from '@takt/db';
import type { TLiveEventInput } from '@takt/contracts';
import { createApp } from '../app.ts';
import { buildPlant } from '../test/plant-fixture.ts';
import { openSseStream, type SseEvent, type SseStream } from '../test/sse-stream.ts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';
import { signIn } from '../test/test-client.ts';
import { LiveEventHub } from './live-event-hub.ts';

const MAX_BUFFERED_BYTES = 64 * 1024;

let t: TestApp;
let hub: LiveEventHub;
let server: Server;
let baseUrl: string;
let cookie: string;
const plant = { site1: '', site2: '', line1: '', line2: '', machine1: '', machine2: '', machine1b: '' };

async function seedPlant(): Promise<void> {
  const first = await buildPlant(t.db.prisma, {
    site: { code: 's0', name: 'site1', timeZone: 'Europe/Berlin' },
    area: { code: 'a' },
    lines: [
      {
        code: 'l',
        machines: [
          { code: 'm', name: 'Press' },
          { code: 'm2', name: 'Oven' },
        ],
      },
    ],
  });
  const second = await buildPlant(t.db.prisma, {
    site: { code: 's1', name: 'site2', timeZone: 'Europe/Berlin' },
    area: { code: 'a' },
    lines: [{ code: 'l', machines: [{ code: 'm', name: 'Press' }] }],
  });
  Object.assign(plant, {
    site1: first.siteId,
    site2: second.siteId,
    line1: first.lineIds.l,
    line2: second.lineIds.l,
    machine1: first.machineIds.m,
    machine1b: first.machineIds.m2,
    machine2: second.machineIds.m,
  });
}

function stateEvent(machineId: string, startedAtMs = Date.now()): TLiveEventInput {
  return {
    type: 'machine-state',
    machineId,
    payload: { machineId, state: 'DOWN', startedAtMs, reasonId: null, productId: null },
  };
}

async function append(events: TLiveEventInput[]): Promise<bigint> {
  const result = await t.db.prisma.$transaction((tx) => appendLiveEvents(tx, events));
  return result.lastId ?? 0n;
}

/** Opens GET /stream as the viewer (extra headers override), and checks it is an event stream. */
async function openStream(query = '', headers: Record<string, string> = {}, origin = baseUrl): Promise<SseStream> {
  const stream = await openSseStream(`${origin}/api/v1/stream${query}`, { cookie, ...headers });
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/^text\/event-stream/);
  return stream;
}

/** Waits until the hub has exactly `count` subscribers (closing a fetch stream reaches the server later). */
async function waitForSubscribers(count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (hub.stats().subscriberCount !== count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(hub.stats().subscriberCount).toBe(count);
}

const liveIds = (events: SseEvent[]) => events.filter((e) => e.id !== null).map((e) => e.id);

beforeAll(async () => {
  t = await createTestApp('stream');
  await seedPlant();
  hub = new LiveEventHub({
    prisma: t.db.prisma,
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 50,
    heartbeatIntervalMs: 200,
    kpiTickIntervalMs: 300,
    maxBufferedBytes: MAX_BUFFERED_BYTES,
  });
  await hub.start();
  server = createServer(createApp({ ...t.options, liveEvents: hub }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  await createUser(t.db, { username: 'vic', password: 'vic-secret-123', role: 'VIEWER' });
  cookie = (await signIn(baseUrl, 'vic', 'vic-secret-123')).cookie;
});

afterAll(async () => {
  await hub.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('GET /stream', () => {
  it('needs a session (401) and a valid Last-Event-ID (400)', async () => {
    expect((await fetch(`${baseUrl}/api/v1/stream`)).status).toBe(401);
    const bad = await fetch(`${baseUrl}/api/v1/stream`, { headers: { cookie, 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('streams appended events with their outbox id and scope, and heartbeats', async () => {
    const stream = await openStream();
    const lastId = await append([
      stateEvent(plant.machine1),
      {
        type: 'count',
        machineId: plant.machine2,
        payload: { machineId: plant.machine2, bucketStartMs: 0, goodDelta: 5, rejectDelta: 1 },
      },
      {
        type: 'work-order',
        lineId: plant.line1,
        payload: { workOrderId: plant.machine1, number: 'WO-1', status: 'RELEASED', lineId: plant.line1, version: 2 },
      },
    ]);
    await stream.waitFor((events) => liveIds(events).includes(lastId.toString()));
    const live = stream.events.filter((e) => e.id !== null);
    expect(live.map((e) => e.event)).toEqual(['machine-state', 'count', 'work-order']);
    expect(live.map((e) => BigInt(e.id!))).toEqual([lastId - 2n, lastId - 1n, lastId]);
    expect(live[0]?.data).toMatchObject({
      type: 'machine-state',
      scope: { siteId: plant.site1, lineId: plant.line1, machineId: plant.machine1 },
      payload: { machineId: plant.machine1, state: 'DOWN' },
    });
    expect(live[1]?.data).toMatchObject({ scope: { siteId: plant.site2, lineId: plant.line2 } });
    expect(live[2]?.data).toMatchObject({ scope: { siteId: plant.site1, lineId: plant.line1, machineId: null } });
    await stream.waitFor(() => stream.comments.some((c) => c.startsWith(': heartbeat')), 2_000);
    stream.close();
  });

  it('filters by scope: line, site, machine', async () => {
    const byLine = await openStream(`?lineId=${plant.line1}`);
    const bySite = await openStream(`?siteId=${plant.site2}`);
    const byMachine = await openStream(`?machineId=${plant.machine1b}`);
    const lastId = await append([stateEvent(plant.machine1), stateEvent(plant.machine2), stateEvent(plant.machine1b)]);
    const all = [byLine, bySite, byMachine];
    for (const stream of all) await stream.waitFor(() => hub.stats().lastId >= lastId);
    await hub.flush();
    await new Promise((r) => setTimeout(r, 100));
    const machinesOf = (s: SseStream) =>
      s.events.filter((e) => e.event === 'machine-state').map((e) => (e.data.scope as { machineId: string }).machineId);
    expect(machinesOf(byLine)).toEqual([plant.machine1, plant.machine1b]);
    expect(machinesOf(bySite)).toEqual([plant.machine2]);
    expect(machinesOf(byMachine)).toEqual([plant.machine1b]);
    for (const stream of all) stream.close();
  });

  it('resumes after a disconnect with Last-Event-ID: exactly the missed events, then live ones', async () => {
    const first = await openStream(`?machineId=${plant.machine1}`);
    const seenId = await append([stateEvent(plant.machine1, 1)]);
    await first.waitFor((events) => liveIds(events).includes(seenId.toString()));
    first.close();
    // Missed while disconnected (one of them outside the scope).
    const missed = [await append([stateEvent(plant.machine1, 2)]), await append([stateEvent(plant.machine2, 3)])];
    const missedToo = await append([stateEvent(plant.machine1, 4), stateEvent(plant.machine1, 5)]);
    await hub.flush();
    const resumed = await openStream(`?machineId=${plant.machine1}`, { 'last-event-id': seenId.toString() });
    const live = await append([stateEvent(plant.machine1, 6)]);
    await resumed.waitFor((events) => liveIds(events).includes(live.toString()));
    expect(liveIds(resumed.events)).toEqual([missed[0], missedToo - 1n, missedToo, live].map(String));
    expect(
      resumed.events.filter((e) => e.id !== null).map((e) => (e.data.payload as { startedAtMs: number }).startedAtMs),
    ).toEqual([2, 4, 5, 6]);
    resumed.close();
  });

  it('tells a client to reload when its Last-Event-ID is older than the retention', async () => {
    const oldId = await append([stateEvent(plant.machine1)]);
    await append([stateEvent(plant.machine1)]);
    await t.db.prisma.liveEvent.deleteMany({ where: { id: { lte: oldId + 1n } } }); // as the pruning would
    await append([stateEvent(plant.machine1)]);
    await hub.flush();
    const stream = await openStream('', { 'last-event-id': oldId.toString() });
    await stream.waitFor((events) => events.some((e) => e.event === 'reload'));
    expect(liveIds(stream.events)).toEqual([]);
    stream.close();
  });

  it('emits kpi-tick per line with the machines in each state', async () => {
    await t.db.prisma.machineStateInterval.create({
      data: { machineId: plant.machine1, state: 'PRODUCING', startedAt: new Date() },
    });
    const stream = await openStream(`?lineId=${plant.line1}`);
    await stream.waitFor((events) => events.some((e) => e.event === 'kpi-tick'), 3_000);
    const tick = stream.events.find((e) => e.event === 'kpi-tick');
    expect(tick?.id).toBeNull();
    expect(tick?.data.payload).toMatchObject({ lineId: plant.line1, machineCount: 2, stateCounts: { PRODUCING: 1 } });
    stream.close();
  });

  it('drops a client that never reads instead of buffering without bound; others keep receiving', async () => {
    await waitForSubscribers(0);
    const reader = await openStream(`?lineId=${plant.line1}`);
    const before = hub.stats();
    // A raw client that sends the request and then never reads its socket.
    const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1');
    socket.write(`GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`);
    socket.pause();
    const deadline = Date.now() + 3_000;
    while (hub.stats().subscriberCount < before.subscriberCount + 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const big = 'x'.repeat(8_000);
    let maxBuffered = 0;
    let lastId = 0n;
    // Batches below the limit: a client that reads keeps up; the stalled one fills its socket and is dropped.
    for (let batch = 0; batch < 300 && hub.stats().droppedCount === before.droppedCount; batch += 1) {
      lastId = await append(
        Array.from({ length: 5 }, (_, i) => ({
          type: 'work-order' as const,
          lineId: plant.line1,
          payload: {
            workOrderId: plant.machine1,
            number: `${big}-${i}`,
            status: 'RELEASED' as const,
            lineId: plant.line1,
            version: 1,
          },
        })),
      );
      await hub.flush();
      maxBuffered = Math.max(maxBuffered, hub.stats().maxSubscriberBufferedBytes);
      // The reading client drains between batches, so only the stalled one can hold a backlog.
      await reader.waitFor((events) => liveIds(events).includes(lastId.toString()), 10_000);
    }
    expect(hub.stats().droppedCount).toBe(before.droppedCount + 1);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES);
    expect(hub.stats().subscriberCount).toBe(before.subscriberCount);
    expect(liveIds(reader.events)).toContain(lastId.toString());
    socket.destroy();
    reader.close();
  });

  it('serves 500 concurrent clients from one fan-out', async () => {
    await waitForSubscribers(0);
    const streams = await Promise.all(Array.from({ length: 500 }, () => openStream()));
    expect(hub.stats().subscriberCount).toBe(500);
    const id = (await append([stateEvent(plant.machine2)])).toString();
    await Promise.all(streams.map((s) => s.waitFor((events) => liveIds(events).includes(id), 15_000)));
    for (const stream of streams) stream.close();
    await waitForSubscribers(0);
  }, 60_000);

  it('ends a stream cleanly once its session ends (sign-out, user disabled)', async () => {
    const other = await signIn(baseUrl, 'vic', 'vic-secret-123');
    const stream = await openStream('', { cookie: other.cookie });
    const untouched = await openStream();
    expect((await other.call('post', '/auth/logout')).status).toBe(204);
    const deadline = Date.now() + 3_000;
    while (!stream.isEnded() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stream.isEnded()).toBe(true);
    expect(untouched.isEnded()).toBe(false);
    untouched.close();
  });

  it('ends the streams cleanly when the hub closes (shutdown), so that clients reconnect', async () => {
    const other = new LiveEventHub({ prisma: t.db.prisma, logger: pino({ level: 'silent' }) });
    await other.start();
    const otherServer = createServer(createApp({ ...t.options, liveEvents: other }));
    await new Promise<void>((resolve) => otherServer.listen(0, '127.0.0.1', resolve));
    const address = otherServer.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const stream = await openStream('', {}, origin);
    const untouched = await openStream();
    await other.close();
    const deadline = Date.now() + 2_000;
    while (!stream.isEnded() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stream.isEnded()).toBe(true);
    expect(untouched.isEnded()).toBe(false);
    untouched.close();
    await new Promise((resolve) => otherServer.close(resolve));
  });
});
