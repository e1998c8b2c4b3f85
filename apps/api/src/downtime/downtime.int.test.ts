// Downtime classification against a real PostgreSQL: listing stops, classifying one and several, changing a reason,
// splitting a stop; the KPIs (Pareto, unclassified share) answer with the new reasons at once although the hours are
// rolled up; audit entries and live events; every rule's unhappy path; and a split that survives the ingest
// pipeline recomputing the machine's intervals after a late event.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ZDowntimeIntervalItems,
  ZDowntimeIntervalList,
  ZKpiOeeResponse,
  ZKpiParetoResponse,
  type TDowntimeInterval,
} from '@takt/contracts';
import { catchUpRollups } from '@takt/kpi-sql';
import { newIngestToken } from '../ingest/ingest-token.middleware.ts';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
// Two days ago, 00:00 UTC: complete hours, rolled up before the tests classify anything.
const DAY_MS = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000;
const at = (hour: number, minute = 0) => DAY_MS + hour * HOUR_MS + minute * MIN_MS;
const iso = (ms: number) => new Date(ms).toISOString();
const ids = { site: '', line: '', m1: '', m2: '', m3: '', jam: '', motor: '', old: '', mech: '', meeting: '' };
const stop = { down: '', idle: '', planned: '', producing: '', m2Down: '' };
let supervisor: TestClient;
let viewer: TestClient;
let ingestToken: string;

const post = (path: string, body: object, as = supervisor) => as.call('post', path, body);
const get = (path: string, query: Record<string, string | number | boolean>) => viewer.call('get', path).query(query);

const dayRange = { from: iso(at(0)), to: iso(at(24)) };

async function listLine(query: Record<string, string | number | boolean> = {}): Promise<TDowntimeInterval[]> {
  const res = await get('/downtime-intervals', { scope: 'line', id: ids.line, ...dayRange, ...query });
  expect(res.status).toBe(200);
  return ZDowntimeIntervalList.parse(res.body).items;
}

async function pareto(id: string, scope: 'line' | 'machine' = 'machine') {
  const res = await get('/kpi/downtime-pareto', { scope, id, ...dayRange });
  expect(res.status).toBe(200);
  const body = ZKpiParetoResponse.parse(res.body);
  // Reason bars by code, and the unclassified bar (the machines' data gaps are STATE bars, left out here).
  const bars = body.bars.filter((bar) => bar.kind !== 'STATE');
  return Object.fromEntries(bars.map((bar) => [bar.reason?.code ?? bar.kind, bar.durationSec]));
}

async function intervalIdAt(machineId: string, startedAtMs: number): Promise<string> {
  const row = await t.db.prisma.machineStateInterval.findUniqueOrThrow({
    where: { machineId_startedAt: { machineId, startedAt: new Date(startedAtMs) } },
  });
  return row.id.toString();
}

beforeAll(async () => {
  t = await createTestApp('downtime');
  const p = t.db.prisma;
  const plant = await buildPlant(p, {
    shiftPatterns: [
      { code: '24x7', shifts: [{ code: 'day', startMinute: 0, durationMin: 1440, weekdays: [1, 2, 3, 4, 5, 6, 7] }] },
    ],
    lines: [
      {
        code: 'l1',
        shiftPattern: '24x7',
        machines: [
          { code: 'press', name: 'PRESS', sequence: 1 },
          { code: 'welder', name: 'WELDER', sequence: 2 },
          { code: 'robot', name: 'ROBOT', sequence: 3 },
        ],
      },
    ],
  });
  const [m1, m2, m3] = [plant.machineIds.press!, plant.machineIds.welder!, plant.machineIds.robot!];
  const mech = await p.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  const reason = (code: string, parentId: string, kind: 'PLANNED' | 'UNPLANNED', archivedAt: Date | null = null) =>
    p.downtimeReason.create({ data: { code, name: code.toLowerCase(), kind, parentId, archivedAt } });
  const jam = await reason('JAM', mech.id, 'UNPLANNED');
  const motor = await reason('MOTOR', mech.id, 'UNPLANNED');
  const old = await reason('OLD', mech.id, 'UNPLANNED', new Date());
  const plan = await p.downtimeReason.create({ data: { code: 'PLAN', name: 'Planned', kind: 'PLANNED' } });
  const meeting = await reason('MEETING', plan.id, 'PLANNED');
  Object.assign(ids, {
    site: plant.siteId,
    line: plant.lineIds.l1,
    m1,
    m2,
    m3,
    jam: jam.id,
    motor: motor.id,
    old: old.id,
    mech: mech.id,
    meeting: meeting.id,
  });

  const interval = (machineId: string, state: string, fromMs: number, toMs: number | null) => ({
    machineId,
    state: state as 'PRODUCING',
    startedAt: new Date(fromMs),
    endedAt: toMs === null ? null : new Date(toMs),
  });
  await p.machineStateInterval.createMany({
    data: [
      interval(m1, 'PRODUCING', at(6), at(7)),
      interval(m1, 'DOWN', at(7), at(7, 40)),
      interval(m1, 'PRODUCING', at(7, 40), at(9)),
      interval(m1, 'IDLE', at(9), at(9, 10)),
      interval(m1, 'PLANNED_STOP', at(9, 10), at(9, 30)),
      interval(m1, 'PRODUCING', at(9, 30), at(12)),
      interval(m1, 'NO_ORDER', at(12), null),
      interval(m2, 'PRODUCING', at(6), at(8)),
      interval(m2, 'DOWN', at(8), at(8, 30)),
      interval(m2, 'PRODUCING', at(8, 30), at(12)),
      interval(m2, 'NO_ORDER', at(12), null),
    ],
  });
  Object.assign(stop, {
    down: await intervalIdAt(m1, at(7)),
    idle: await intervalIdAt(m1, at(9)),
    planned: await intervalIdAt(m1, at(9, 10)),
    producing: await intervalIdAt(m1, at(6)),
    m2Down: await intervalIdAt(m2, at(8)),
  });
  // Every hour up to the present is rolled up: a figure that ignored the classification would be stale.
  await catchUpRollups({ prisma: p });

  supervisor = await signInAs(t, 'SUPERVISOR', 'sup');
  viewer = await signInAs(t, 'VIEWER', 'view');
  const token = newIngestToken();
  await p.ingestToken.create({ data: { name: 'gw', tokenHash: token.tokenHash, prefix: token.prefix } });
  ingestToken = token.token;
});
afterAll(() => t.close());

describe('GET /api/v1/downtime-intervals', () => {
  it('lists the stops of a scope newest first, with machine, reason and duration', async () => {
    const items = await listLine();
    expect(items.map((i) => [i.machine.code, i.state, i.startedAt, i.durationSec])).toEqual([
      ['press', 'PLANNED_STOP', iso(at(9, 10)), 1200],
      ['press', 'IDLE', iso(at(9)), 600],
      ['welder', 'DOWN', iso(at(8)), 1800],
      ['press', 'DOWN', iso(at(7)), 2400],
    ]);
    expect(items.every((i) => !i.isClassified && i.reason === null && i.classifiedBy === null)).toBe(true);
  });

  it('filters by state, classification and minimum duration, and pages with a cursor', async () => {
    expect((await listLine({ state: 'DOWN,IDLE', minDurationSec: 1000 })).map((i) => i.id)).toEqual([
      stop.m2Down,
      stop.down,
    ]);
    const first = await get('/downtime-intervals', { scope: 'line', id: ids.line, ...dayRange, limit: 3 });
    const page1 = ZDowntimeIntervalList.parse(first.body);
    expect(page1.items).toHaveLength(3);
    const second = await get('/downtime-intervals', {
      scope: 'line',
      id: ids.line,
      ...dayRange,
      limit: 3,
      cursor: page1.nextCursor ?? '',
    });
    const page2 = ZDowntimeIntervalList.parse(second.body);
    expect(page2.items.map((i) => i.id)).toEqual([stop.down]);
    expect(page2.nextCursor).toBeNull();
    expect(await listLine({ scope: 'machine', id: ids.m2 })).toHaveLength(1);
  });

  it('answers 404 for an unknown scope and 400 for a bad state, cursor or range', async () => {
    const unknown = await get('/downtime-intervals', { scope: 'line', id: ids.site, ...dayRange });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    const badState = await get('/downtime-intervals', { scope: 'line', id: ids.line, ...dayRange, state: 'PRODUCING' });
    expect(badState.status).toBe(400);
    expect(badState.body.errors[0].path).toBe('query.state');
    const badCursor = await get('/downtime-intervals', { scope: 'line', id: ids.line, ...dayRange, cursor: 'x' });
    expect(badCursor.status).toBe(400);
    const overflow = await get('/downtime-intervals', {
      scope: 'line',
      id: ids.line,
      ...dayRange,
      cursor: '1700000000000_9999999999999999999',
    });
    expect(overflow.status).toBe(400);
    const tooLong = await get('/downtime-intervals', {
      scope: 'line',
      id: ids.line,
      from: iso(at(0)),
      to: iso(at(24 * 40)),
    });
    expect(tooLong.status).toBe(400);
  });
});

describe('POST /api/v1/downtime-intervals/classify', () => {
  it('classifies several stops at once; the Pareto and the unclassified share change at once', async () => {
    expect(await pareto(ids.m1)).toMatchObject({ UNCLASSIFIED: 3000 });
    const res = await post('/downtime-intervals/classify', { intervalIds: [stop.down, stop.idle], reasonId: ids.jam });
    expect(res.status).toBe(200);
    const { items } = ZDowntimeIntervalItems.parse(res.body);
    expect(
      items.map((i) => [i.id, i.reason?.code, i.reason?.category?.code, i.isClassified, i.classifiedBy?.username]),
    ).toEqual([
      [stop.down, 'JAM', 'MECH', true, 'sup'],
      [stop.idle, 'JAM', 'MECH', true, 'sup'],
    ]);
    expect((await listLine({ hasReason: false })).map((i) => i.id)).toEqual([stop.planned, stop.m2Down]);
    expect((await listLine({ hasReason: true })).map((i) => i.id)).toEqual([stop.idle, stop.down]);
    const bars = await pareto(ids.m1);
    expect(bars.JAM).toBe(3000);
    expect(bars.UNCLASSIFIED).toBeUndefined();
    const oee = await get('/kpi/oee', { scope: 'machine', id: ids.m1, ...dayRange, bucket: 'day' });
    expect(ZKpiOeeResponse.parse(oee.body).totals.kpis.unclassifiedDownTimeShare).toBe(0);
    const explain = await get('/kpi/oee/explain', { scope: 'machine', id: ids.m1, ...dayRange });
    expect(explain.body.isConsistent).toBe(true);
  });

  it('changes a reason, auditing before and after, and appends live events', async () => {
    const res = await post('/downtime-intervals/classify', { intervalIds: [stop.down], reasonId: ids.motor });
    expect(res.status).toBe(200);
    expect(await pareto(ids.m1)).toMatchObject({ MOTOR: 2400, JAM: 600 });
    const audits = await t.db.prisma.auditLog.findMany({
      where: { entityType: 'downtime-interval', entityId: stop.down },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => [a.action, a.actorLabel])).toEqual([
      ['downtime-interval.classified', 'sup'],
      ['downtime-interval.classified', 'sup'],
    ]);
    expect(audits[1]?.before).toMatchObject({ reasonId: ids.jam });
    expect(audits[1]?.after).toMatchObject({ reasonId: ids.motor });
    const events = await t.db.prisma.liveEvent.findMany({ where: { type: 'downtime-classified', machineId: ids.m1 } });
    expect(events.length).toBe(3);
    expect(events.at(-1)?.payload).toMatchObject({ intervalId: stop.down, reasonId: ids.motor, state: 'DOWN' });
  });

  it('takes PLANNED reasons for planned stops only', async () => {
    const planned = await post('/downtime-intervals/classify', { intervalIds: [stop.planned], reasonId: ids.meeting });
    expect(planned.status).toBe(200);
    const wrongKind = await post('/downtime-intervals/classify', {
      intervalIds: [stop.m2Down, stop.planned],
      reasonId: ids.meeting,
    });
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.errors).toEqual([
      { path: 'body.intervalIds.0', message: expect.stringContaining('takes a UNPLANNED reason') },
    ]);
  });

  it('changes nothing when one stop of the batch is wrong', async () => {
    const before = await t.db.prisma.machineStateInterval.findUniqueOrThrow({ where: { id: BigInt(stop.m2Down) } });
    const cases: [object, number, string][] = [
      [{ intervalIds: [stop.m2Down, '999999'], reasonId: ids.jam }, 404, 'body.intervalIds.1'],
      [{ intervalIds: [stop.m2Down, stop.producing], reasonId: ids.jam }, 409, 'body.intervalIds.1'],
      [{ intervalIds: [stop.m2Down], reasonId: ids.mech }, 400, 'body.reasonId'],
      [{ intervalIds: [stop.m2Down], reasonId: ids.old }, 400, 'body.reasonId'],
      [{ intervalIds: [stop.m2Down], reasonId: ids.line }, 400, 'body.reasonId'],
      [{ intervalIds: [stop.m2Down, stop.m2Down], reasonId: ids.jam }, 400, 'body.intervalIds'],
      [{ intervalIds: [], reasonId: ids.jam }, 400, 'body.intervalIds'],
      [{ intervalIds: ['0x1'], reasonId: ids.jam }, 400, 'body.intervalIds.0'],
    ];
    for (const [body, status, path] of cases) {
      const res = await post('/downtime-intervals/classify', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = await t.db.prisma.machineStateInterval.findUniqueOrThrow({ where: { id: BigInt(stop.m2Down) } });
    expect(after).toEqual(before);
  });

  it('is for supervisors: a viewer gets 403', async () => {
    const res = await post('/downtime-intervals/classify', { intervalIds: [stop.m2Down], reasonId: ids.jam }, viewer);
    expect(res.status).toBe(403);
  });
});

describe('POST /api/v1/downtime-intervals/:id/split', () => {
  it('splits a stop in two and classifies each part; the Pareto follows', async () => {
    const res = await post(`/downtime-intervals/${stop.m2Down}/split`, {
      at: iso(at(8, 10)),
      reasonIdBefore: ids.jam,
      reasonIdAfter: ids.motor,
    });
    expect(res.status).toBe(200);
    const { items } = ZDowntimeIntervalItems.parse(res.body);
    expect(items.map((i) => [i.startedAt, i.endedAt, i.state, i.reason?.code])).toEqual([
      [iso(at(8)), iso(at(8, 10)), 'DOWN', 'JAM'],
      [iso(at(8, 10)), iso(at(8, 30)), 'DOWN', 'MOTOR'],
    ]);
    expect(items[0]?.id).toBe(stop.m2Down);
    expect(await pareto(ids.m2)).toEqual({ JAM: 600, MOTOR: 1200 });
    const audit = await t.db.prisma.auditLog.findFirst({ where: { action: 'downtime-interval.split' } });
    expect(audit?.after).toMatchObject({ parts: [{ id: stop.m2Down }, { id: items[1]?.id }] });
  });

  it('keeps the reason on both parts when none is given', async () => {
    const res = await post(`/downtime-intervals/${stop.down}/split`, { at: iso(at(7, 30)) });
    expect(res.status).toBe(200);
    const { items } = ZDowntimeIntervalItems.parse(res.body);
    expect(items.map((i) => [i.reason?.code, i.isClassified, i.durationSec])).toEqual([
      ['MOTOR', true, 1800],
      ['MOTOR', true, 600],
    ]);
  });

  it('rejects a split outside the stop, of a running machine, or with a reason that does not fit', async () => {
    const outside = await post(`/downtime-intervals/${stop.idle}/split`, { at: iso(at(9, 10)) });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0].path).toBe('body.at');
    const producing = await post(`/downtime-intervals/${stop.producing}/split`, { at: iso(at(6, 30)) });
    expect(producing.status).toBe(409);
    const wrongKind = await post(`/downtime-intervals/${stop.idle}/split`, {
      at: iso(at(9, 5)),
      reasonIdAfter: ids.meeting,
    });
    expect(wrongKind.status).toBe(409);
    const missing = await post('/downtime-intervals/999999/split', { at: iso(at(9, 5)) });
    expect(missing.status).toBe(404);
    const badId = await post('/downtime-intervals/abc/split', { at: iso(at(9, 5)) });
    expect(badId.status).toBe(400);
    const tooLarge = await post('/downtime-intervals/9999999999999999999/split', { at: iso(at(9, 5)) });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.errors[0].path).toBe('params.id');
  });

  it('splits a stop that is still open before the present, and survives the ingest recomputing the timeline', async () => {
    const t0 = Math.floor((Date.now() - 10 * MIN_MS) / 1000) * 1000;
    const ingest = (events: object[]) =>
      request(t.app).post('/api/v1/ingest/events').set('authorization', `Bearer ${ingestToken}`).send({ events });
    const path = 'p1/asm/l1/robot';
    expect((await ingest([{ type: 'state', machinePath: path, tsMs: t0, state: 'DOWN' }])).status).toBe(200);
    const openId = await intervalIdAt(ids.m3, t0);

    const future = await post(`/downtime-intervals/${openId}/split`, { at: iso(Date.now() + HOUR_MS) });
    expect(future.status).toBe(400);
    const res = await post(`/downtime-intervals/${openId}/split`, { at: iso(t0 + 3 * MIN_MS), reasonIdAfter: ids.jam });
    expect(res.status).toBe(200);
    const { items } = ZDowntimeIntervalItems.parse(res.body);
    expect(items.map((i) => [i.startedAt, i.endedAt, i.reason?.code ?? null])).toEqual([
      [iso(t0), iso(t0 + 3 * MIN_MS), null],
      [iso(t0 + 3 * MIN_MS), null, 'JAM'],
    ]);

    // A repeated DOWN before the split and the end of the stop make the pipeline replay the machine's timeline.
    const late = await ingest([
      { type: 'state', machinePath: path, tsMs: t0 + MIN_MS, state: 'DOWN' },
      { type: 'state', machinePath: path, tsMs: t0 + 6 * MIN_MS, state: 'PRODUCING' },
    ]);
    expect(late.status).toBe(200);
    const rows = await t.db.prisma.machineStateInterval.findMany({
      where: { machineId: ids.m3 },
      orderBy: { startedAt: 'asc' },
      select: { state: true, startedAt: true, endedAt: true, reasonId: true },
    });
    expect(rows.map((r) => [r.state, r.startedAt.getTime(), r.endedAt?.getTime() ?? null, r.reasonId])).toEqual([
      ['DOWN', t0, t0 + 3 * MIN_MS, null],
      ['DOWN', t0 + 3 * MIN_MS, t0 + 6 * MIN_MS, ids.jam],
      ['PRODUCING', t0 + 6 * MIN_MS, null, null],
    ]);
  });
});
