// GET /machines/status against a small plant in a real PostgreSQL database.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZMachineStatusResponse } from '@takt/contracts';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let viewer: TestClient;
let line2Id: string;

beforeAll(async () => {
  t = await createTestApp('machine_status');
  const { prisma } = t.db;
  const plant = await buildPlant(prisma, {
    site: { timeZone: 'Europe/Berlin' },
    lines: [
      {
        code: 'l1',
        name: 'Line 1',
        machines: [
          { code: 'press', name: 'Press', sequence: 1 },
          { code: 'welder', name: 'Welder', sequence: 2 },
        ],
      },
      {
        code: 'l2',
        name: 'Line 2',
        machines: [
          { code: 'new', name: 'New machine' },
          { code: 'old', name: 'Archived', archivedAt: new Date() },
        ],
      },
    ],
  });
  const press = plant.machineIds.press!;
  const welder = plant.machineIds.welder!;
  const reason = await prisma.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  const product = await prisma.product.create({ data: { code: 'BRK-1', name: 'Brake' } });
  const now = Date.now();
  await prisma.machineStateInterval.createMany({
    data: [
      {
        machineId: press,
        state: 'PRODUCING',
        startedAt: new Date(now - 7_200_000),
        endedAt: new Date(now - 600_000),
      },
      {
        machineId: press,
        state: 'DOWN',
        startedAt: new Date(now - 600_000),
        reasonId: reason.id,
        productId: product.id,
      },
      { machineId: welder, state: 'PRODUCING', startedAt: new Date(now - 60_000) },
    ],
  });
  await prisma.productionCount.createMany({
    data: [
      { machineId: press, bucketStart: new Date(now - 1_800_000), goodCount: 40, rejectCount: 2 },
      { machineId: press, bucketStart: new Date(now - 900_000), goodCount: 10, rejectCount: 0 },
      // Older than an hour: not counted.
      { machineId: press, bucketStart: new Date(now - 5_400_000), goodCount: 999, rejectCount: 9 },
    ],
  });
  line2Id = plant.lineIds.l2!;
  viewer = await signInAs(t, 'VIEWER');
});
afterAll(() => t.close());

describe('GET /api/v1/machines/status', () => {
  it('lists every active machine with its open state, reason, product and last-hour counts', async () => {
    const res = await viewer.call('get', '/machines/status');
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
    const res = await viewer.call('get', `/machines/status?lineId=${line2Id}`);
    expect(res.body.machines.map((m: { path: string }) => m.path)).toEqual(['p1/asm/l2/new']);
  });

  it('serves one shared snapshot with a content ETag: a client holding it gets 304 Not Modified', async () => {
    const first = await viewer.call('get', '/machines/status');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.type).toBe('application/json');
    const again = await viewer.call('get', '/machines/status').set('if-none-match', etag);
    // Within the snapshot's second the body is the same; a newer snapshot has a new asOf and so a new ETag.
    if (again.headers.etag === etag) expect(again.status).toBe(304);
    else expect(again.status).toBe(200);
    const other = await viewer.call('get', '/machines/status').set('if-none-match', '"x"');
    expect(other.status).toBe(200);
    expect(other.body.machines.length).toBe(first.body.machines.length);
  });

  it('answers 400 for a malformed filter and 401 without a session', async () => {
    const bad = await viewer.call('get', '/machines/status?siteId=plant1');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.siteId');
    expect((await request(t.app).get('/api/v1/machines/status')).status).toBe(401);
  });
});
