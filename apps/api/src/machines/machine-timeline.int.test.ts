// GET /machines/:id/timeline against a real PostgreSQL database: clipping, the state-lasts-until-the-next rule,
// the open interval, reason and product, cursor paging, and the unhappy paths.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZMachineTimelineResponse, type TMachineTimelineItem } from '@takt/contracts';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let viewer: TestClient;
let machineId: string;
let reasonId: string;
const T0 = Date.UTC(2025, 4, 5, 6, 0, 0);
const min = (m: number) => new Date(T0 + m * 60_000);

beforeAll(async () => {
  t = await createTestApp('machine_timeline');
  const p = t.db.prisma;
  const plant = await buildPlant(p, {
    area: { code: 'a' },
    lines: [{ code: 'l', machines: [{ code: 'press', name: 'Press' }] }],
  });
  machineId = plant.machineIds.press!;
  const product = await p.product.create({ data: { code: 'BRK-1', name: 'Brake' } });
  reasonId = (await p.downtimeReason.create({ data: { code: 'JAM', name: 'Jam', kind: 'UNPLANNED' } })).id;
  await p.machineStateInterval.createMany({
    data: [
      { machineId, state: 'PRODUCING', startedAt: min(-30), endedAt: min(10), productId: product.id },
      // Overlaps the next one (bad data): it lasts only until the next starts.
      { machineId, state: 'DOWN', startedAt: min(10), endedAt: min(40), reasonId, sourceCode: 'packml:11' },
      { machineId, state: 'IDLE', startedAt: min(25), endedAt: min(30) },
      // A gap from 30 to 35.
      { machineId, state: 'PRODUCING', startedAt: min(35), endedAt: min(50), productId: product.id },
      { machineId, state: 'CHANGEOVER', startedAt: min(50) },
    ],
  });
  viewer = await signInAs(t, 'VIEWER');
});
afterAll(() => t.close());

const timeline = (id: string, params: Record<string, string>) =>
  viewer.call('get', `/machines/${id}/timeline?${new URLSearchParams(params)}`);

const span = (item: TMachineTimelineItem) => [item.state, item.from, item.to];

describe('GET /api/v1/machines/:id/timeline', () => {
  it('lists the states clipped to the range, each lasting until the next starts, with reason and product', async () => {
    const res = await timeline(machineId, { from: min(0).toISOString(), to: min(60).toISOString() });
    expect(res.status).toBe(200);
    const body = ZMachineTimelineResponse.parse(res.body);
    expect(body.machine).toMatchObject({ code: 'press', path: 'p1/a/l/press' });
    expect(body.items.map(span)).toEqual([
      ['PRODUCING', min(0).toISOString(), min(10).toISOString()],
      ['DOWN', min(10).toISOString(), min(25).toISOString()],
      ['IDLE', min(25).toISOString(), min(30).toISOString()],
      ['PRODUCING', min(35).toISOString(), min(50).toISOString()],
      ['CHANGEOVER', min(50).toISOString(), min(60).toISOString()],
    ]);
    expect(body.items[0]?.product).toMatchObject({ code: 'BRK-1', name: 'Brake' });
    expect(body.items[1]).toMatchObject({
      reason: { id: reasonId, code: 'JAM', kind: 'UNPLANNED' },
      sourceCode: 'packml:11',
    });
    expect(body.items.map((i) => i.isOpen)).toEqual([false, false, false, false, true]);
    expect(body.nextCursor).toBeNull();
  });

  it('pages with a cursor: the pages together are the whole timeline', async () => {
    const range = { from: min(0).toISOString(), to: min(60).toISOString() };
    const whole = ZMachineTimelineResponse.parse((await timeline(machineId, range)).body).items;
    const paged: TMachineTimelineItem[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const params: Record<string, string> = { ...range, limit: '2', ...(cursor === null ? {} : { cursor }) };
      const body = ZMachineTimelineResponse.parse((await timeline(machineId, params)).body);
      paged.push(...body.items);
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(paged).toEqual(whole);
  });

  it('answers 404 for an unknown machine, 400 for a bad range, id or cursor, 401 without a session', async () => {
    const range = { from: min(0).toISOString(), to: min(60).toISOString() };
    const unknown = await timeline('6f1c1f1e-3a0b-4c61-9d7e-0b8f2a9c4d11', range);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    const reversed = await timeline(machineId, { from: range.to, to: range.from });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors[0].path).toBe('query.to');
    const tooLong = await timeline(machineId, { from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' });
    expect(tooLong.status).toBe(400);
    expect((await timeline('press', range)).status).toBe(400);
    expect((await timeline(machineId, { ...range, cursor: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const anonymous = await request(t.app).get(`/api/v1/machines/${machineId}/timeline?${new URLSearchParams(range)}`);
    expect(anonymous.status).toBe(401);
  });
});
