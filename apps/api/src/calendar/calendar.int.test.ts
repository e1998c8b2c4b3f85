// Shift patterns (one document with shifts and breaks, overlap rules in the site's time zone) and scheduled
// planned downtime, against a real PostgreSQL database.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@takt/contracts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';

let t: TestApp;
let admin: Session;
let viewer: Session;
let siteId: string;
let lineId: string;
let machineId: string;

type Session = { cookie: string; csrf: string };

async function signIn(username: string, password: string): Promise<Session> {
  const res = await request(t.app).post('/api/v1/auth/login').send({ username, password });
  const setCookie = res.headers['set-cookie'] as unknown as string[];
  const pair = (name: string) => setCookie.find((c) => c.startsWith(`${name}=`))!.split(';')[0]!;
  return { cookie: `${pair(SESSION_COOKIE)}; ${pair(CSRF_COOKIE)}`, csrf: pair(CSRF_COOKIE).split('=')[1]! };
}

function call(session: Session, method: 'get' | 'post' | 'patch' | 'put' | 'delete', url: string) {
  const req = request(t.app)[method](`/api/v1${url}`).set('cookie', session.cookie);
  return method === 'get' ? req : req.set(CSRF_HEADER, session.csrf);
}

beforeAll(async () => {
  t = await createTestApp('calendar');
  await createUser(t.db, { username: 'admin', password: 'admin-secret-1', role: 'ADMIN' });
  await createUser(t.db, { username: 'viewer', password: 'viewer-secret-1', role: 'VIEWER' });
  admin = await signIn('admin', 'admin-secret-1');
  viewer = await signIn('viewer', 'viewer-secret-1');
  const enterprise = await t.db.prisma.enterprise.create({ data: { code: 'acme', name: 'Acme' } });
  const site = await t.db.prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
  });
  const area = await t.db.prisma.area.create({ data: { siteId: site.id, code: 'assembly', name: 'Assembly' } });
  const line = await t.db.prisma.line.create({ data: { areaId: area.id, code: 'line2', name: 'Line 2' } });
  const machine = await t.db.prisma.machine.create({
    data: { lineId: line.id, code: 'press3', path: 'plant1/assembly/line2/press3', name: 'Press 3' },
  });
  siteId = site.id;
  lineId = line.id;
  machineId = machine.id;
});
afterAll(() => t.close());

const WEEKDAYS = [1, 2, 3, 4, 5];
const shift = (code: string, startMinute: number, durationMin: number, extra: object = {}) => ({
  code,
  name: `${code} shift`,
  startMinute,
  durationMin,
  weekdays: WEEKDAYS,
  breaks: [],
  ...extra,
});

function errorPaths(res: request.Response): string[] {
  return (res.body.errors as { path: string }[]).map((e) => e.path);
}

describe('shift patterns', () => {
  let patternId: string;

  it('creates a pattern with shifts and breaks (201, ETag, audit) and reads it back', async () => {
    const res = await call(admin, 'post', '/shift-patterns').send({
      siteId,
      code: 'three-shift',
      name: 'Three shifts',
      shifts: [
        shift('night', 22 * 60, 480),
        shift('early', 6 * 60, 480, { breaks: [{ name: 'Lunch', offsetMin: 240, durationMin: 30 }] }),
        shift('late', 14 * 60, 480),
      ],
    });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    patternId = res.body.id;
    expect(res.body.shifts.map((s: { code: string }) => s.code)).toEqual(['early', 'late', 'night']);
    expect(res.body.shifts[0].breaks).toEqual([
      { id: expect.any(String), name: 'Lunch', offsetMin: 240, durationMin: 30 },
    ]);

    const one = await call(viewer, 'get', `/shift-patterns/${patternId}`);
    expect(one.status).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body).toEqual(res.body);
    const list = await call(viewer, 'get', `/shift-patterns?siteId=${siteId}`);
    expect(list.body).toMatchObject({ items: [{ id: patternId }], nextCursor: null });
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: 'shift-pattern.created' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityId: patternId, actorLabel: 'admin' });
  });

  it('forbids writes to viewers and answers 404 for an unknown pattern', async () => {
    expect((await call(viewer, 'post', '/shift-patterns').send({ siteId, code: 'x', name: 'x' })).status).toBe(403);
    expect((await call(admin, 'get', `/shift-patterns/${randomUUID()}`)).status).toBe(404);
    expect((await call(admin, 'patch', `/shift-patterns/${randomUUID()}`).send({ name: 'y' })).status).toBe(404);
  });

  it('rejects overlapping shifts with the path of the offending shift', async () => {
    const res = await call(admin, 'post', '/shift-patterns').send({
      siteId,
      code: 'overlap',
      name: 'Overlap',
      shifts: [shift('early', 6 * 60, 480), shift('late', 13 * 60, 480)],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.shifts.1']);
    expect(res.body.errors[0].message).toMatch(/"late" \(Mon 13:00–Mon 21:00\) overlaps shift "early"/);
  });

  it('rejects a night shift crossing midnight into the next day’s first shift', async () => {
    const res = await call(admin, 'post', '/shift-patterns').send({
      siteId,
      code: 'night-overlap',
      name: 'Night overlap',
      shifts: [shift('early', 5 * 60, 480), shift('night', 22 * 60, 480)],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.shifts.1']);
    expect(res.body.errors[0].message).toMatch(/"night" \(Mon 22:00–Tue 06:00\) overlaps shift "early" \(Tue 05:00/);
  });

  it('rejects a Sunday night shift running into Monday’s first shift (week wrap)', async () => {
    const res = await call(admin, 'post', '/shift-patterns').send({
      siteId,
      code: 'weekend',
      name: 'Weekend',
      shifts: [shift('early', 5 * 60, 480, { weekdays: [1] }), shift('sunday-night', 22 * 60, 480, { weekdays: [7] })],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.shifts.1']);
  });

  it('validates shifts and breaks field by field', async () => {
    const res = await call(admin, 'post', '/shift-patterns').send({
      siteId,
      code: 'bad',
      name: 'Bad',
      shifts: [
        shift('a', 1440, 0),
        shift('b', 0, 480, { weekdays: [1, 1], breaks: [{ name: 'Late break', offsetMin: 470, durationMin: 30 }] }),
        shift('c', 600, 120, {
          weekdays: [6],
          breaks: [
            { name: 'One', offsetMin: 10, durationMin: 30 },
            { name: 'Two', offsetMin: 30, durationMin: 10 },
          ],
        }),
      ],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual([
      'body.shifts.0.durationMin',
      'body.shifts.0.startMinute',
      'body.shifts.1.breaks.0',
      'body.shifts.1.weekdays',
      'body.shifts.2.breaks.1',
    ]);
  });

  it('answers 400 for an unknown site and 409 for a duplicate code', async () => {
    const unknown = await call(admin, 'post', '/shift-patterns').send({ siteId: randomUUID(), code: 'x', name: 'x' });
    expect(unknown.status).toBe(400);
    expect(errorPaths(unknown)).toEqual(['body.siteId']);
    const duplicate = await call(admin, 'post', '/shift-patterns').send({ siteId, code: 'three-shift', name: 'x' });
    expect(duplicate.status).toBe(409);
  });

  it('replaces all shifts in one update, honouring If-Match', async () => {
    const res = await call(admin, 'patch', `/shift-patterns/${patternId}`)
      .set('if-match', '"1"')
      .send({ name: 'Two shifts', shifts: [shift('early', 360, 480), shift('late', 840, 480)] });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ name: 'Two shifts', version: 2 });
    expect(await t.db.prisma.shift.count({ where: { patternId } })).toBe(2);
    expect(await t.db.prisma.shiftBreak.count()).toBe(0);

    const stale = await call(admin, 'patch', `/shift-patterns/${patternId}`).set('if-match', '"1"').send({ name: 'x' });
    expect(stale.status).toBe(412);
    const overlapping = await call(admin, 'patch', `/shift-patterns/${patternId}`).send({
      shifts: [shift('early', 360, 480), shift('late', 800, 480)],
    });
    expect(overlapping.status).toBe(400);
    expect(await t.db.prisma.shift.count({ where: { patternId } })).toBe(2);
  });

  it('refuses to delete a pattern assigned to lines (409 naming them), then deletes it', async () => {
    await t.db.prisma.line.update({ where: { id: lineId }, data: { shiftPatternId: patternId } });
    const inUse = await call(admin, 'delete', `/shift-patterns/${patternId}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toMatch(/plant1\/assembly\/line2/);
    await t.db.prisma.line.update({ where: { id: lineId }, data: { shiftPatternId: null } });
    expect((await call(admin, 'delete', `/shift-patterns/${patternId}`)).status).toBe(204);
    expect((await call(admin, 'get', `/shift-patterns/${patternId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'shift-pattern.deleted', entityId: patternId } })).toBe(
      1,
    );
  });
});

describe('planned downtime', () => {
  let plannedReasonId: string;
  let unplannedReasonId: string;
  let downtimeId: string;

  beforeAll(async () => {
    const planned = await t.db.prisma.downtimeReason.create({
      data: { code: 'PLN', name: 'Planned', kind: 'PLANNED' },
    });
    plannedReasonId = (
      await t.db.prisma.downtimeReason.create({
        data: { code: 'PLN-MAINT', name: 'Maintenance', kind: 'PLANNED', parentId: planned.id },
      })
    ).id;
    const unplanned = await t.db.prisma.downtimeReason.create({
      data: { code: 'UNP', name: 'Unplanned', kind: 'UNPLANNED' },
    });
    unplannedReasonId = (
      await t.db.prisma.downtimeReason.create({
        data: { code: 'UNP-JAM', name: 'Jam', kind: 'UNPLANNED', parentId: unplanned.id },
      })
    ).id;
  });

  it('schedules downtime for a line with a PLANNED reason, lists and filters it', async () => {
    const res = await call(admin, 'post', '/planned-downtime').send({
      lineId,
      reasonId: plannedReasonId,
      startsAt: '2026-03-02T06:00:00Z',
      endsAt: '2026-03-02T08:00:00Z',
      note: 'Quarterly maintenance',
    });
    expect(res.status).toBe(201);
    downtimeId = res.body.id;
    expect(res.body).toMatchObject({ lineId, machineId: null, startsAt: '2026-03-02T06:00:00.000Z' });
    const forMachine = await call(admin, 'post', '/planned-downtime').send({
      machineId,
      startsAt: '2026-03-03T06:00:00Z',
      endsAt: '2026-03-03T07:00:00Z',
    });
    expect(forMachine.status).toBe(201);

    const byLine = await call(viewer, 'get', `/planned-downtime?lineId=${lineId}`);
    expect(byLine.body.items.map((d: { id: string }) => d.id)).toEqual([downtimeId]);
    const inWindow = await call(viewer, 'get', '/planned-downtime?from=2026-03-02T07:59:00Z&to=2026-03-03T06:00:00Z');
    expect(inWindow.body.items.map((d: { id: string }) => d.id)).toEqual([downtimeId]);
    const page = await call(viewer, 'get', '/planned-downtime?limit=1');
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await call(viewer, 'get', `/planned-downtime?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].machineId).toBe(machineId);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'planned-downtime.created' } })).toBe(2);
  });

  it.each([
    ['both a line and a machine', { lineId: 'LINE', machineId: 'MACHINE' }, 'body.lineId'],
    ['neither a line nor a machine', {}, 'body.lineId'],
    ['an end before the start', { lineId: 'LINE', endsAt: '2026-03-02T05:00:00Z' }, 'body.endsAt'],
    ['an UNPLANNED reason', { lineId: 'LINE', reasonId: 'UNPLANNED' }, 'body.reasonId'],
    ['an unknown machine', { machineId: randomUUID() }, 'body.machineId'],
  ])('answers 400 for %s', async (_case, overrides, path) => {
    const body = Object.fromEntries(
      Object.entries({ startsAt: '2026-03-02T06:00:00Z', endsAt: '2026-03-02T08:00:00Z', ...overrides }).map(
        ([k, v]) => [
          k,
          v === 'LINE' ? lineId : v === 'MACHINE' ? machineId : v === 'UNPLANNED' ? unplannedReasonId : v,
        ],
      ),
    );
    const res = await call(admin, 'post', '/planned-downtime').send(body);
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(path);
  });

  it('updates (validating the merged record) and deletes', async () => {
    const bad = await call(admin, 'patch', `/planned-downtime/${downtimeId}`).send({ endsAt: '2026-03-02T05:00:00Z' });
    expect(bad.status).toBe(400);
    const moved = await call(admin, 'patch', `/planned-downtime/${downtimeId}`).send({
      machineId,
      endsAt: '2026-03-02T09:00:00Z',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ lineId: null, machineId, endsAt: '2026-03-02T09:00:00.000Z' });
    expect((await call(viewer, 'delete', `/planned-downtime/${downtimeId}`)).status).toBe(403);
    expect((await call(admin, 'delete', `/planned-downtime/${downtimeId}`)).status).toBe(204);
    expect((await call(admin, 'delete', `/planned-downtime/${downtimeId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { entityId: downtimeId } })).toBe(3);
  });
});
