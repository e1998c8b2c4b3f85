// GET /machines/status against a small plant in a real PostgreSQL database.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZMachineStatusResponse } from '@takt/contracts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';

let t: TestApp;
let cookie: string;
const ids = { site: '', area: '', line1: '', line2: '', press: '', welder: '', idle: '' };

beforeAll(async () => {
  t = await createTestApp('machine_status');
  const { prisma } = t.db;
  const enterprise = await prisma.enterprise.create({ data: { code: 'acme', name: 'Acme' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'p1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'asm', name: 'Assembly' } });
  const line1 = await prisma.line.create({ data: { areaId: area.id, code: 'l1', name: 'Line 1' } });
  const line2 = await prisma.line.create({ data: { areaId: area.id, code: 'l2', name: 'Line 2' } });
  const press = await prisma.machine.create({
    data: { lineId: line1.id, code: 'press', path: 'p1/asm/l1/press', name: 'Press', sequence: 1 },
  });
  const welder = await prisma.machine.create({
    data: { lineId: line1.id, code: 'welder', path: 'p1/asm/l1/welder', name: 'Welder', sequence: 2 },
  });
  const idle = await prisma.machine.create({
    data: { lineId: line2.id, code: 'new', path: 'p1/asm/l2/new', name: 'New machine' },
  });
  await prisma.machine.create({
    data: { lineId: line2.id, code: 'old', path: 'p1/asm/l2/old', name: 'Archived', archivedAt: new Date() },
  });
  const reason = await prisma.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  const product = await prisma.product.create({ data: { code: 'BRK-1', name: 'Brake' } });
  const now = Date.now();
  await prisma.machineStateInterval.createMany({
    data: [
      {
        machineId: press.id,
        state: 'PRODUCING',
        startedAt: new Date(now - 7_200_000),
        endedAt: new Date(now - 600_000),
      },
      {
        machineId: press.id,
        state: 'DOWN',
        startedAt: new Date(now - 600_000),
        reasonId: reason.id,
        productId: product.id,
      },
      { machineId: welder.id, state: 'PRODUCING', startedAt: new Date(now - 60_000) },
    ],
  });
  await prisma.productionCount.createMany({
    data: [
      { machineId: press.id, bucketStart: new Date(now - 1_800_000), goodCount: 40, rejectCount: 2 },
      { machineId: press.id, bucketStart: new Date(now - 900_000), goodCount: 10, rejectCount: 0 },
      // Older than an hour: not counted.
      { machineId: press.id, bucketStart: new Date(now - 5_400_000), goodCount: 999, rejectCount: 9 },
    ],
  });
  Object.assign(ids, {
    site: site.id,
    area: area.id,
    line1: line1.id,
    line2: line2.id,
    press: press.id,
    welder: welder.id,
    idle: idle.id,
  });
  await createUser(t.db, { username: 'viewer', password: 'viewer-password', role: 'VIEWER' });
  const login = await request(t.app)
    .post('/api/v1/auth/login')
    .send({ username: 'viewer', password: 'viewer-password' });
  cookie = ((login.headers['set-cookie'] as unknown as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');
});
afterAll(() => t.close());

describe('GET /api/v1/machines/status', () => {
  it('lists every active machine with its open state, reason, product and last-hour counts', async () => {
    const res = await request(t.app).get('/api/v1/machines/status').set('cookie', cookie);
    expect(res.status).toBe(200);
    const body = ZMachineStatusResponse.parse(res.body);
    expect(body.machines.map((m) => m.path)).toEqual(['p1/asm/l1/press', 'p1/asm/l1/welder', 'p1/asm/l2/new']);
    const [press, welder, never] = body.machines;
    expect(press).toMatchObject({
      state: 'DOWN',
      reason: { code: 'MECH', name: 'Mechanical' },
      productCode: 'BRK-1',
      goodCountLastHour: 50,
      rejectCountLastHour: 2,
      line: { code: 'l1', name: 'Line 1' },
    });
    expect(welder).toMatchObject({ state: 'PRODUCING', reason: null, goodCountLastHour: 0 });
    expect(never).toMatchObject({ state: null, since: null });
  });

  it('filters by line', async () => {
    const res = await request(t.app).get(`/api/v1/machines/status?lineId=${ids.line2}`).set('cookie', cookie);
    expect(res.body.machines.map((m: { path: string }) => m.path)).toEqual(['p1/asm/l2/new']);
  });

  it('serves one shared snapshot with a content ETag: a client holding it gets 304 Not Modified', async () => {
    const first = await request(t.app).get('/api/v1/machines/status').set('cookie', cookie);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.type).toBe('application/json');
    const again = await request(t.app).get('/api/v1/machines/status').set('cookie', cookie).set('if-none-match', etag);
    // Within the snapshot's second the body is the same; a newer snapshot has a new asOf and so a new ETag.
    if (again.headers.etag === etag) expect(again.status).toBe(304);
    else expect(again.status).toBe(200);
    const other = await request(t.app).get('/api/v1/machines/status').set('cookie', cookie).set('if-none-match', '"x"');
    expect(other.status).toBe(200);
    expect(other.body.machines.length).toBe(first.body.machines.length);
  });

  it('answers 400 for a malformed filter and 401 without a session', async () => {
    const bad = await request(t.app).get('/api/v1/machines/status?siteId=plant1').set('cookie', cookie);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.siteId');
    expect((await request(t.app).get('/api/v1/machines/status')).status).toBe(401);
  });
});
