// Work orders against a real PostgreSQL database and the real SSE stream: the lifecycle and every refused
// transition, one running order per line (also under concurrent starts, and its unique-index backstop),
// If-Match, validation, the audit trail, counts and progress from production_count rows, manual adjustments
// and their ledger, list filters and pages.
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORK_ORDER_ACTIONS, type TWorkOrder, type TWorkOrderAction, type TWorkOrderStatus } from '@takt/contracts';
import { createApp } from '../app.ts';
import { LiveEventHub } from '../stream/live-event-hub.ts';
import { buildPlant } from '../test/plant-fixture.ts';
import { openSseStream } from '../test/sse-stream.ts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';
import { signIn, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let hub: LiveEventHub;
let server: Server;
let baseUrl: string;
let supervisor: TestClient;
let viewer: TestClient;
let productId: string;
let otherProductId: string;
let areaId: string;
let lineCount = 0;

/** A line with machines `m1` (sequence 1) and `m2` (sequence 2, the line's output). */
async function newLine(): Promise<{ id: string; m1: string; m2: string }> {
  lineCount += 1;
  const code = `l${lineCount}`;
  const line = await t.db.prisma.line.create({ data: { areaId, code, name: `Line ${lineCount}` } });
  const machine = (machineCode: string, sequence: number) =>
    t.db.prisma.machine.create({
      data: { lineId: line.id, code: machineCode, path: `p1/asm/${code}/${machineCode}`, name: machineCode, sequence },
    });
  const m1 = await machine('m1', 1);
  const m2 = await machine('m2', 2);
  return { id: line.id, m1: m1.id, m2: m2.id };
}

let orderCount = 0;
const nextNumber = (prefix = 'WO') => `${prefix}-${String(++orderCount).padStart(4, '0')}`;

async function createOrder(overrides: object = {}): Promise<TWorkOrder> {
  const res = await supervisor.call('post', '/work-orders', {
    number: nextNumber(),
    productId,
    targetQuantity: 360,
    ...overrides,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as TWorkOrder;
}

async function act(
  id: string,
  action: TWorkOrderAction,
  body: object = {},
  headers: Record<string, string> = {},
): Promise<request.Response> {
  return supervisor.call('post', `/work-orders/${id}/${action}`, body, headers);
}

async function actOk(id: string, action: TWorkOrderAction, body: object = {}): Promise<TWorkOrder> {
  const res = await act(id, action, body);
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as TWorkOrder;
}

/** A new order brought to `status` (on a line of its own where it needs one). */
async function orderIn(status: TWorkOrderStatus | 'RELEASED_ON_LINE'): Promise<TWorkOrder> {
  const order = await createOrder();
  if (status === 'DRAFT') return order;
  if (status === 'CANCELLED') return actOk(order.id, 'cancel');
  const released = await actOk(order.id, 'release');
  if (status === 'RELEASED') return released;
  const line = await newLine();
  const dispatched = await actOk(order.id, 'dispatch', { lineId: line.id });
  if (status === 'RELEASED_ON_LINE') return dispatched;
  const started = await actOk(order.id, 'start');
  if (status === 'IN_PROGRESS') return started;
  if (status === 'PAUSED') return actOk(order.id, 'pause');
  return actOk(order.id, 'complete');
}

async function auditOf(entityId: string) {
  const rows = await t.db.prisma.auditLog.findMany({ where: { entityId }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    action: row.action,
    actorLabel: row.actorLabel,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    requestId: row.requestId,
  }));
}

/** Moves an order's transition into `toStatus` (the n-th one) to `at`, to lay out run windows in the past. */
async function moveTransition(workOrderId: string, toStatus: TWorkOrderStatus, at: Date, nth = 0): Promise<void> {
  const rows = await t.db.prisma.workOrderTransition.findMany({
    where: { workOrderId, toStatus },
    orderBy: { id: 'asc' },
  });
  const row = rows[nth];
  if (row === undefined) throw new Error(`no ${toStatus} transition #${nth}`);
  await t.db.prisma.workOrderTransition.update({ where: { id: row.id }, data: { at } });
}

async function addCounts(
  rows: { machineId: string; at: Date; good: number; reject?: number; workOrderId?: string | null }[],
): Promise<void> {
  await t.db.prisma.productionCount.createMany({
    data: rows.map((row) => ({
      machineId: row.machineId,
      bucketStart: row.at,
      goodCount: row.good,
      rejectCount: row.reject ?? 0,
      workOrderId: row.workOrderId ?? null,
    })),
  });
}

beforeAll(async () => {
  t = await createTestApp('work-orders');
  hub = new LiveEventHub({
    prisma: t.db.prisma,
    logger: pino({ level: 'silent' }),
    pollIntervalMs: 50,
    heartbeatIntervalMs: 1_000,
    kpiTickIntervalMs: 0,
  });
  await hub.start();
  server = createServer(createApp({ ...t.options, liveEvents: hub }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

  const plant = await buildPlant(t.db.prisma, {
    site: { timeZone: 'Europe/Berlin' },
    products: [
      { code: 'gbx-200', name: 'Gearbox 200' },
      { code: 'brk-100', name: 'Bracket 100' },
    ],
  });
  areaId = plant.areaId;
  productId = plant.productIds['gbx-200']!;
  otherProductId = plant.productIds['brk-100']!;

  await createUser(t.db, { username: 'sam', password: 'sam-secret-1', role: 'SUPERVISOR' });
  await createUser(t.db, { username: 'vic', password: 'vic-secret-1', role: 'VIEWER' });
  supervisor = await signIn(baseUrl, 'sam', 'sam-secret-1');
  viewer = await signIn(baseUrl, 'vic', 'vic-secret-1');
});

afterAll(async () => {
  await hub.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('lifecycle', () => {
  it('runs DRAFT → RELEASED → (dispatch) → IN_PROGRESS ⇄ PAUSED → COMPLETED, versioned, with its history', async () => {
    const line = await newLine();
    const created = await supervisor.call(
      'post',
      '/work-orders',
      { number: 'WO-HAPPY', productId, targetQuantity: 500, dueAt: '2026-12-01T12:00:00+01:00' },
      { 'x-request-id': 'req-wo-create' },
    );
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      number: 'WO-HAPPY',
      productId,
      lineId: null,
      status: 'DRAFT',
      targetQuantity: 500,
      dueAt: '2026-12-01T11:00:00.000Z',
      startedAt: null,
      completedAt: null,
      version: 1,
      production: {
        goodCount: 0,
        scrapCount: 0,
        countSource: 'none',
        runTimeSec: 0,
        progress: 0,
        runRatePartsPerHour: null,
        projectedFinishAt: null,
      },
    });
    const id = created.body.id as string;

    const read = await viewer.call('get', `/work-orders/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({ id, number: 'WO-HAPPY', version: 1 });

    const released = await actOk(id, 'release');
    expect(released).toMatchObject({ status: 'RELEASED', version: 2 });
    const dispatched = await actOk(id, 'dispatch', { lineId: line.id });
    expect(dispatched).toMatchObject({ status: 'RELEASED', lineId: line.id, version: 3 });
    const started = await actOk(id, 'start');
    expect(started).toMatchObject({ status: 'IN_PROGRESS', version: 4, production: { countSource: 'line-output' } });
    expect(started.startedAt).not.toBeNull();
    const paused = await act(id, 'pause', { note: 'Material shortage' });
    expect(paused.status).toBe(200);
    expect(paused.headers.etag).toBe('"5"');
    expect(paused.body).toMatchObject({ status: 'PAUSED', version: 5 });
    const resumed = await actOk(id, 'resume');
    expect(resumed).toMatchObject({ status: 'IN_PROGRESS', startedAt: started.startedAt, version: 6 });
    const completed = await actOk(id, 'complete');
    expect(completed).toMatchObject({ status: 'COMPLETED', version: 7 });
    expect(completed.completedAt).not.toBeNull();

    const history = await viewer.call('get', `/work-orders/${id}/transitions`);
    expect(history.status).toBe(200);
    expect(
      (history.body.items as { fromStatus: string | null; toStatus: string; note: string | null }[]).map((h) => [
        h.fromStatus,
        h.toStatus,
        h.note,
      ]),
    ).toEqual([
      [null, 'DRAFT', null],
      ['DRAFT', 'RELEASED', null],
      ['RELEASED', 'RELEASED', null],
      ['RELEASED', 'IN_PROGRESS', null],
      ['IN_PROGRESS', 'PAUSED', 'Material shortage'],
      ['PAUSED', 'IN_PROGRESS', null],
      ['IN_PROGRESS', 'COMPLETED', null],
    ]);
    expect(history.body.items[0]).toMatchObject({ actorLabel: 'sam' });
    expect((await viewer.call('get', `/work-orders/${randomUUID()}/transitions`)).status).toBe(404);

    const entries = await auditOf(id);
    expect(entries.map((e) => e.action)).toEqual([
      'work-order.created',
      'work-order.released',
      'work-order.dispatched',
      'work-order.started',
      'work-order.paused',
      'work-order.resumed',
      'work-order.completed',
    ]);
    expect(entries[0]).toMatchObject({ actorLabel: 'sam', requestId: 'req-wo-create', before: null });
    expect(entries[2]).toMatchObject({ before: { lineId: null, version: 2 }, after: { lineId: line.id, version: 3 } });
    expect(entries[4]).toMatchObject({
      before: { status: 'IN_PROGRESS' },
      after: { status: 'PAUSED', note: 'Material shortage' },
    });
  });

  it('cancels from every open state, and dispatch to another line before the start moves the order', async () => {
    for (const status of ['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED'] as const) {
      const order = await orderIn(status);
      const cancelled = await actOk(order.id, 'cancel', { note: 'Customer withdrew the order' });
      expect(cancelled.status).toBe('CANCELLED');
    }
    const order = await orderIn('RELEASED_ON_LINE');
    const other = await newLine();
    expect(await actOk(order.id, 'dispatch', { lineId: other.id })).toMatchObject({
      lineId: other.id,
      version: order.version + 1,
    });
    // The same line again changes nothing.
    expect(await actOk(order.id, 'dispatch', { lineId: other.id })).toMatchObject({ version: order.version + 1 });
  });

  it('refuses every transition the lifecycle does not allow with 409 and leaves the order as it was', async () => {
    const allowed: Record<string, TWorkOrderAction[]> = {
      DRAFT: ['release', 'cancel'],
      RELEASED: ['dispatch', 'cancel'], // start needs a line
      RELEASED_ON_LINE: ['dispatch', 'start', 'cancel'],
      IN_PROGRESS: ['pause', 'complete', 'cancel'],
      PAUSED: ['resume', 'complete', 'cancel'],
      COMPLETED: [],
      CANCELLED: [],
    };
    const line = await newLine();
    const failures: string[] = [];
    for (const [status, allowedActions] of Object.entries(allowed)) {
      const order = await orderIn(status as TWorkOrderStatus | 'RELEASED_ON_LINE');
      for (const action of WORK_ORDER_ACTIONS.filter((a) => !allowedActions.includes(a))) {
        const res = await act(order.id, action, action === 'dispatch' ? { lineId: line.id } : {});
        const isOk =
          res.status === 409 &&
          res.type === 'application/problem+json' &&
          res.body.title === 'Invalid transition' &&
          (res.body.detail as string).startsWith(`Work order ${order.number} cannot ${action}: `);
        if (!isOk) failures.push(`${status} + ${action}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const after = await viewer.call('get', `/work-orders/${order.id}`);
      expect(after.body).toMatchObject({ status: order.status, version: order.version });
    }
    expect(failures).toEqual([]);

    const unplaced = await orderIn('RELEASED');
    const start = await act(unplaced.id, 'start');
    expect(start.status).toBe(409);
    expect(start.body.detail).toContain('dispatch the order to a line first');
    const paused = await orderIn('PAUSED');
    const pauseAgain = await act(paused.id, 'pause');
    expect(pauseAgain.body.detail).toBe(
      `Work order ${paused.number} cannot pause: pause needs an order that is IN_PROGRESS, and this one is PAUSED.`,
    );
  });

  it('answers 404 for unknown orders and 403 for viewers who try to write', async () => {
    expect((await viewer.call('get', `/work-orders/${randomUUID()}`)).status).toBe(404);
    expect((await act(randomUUID(), 'release')).status).toBe(404);
    const order = await createOrder();
    const res = await viewer.call('post', `/work-orders/${order.id}/release`, {});
    expect(res.status).toBe(403);
  });
});

describe('one running order per line', () => {
  it('refuses to start a second order while the first is IN_PROGRESS or PAUSED, and allows it once completed', async () => {
    const line = await newLine();
    const first = await createOrder();
    const second = await createOrder();
    for (const order of [first, second]) {
      await actOk(order.id, 'release');
      await actOk(order.id, 'dispatch', { lineId: line.id });
    }
    await actOk(first.id, 'start');
    const busy = await act(second.id, 'start');
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ title: 'Line is busy' });
    expect(busy.body.detail).toContain(`already runs work order ${first.number} (IN_PROGRESS)`);
    await actOk(first.id, 'pause');
    const stillBusy = await act(second.id, 'start');
    expect(stillBusy.status).toBe(409);
    expect(stillBusy.body.detail).toContain(`${first.number} (PAUSED)`);
    await actOk(first.id, 'complete');
    expect(await actOk(second.id, 'start')).toMatchObject({ status: 'IN_PROGRESS', lineId: line.id });
  });

  it('lets exactly one of two concurrent starts on one line win, every time', async () => {
    for (let round = 0; round < 4; round++) {
      const line = await newLine();
      const orders = [await createOrder(), await createOrder()];
      for (const order of orders) {
        await actOk(order.id, 'release');
        await actOk(order.id, 'dispatch', { lineId: line.id });
      }
      const results = await Promise.all(orders.map((order) => act(order.id, 'start')));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const running = await t.db.prisma.workOrder.count({ where: { lineId: line.id, status: 'IN_PROGRESS' } });
      expect(running).toBe(1);
    }
  });

  it('is backed by a unique index: a second IN_PROGRESS or PAUSED order on a line is refused in SQL too', async () => {
    const line = await newLine();
    const other = await newLine();
    const running = await createOrder();
    await actOk(running.id, 'release');
    await actOk(running.id, 'dispatch', { lineId: line.id });
    await actOk(running.id, 'start');
    const insert = (status: TWorkOrderStatus, lineId = line.id) => t.db.prisma.$executeRaw`
      INSERT INTO work_order (id, number, product_id, line_id, status, target_quantity, updated_at)
      VALUES (${randomUUID()}::uuid, ${nextNumber('SQL')}, ${productId}::uuid, ${lineId}::uuid,
              ${status}::"WorkOrderStatus", 10, now())`;
    await expect(insert('IN_PROGRESS')).rejects.toThrow(/work_order_one_running_per_line/);
    await expect(insert('PAUSED')).rejects.toThrow(/work_order_one_running_per_line/);
    for (const status of ['RELEASED', 'COMPLETED', 'CANCELLED'] as const) expect(await insert(status)).toBe(1);
    expect(await insert('PAUSED', other.id)).toBe(1);
    await actOk(running.id, 'complete');
    expect(await insert('IN_PROGRESS')).toBe(1);
  });

  it('answers the same 409 when the index refuses a start that a writer past the line lock raced', async () => {
    const line = await newLine();
    const [order, rogue] = [await createOrder(), await createOrder()];
    for (const { id } of [order, rogue]) {
      await actOk(id, 'release');
      await actOk(id, 'dispatch', { lineId: line.id });
    }
    // A writer that ignores the line lock sets the other order running and has not committed yet: the start
    // passes the service's check (it cannot see that change), then waits at the index until the writer commits.
    // (An INSERT would not do: its foreign key locks the line row, which the start waits for before its check.)
    let commit = () => {};
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let updated = () => {};
    const isUpdated = new Promise<void>((resolve) => (updated = resolve));
    const writer = t.db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`UPDATE work_order SET status = 'IN_PROGRESS' WHERE id = ${rogue.id}::uuid`;
        updated();
        await gate;
      },
      { timeout: 20_000 },
    );
    await isUpdated;
    const start = act(order.id, 'start');
    let isStartWaiting = false;
    for (const deadline = Date.now() + 10_000; !isStartWaiting && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [waiting] = await t.db.prisma.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      isStartWaiting = Number(waiting?.count) > 0;
    }
    commit();
    await writer;
    const res = await start;
    expect(isStartWaiting).toBe(true);
    expect(res.status).toBe(409);
    expect(res.type).toBe('application/problem+json');
    // The repository's wording (the service's own check names the line and the order it found).
    expect(res.body).toMatchObject({ title: 'Line is busy' });
    expect(res.body.detail).toMatch(/^The line already runs another work order/);
    const after = await viewer.call('get', `/work-orders/${order.id}`);
    expect(after.body).toMatchObject({ status: 'RELEASED', version: order.version + 2 });
  });

  it('serialises concurrent transitions of one order: one wins, the other is refused', async () => {
    const order = await orderIn('IN_PROGRESS');
    const results = await Promise.all([act(order.id, 'pause'), act(order.id, 'pause')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.db.prisma.workOrderTransition.count({ where: { workOrderId: order.id, toStatus: 'PAUSED' } })).toBe(
      1,
    );
  });
});

describe('If-Match', () => {
  it('answers 412 to a stale version on every kind of write, and applies a current one', async () => {
    const order = await createOrder();
    const stale = { 'if-match': '"1"' };
    await actOk(order.id, 'release');
    const patch = await supervisor.call('patch', `/work-orders/${order.id}`, { targetQuantity: 10 }, stale);
    expect(patch.status).toBe(412);
    expect(patch.type).toBe('application/problem+json');
    expect(patch.body.detail).toContain('version 2, not 1');
    expect((await act(order.id, 'dispatch', { lineId: (await newLine()).id }, stale)).status).toBe(412);
    expect((await act(order.id, 'cancel', {}, stale)).status).toBe(412);
    expect((await supervisor.call('delete', `/work-orders/${order.id}`, undefined, stale)).status).toBe(412);
    const malformed = await supervisor.call(
      'patch',
      `/work-orders/${order.id}`,
      { targetQuantity: 10 },
      { 'if-match': '2' },
    );
    expect(malformed.status).toBe(400);

    const current = await supervisor.call(
      'patch',
      `/work-orders/${order.id}`,
      { targetQuantity: 10 },
      { 'if-match': '"2"' },
    );
    expect(current.status).toBe(200);
    expect(current.headers.etag).toBe('"3"');
    expect(current.body).toMatchObject({ targetQuantity: 10, version: 3 });

    const running = await orderIn('IN_PROGRESS');
    const adjust = await supervisor.call(
      'post',
      `/work-orders/${running.id}/adjustments`,
      { goodDelta: 1, reason: 'Recount' },
      { 'if-match': `"${running.version - 1}"` },
    );
    expect(adjust.status).toBe(412);
  });
});

describe('planning: create, edit, delete', () => {
  it('validates bodies and answers field errors', async () => {
    const missing = await supervisor.call('post', '/work-orders', {});
    expect(missing.status).toBe(400);
    expect((missing.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'body.number',
      'body.productId',
      'body.targetQuantity',
    ]);
    const bad = await supervisor.call('post', '/work-orders', {
      number: ' has space',
      productId,
      targetQuantity: 0,
      dueAt: 'tomorrow',
      lineId: randomUUID(),
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'body',
      'body.dueAt',
      'body.number',
      'body.targetQuantity',
    ]);
    const fraction = await supervisor.call('post', '/work-orders', { number: 'WO-X', productId, targetQuantity: 1.5 });
    expect(fraction.status).toBe(400);

    const order = await createOrder();
    expect((await supervisor.call('patch', `/work-orders/${order.id}`, {})).status).toBe(400);
    expect((await act(order.id, 'release', { note: '' })).status).toBe(400);
    expect((await act(order.id, 'release', { reason: 'unknown field' })).status).toBe(400);
    const noLine = await act(order.id, 'dispatch', {});
    expect(noLine.status).toBe(400);
    expect(noLine.body.errors).toEqual([expect.objectContaining({ path: 'body.lineId' })]);
    const withoutBody = await supervisor.call('post', `/work-orders/${order.id}/release`);
    expect(withoutBody.status).toBe(415);
  });

  it('checks the product and the uniqueness of the number', async () => {
    const unknown = await supervisor.call('post', '/work-orders', {
      number: nextNumber(),
      productId: randomUUID(),
      targetQuantity: 5,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.productId', message: 'No such product' }]);
    const archived = await t.db.prisma.product.create({
      data: { code: 'old-1', name: 'Old', archivedAt: new Date() },
    });
    const onArchived = await supervisor.call('post', '/work-orders', {
      number: nextNumber(),
      productId: archived.id,
      targetQuantity: 5,
    });
    expect(onArchived.status).toBe(409);

    const order = await createOrder({ number: 'WO-UNIQUE' });
    const duplicate = await supervisor.call('post', '/work-orders', {
      number: 'WO-UNIQUE',
      productId,
      targetQuantity: 5,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors).toEqual([{ path: 'body.number', message: 'Already in use' }]);
    const other = await createOrder();
    const renamed = await supervisor.call('patch', `/work-orders/${other.id}`, { number: 'WO-UNIQUE' });
    expect(renamed.status).toBe(409);
    const concurrent = await Promise.all(
      [1, 2].map(() => supervisor.call('post', '/work-orders', { number: 'WO-RACE', productId, targetQuantity: 5 })),
    );
    expect(concurrent.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(order.number).toBe('WO-UNIQUE');
  });

  it('edits the plan while DRAFT or RELEASED only, and audits before/after', async () => {
    const order = await createOrder();
    const edited = await supervisor.call('patch', `/work-orders/${order.id}`, {
      productId: otherProductId,
      targetQuantity: 720,
      dueAt: null,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ productId: otherProductId, targetQuantity: 720, dueAt: null, version: 2 });
    await actOk(order.id, 'release');
    expect((await supervisor.call('patch', `/work-orders/${order.id}`, { targetQuantity: 800 })).status).toBe(200);

    const running = await orderIn('IN_PROGRESS');
    const refused = await supervisor.call('patch', `/work-orders/${running.id}`, { targetQuantity: 800 });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('is IN_PROGRESS: its plan can change only while it is DRAFT or RELEASED');

    const entries = await auditOf(order.id);
    expect(entries[1]).toMatchObject({
      action: 'work-order.updated',
      before: { productId, targetQuantity: 360, version: 1 },
      after: { productId: otherProductId, targetQuantity: 720, dueAt: null, version: 2 },
    });
  });

  it('deletes a DRAFT only (409 later: cancel instead), audited', async () => {
    const draft = await createOrder();
    const deleted = await supervisor.call('delete', `/work-orders/${draft.id}`, undefined, { 'if-match': '"1"' });
    expect(deleted.status).toBe(204);
    expect((await viewer.call('get', `/work-orders/${draft.id}`)).status).toBe(404);
    const entries = await auditOf(draft.id);
    expect(entries.at(-1)).toMatchObject({ action: 'work-order.deleted', after: null, before: { status: 'DRAFT' } });

    const released = await orderIn('RELEASED');
    const refused = await supervisor.call('delete', `/work-orders/${released.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('cancel it instead');
  });
});

describe('counts and progress', () => {
  const HOUR_MS = 3_600_000;
  const MINUTE_MS = 60_000;

  it('counts the line’s output inside the IN_PROGRESS windows: good from the last machine, scrap from all', async () => {
    const line = await newLine();
    const order = await createOrder({ targetQuantity: 360 });
    await actOk(order.id, 'release');
    await actOk(order.id, 'dispatch', { lineId: line.id });
    await actOk(order.id, 'start');
    await actOk(order.id, 'pause');
    await actOk(order.id, 'resume');
    // Windows: [now − 3 h, now − 2 h) and [now − 1 h, now): two hours of run time.
    const t0 = Date.now() - 3 * HOUR_MS;
    await moveTransition(order.id, 'IN_PROGRESS', new Date(t0), 0);
    await moveTransition(order.id, 'PAUSED', new Date(t0 + HOUR_MS));
    await moveTransition(order.id, 'IN_PROGRESS', new Date(t0 + 2 * HOUR_MS), 1);
    const at = (offsetMs: number) => new Date(t0 + offsetMs);
    await addCounts([
      { machineId: line.m2, at: at(-10 * MINUTE_MS), good: 999 }, // before the start
      { machineId: line.m1, at: at(10 * MINUTE_MS), good: 120, reject: 3 },
      { machineId: line.m2, at: at(10 * MINUTE_MS), good: 100, reject: 1 },
      { machineId: line.m2, at: at(HOUR_MS + 10 * MINUTE_MS), good: 50, reject: 7 }, // while paused
      { machineId: line.m2, at: at(2 * HOUR_MS + 5 * MINUTE_MS), good: 80 },
      { machineId: line.m1, at: at(2 * HOUR_MS + 5 * MINUTE_MS), good: 75, reject: 2 },
    ]);
    const other = await createOrder();
    await addCounts([{ machineId: line.m2, at: at(2 * HOUR_MS + 6 * MINUTE_MS), good: 40, workOrderId: other.id }]);

    const res = await viewer.call('get', `/work-orders/${order.id}`);
    expect(res.status).toBe(200);
    const production = (res.body as TWorkOrder).production;
    expect(production).toMatchObject({
      goodCount: 180,
      scrapCount: 6,
      countedGoodCount: 180,
      countedScrapCount: 6,
      countSource: 'line-output',
      outputMachineId: line.m2,
      progress: 0.5,
    });
    expect(production.runTimeSec).toBeGreaterThan(2 * 3600 - 5);
    expect(production.runTimeSec).toBeLessThan(2 * 3600 + 60);
    expect(production.runRatePartsPerHour).toBeCloseTo(90, 0);
    expect(production.remainingRunTimeSec).toBeCloseTo(2 * 3600, -2);
    expect(Date.parse(production.projectedFinishAt!) - Date.now()).toBeGreaterThan(2 * HOUR_MS - 5 * MINUTE_MS);
    expect(Date.parse(production.projectedFinishAt!) - Date.now()).toBeLessThan(2 * HOUR_MS + 5 * MINUTE_MS);

    // The list answers the same figures; the paused order has no projected finish.
    await actOk(order.id, 'pause');
    const list = await viewer.call('get', `/work-orders?lineId=${line.id}`);
    const listed = (list.body.items as TWorkOrder[]).find((o) => o.id === order.id);
    expect(listed?.production).toMatchObject({ goodCount: 180, scrapCount: 6, projectedFinishAt: null });
    expect(listed?.production.remainingRunTimeSec).not.toBeNull();
  });

  it('prefers rows tagged with the order: good from the most downstream tagged machine, scrap from all', async () => {
    const line = await newLine();
    const order = await orderIn('IN_PROGRESS');
    const long = Date.now() - 48 * HOUR_MS; // outside any window: tags count wherever they are
    await addCounts([
      { machineId: line.m1, at: new Date(long), good: 30, reject: 4, workOrderId: order.id },
      { machineId: line.m2, at: new Date(long), good: 25, reject: 1, workOrderId: order.id },
      { machineId: line.m2, at: new Date(long + MINUTE_MS), good: 5, workOrderId: order.id },
    ]);
    const res = await viewer.call('get', `/work-orders/${order.id}`);
    expect(res.body.production).toMatchObject({
      goodCount: 30,
      scrapCount: 5,
      countSource: 'work-order-tag',
      outputMachineId: line.m2,
    });
  });

  it('adjusts the counts by hand with a reason: audited, versioned, never below zero', async () => {
    const draft = await createOrder();
    const early = await supervisor.call('post', `/work-orders/${draft.id}/adjustments`, { goodDelta: 1, reason: 'x' });
    expect(early.status).toBe(409);

    const line = await newLine();
    const order = await createOrder({ targetQuantity: 100 });
    await actOk(order.id, 'release');
    await actOk(order.id, 'dispatch', { lineId: line.id });
    const started = await actOk(order.id, 'start');
    await addCounts([{ machineId: line.m2, at: new Date(Date.parse(started.startedAt!) + 1), good: 40, reject: 2 }]);

    const invalid = await supervisor.call('post', `/work-orders/${order.id}/adjustments`, {
      goodDelta: 0,
      reason: 'x',
    });
    expect(invalid.status).toBe(400);
    const noReason = await supervisor.call('post', `/work-orders/${order.id}/adjustments`, { goodDelta: 2 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    const negative = await supervisor.call('post', `/work-orders/${order.id}/adjustments`, {
      goodDelta: -41,
      reason: 'Too much',
    });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([
      { path: 'body.goodDelta', message: 'Would make the good count negative (-1)' },
    ]);

    const adjusted = await supervisor.call(
      'post',
      `/work-orders/${order.id}/adjustments`,
      { goodDelta: -5, scrapDelta: 5, reason: 'Final inspection: 5 cracked housings' },
      { 'if-match': `"${started.version}"`, 'x-request-id': 'req-wo-adjust' },
    );
    expect(adjusted.status).toBe(200);
    expect(adjusted.headers.etag).toBe(`"${started.version + 1}"`);
    expect(adjusted.body.production).toMatchObject({
      goodCount: 35,
      scrapCount: 7,
      countedGoodCount: 40,
      countedScrapCount: 2,
      adjustmentGoodCount: -5,
      adjustmentScrapCount: 5,
      progress: 0.35,
    });
    await actOk(order.id, 'complete');
    const afterCompletion = await supervisor.call('post', `/work-orders/${order.id}/adjustments`, {
      goodDelta: 3,
      reason: 'Found a box',
    });
    expect(afterCompletion.status).toBe(200);
    expect(afterCompletion.body.production).toMatchObject({ goodCount: 38, adjustmentGoodCount: -2 });
    // The row keeps a snapshot of the totals as of its last write.
    expect(await t.db.prisma.workOrder.findUnique({ where: { id: order.id } })).toMatchObject({
      goodCount: 38,
      scrapCount: 7,
    });

    const entries = (await auditOf(order.id)).filter((e) => e.action === 'work-order.adjusted');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      requestId: 'req-wo-adjust',
      before: { goodCount: 40, scrapCount: 2, adjustmentGoodCount: 0, adjustmentScrapCount: 0 },
      after: {
        goodCount: 35,
        scrapCount: 7,
        goodDelta: -5,
        scrapDelta: 5,
        reason: 'Final inspection: 5 cracked housings',
      },
    });

    // The ledger is work_order_adjustment: one row per accepted adjustment (none for the refused ones), listed
    // for viewers, each referenced by its audit entry.
    const ledger = await viewer.call('get', `/work-orders/${order.id}/adjustments`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items).toEqual([
      expect.objectContaining({
        goodDelta: -5,
        scrapDelta: 5,
        reason: 'Final inspection: 5 cracked housings',
        actorLabel: 'sam',
      }),
      expect.objectContaining({ goodDelta: 3, scrapDelta: 0, reason: 'Found a box', actorLabel: 'sam' }),
    ]);
    expect(entries.map((e) => e.after?.adjustmentId)).toEqual(ledger.body.items.map((i: { id: string }) => i.id));
    expect((await viewer.call('get', `/work-orders/${randomUUID()}/adjustments`)).status).toBe(404);
    // The audit log records changes and is never read back as data: an entry alone changes no figure.
    await t.db.prisma.auditLog.create({
      data: {
        actorLabel: 'system',
        action: 'work-order.adjusted',
        entityType: 'work-order',
        entityId: order.id,
        after: { goodDelta: 1000, scrapDelta: 1000, reason: 'forged' },
      },
    });
    expect((await viewer.call('get', `/work-orders/${order.id}`)).body.production).toMatchObject({
      goodCount: 38,
      scrapCount: 7,
      adjustmentGoodCount: -2,
      adjustmentScrapCount: 5,
    });
    // An adjustment that changes nothing is refused by the table too.
    await expect(
      t.db.prisma.workOrderAdjustment.create({
        data: { workOrderId: order.id, goodDelta: 0, scrapDelta: 0, reason: 'nothing' },
      }),
    ).rejects.toThrow(/work_order_adjustment_non_zero/);

    const cancelled = await orderIn('CANCELLED');
    const late = await supervisor.call('post', `/work-orders/${cancelled.id}/adjustments`, {
      goodDelta: 1,
      reason: 'x',
    });
    expect(late.status).toBe(409);
  });
});

describe('list', () => {
  it('filters by status (comma-separated), line and product, and pages newest first', async () => {
    const line = await newLine();
    const listed = await t.db.prisma.product.create({ data: { code: 'lst-1', name: 'Listed' } });
    const a = await createOrder({ productId: listed.id });
    const b = await createOrder({ productId: listed.id });
    const c = await createOrder({ productId: listed.id });
    await actOk(b.id, 'release');
    await actOk(c.id, 'release');
    await actOk(c.id, 'dispatch', { lineId: line.id });

    const byProduct = await viewer.call('get', `/work-orders?productId=${listed.id}`);
    expect((byProduct.body.items as TWorkOrder[]).map((o) => o.id)).toEqual([c.id, b.id, a.id]);

    const released = await viewer.call('get', `/work-orders?productId=${listed.id}&status=RELEASED,PAUSED`);
    expect((released.body.items as TWorkOrder[]).map((o) => o.id).sort()).toEqual([b.id, c.id].sort());
    const onLine = await viewer.call('get', `/work-orders?lineId=${line.id}`);
    expect((onLine.body.items as TWorkOrder[]).map((o) => o.id)).toEqual([c.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await viewer.call('get', `/work-orders?limit=2${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.items as TWorkOrder[]).map((o) => o.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(seen.length).toBe(await t.db.prisma.workOrder.count());
    expect(new Set(seen).size).toBe(seen.length);

    expect((await viewer.call('get', '/work-orders?status=RUNNING')).status).toBe(400);
    expect((await viewer.call('get', '/work-orders?cursor=nonsense')).status).toBe(400);
    // Cursors shaped like ours but holding what PostgreSQL cannot cast are refused too, not a 500.
    for (const forged of [
      ['2026-01-01T00:00:00.000Z', '-'.repeat(36)],
      ['-100000-01-01T00:00:00.000Z', crypto.randomUUID()],
    ]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      expect((await viewer.call('get', `/work-orders?cursor=${cursor}`)).status).toBe(400);
    }
    expect((await viewer.call('get', '/work-orders?limit=0')).status).toBe(400);
  });
});

describe('live stream', () => {
  it('carries a work-order event for each change, scoped to the order’s line', async () => {
    const line = await newLine();
    const stream = await openSseStream(`${baseUrl}/api/v1/stream?lineId=${line.id}`, { cookie: viewer.cookie });
    expect(stream.status).toBe(200);
    const workOrderEvents = () =>
      stream.events
        .filter((e) => e.event === 'work-order')
        .map((e) => e.data as { scope: { lineId: string }; payload: Record<string, unknown> });

    const order = await orderIn('RELEASED');
    await actOk(order.id, 'dispatch', { lineId: line.id });
    await actOk(order.id, 'start');
    const statuses = () => workOrderEvents().map((data) => data.payload.status);
    await stream.waitFor(() => statuses().length >= 2).catch(() => undefined);
    stream.close();
    // The events before the dispatch had no line, so this line's stream sees dispatch and start.
    expect(statuses()).toEqual(['RELEASED', 'IN_PROGRESS']);
    expect(workOrderEvents().at(-1)).toMatchObject({
      scope: { lineId: line.id },
      payload: { workOrderId: order.id, number: order.number, lineId: line.id, version: order.version + 2 },
    });
  });
});
