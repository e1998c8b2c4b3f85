// Shift patterns (one document with shifts and breaks, overlap rules in the site's time zone) and scheduled
// planned downtime, against a real PostgreSQL database.
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let viewer: TestClient;
let siteId: string;
let lineId: string;
let machineId: string;

beforeAll(async () => {
  t = await createTestApp('calendar');
  admin = await signInAs(t, 'ADMIN');
  viewer = await signInAs(t, 'VIEWER');
  const plant = await buildPlant(t.db.prisma, {
    site: { code: 'plant1', timeZone: 'Europe/Berlin' },
    area: { code: 'assembly' },
    lines: [{ code: 'line2', machines: [{ code: 'press3' }] }],
  });
  siteId = plant.siteId;
  lineId = plant.lineIds.line2!;
  machineId = plant.machineIds.press3!;
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
    const res = await admin.call('post', '/shift-patterns').send({
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

    const one = await viewer.call('get', `/shift-patterns/${patternId}`);
    expect(one.status).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body).toEqual(res.body);
    const list = await viewer.call('get', `/shift-patterns?siteId=${siteId}`);
    expect(list.body).toMatchObject({ items: [{ id: patternId }], nextCursor: null });
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: 'shift-pattern.created' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityId: patternId, actorLabel: 'admin' });
  });

  it('forbids writes to viewers and answers 404 for an unknown pattern', async () => {
    expect((await viewer.call('post', '/shift-patterns').send({ siteId, code: 'x', name: 'x' })).status).toBe(403);
    expect((await admin.call('get', `/shift-patterns/${randomUUID()}`)).status).toBe(404);
    expect((await admin.call('patch', `/shift-patterns/${randomUUID()}`).send({ name: 'y' })).status).toBe(404);
  });

  it('rejects overlapping shifts with the path of the offending shift', async () => {
    const res = await admin.call('post', '/shift-patterns').send({
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
    const res = await admin.call('post', '/shift-patterns').send({
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
    const res = await admin.call('post', '/shift-patterns').send({
      siteId,
      code: 'weekend',
      name: 'Weekend',
      shifts: [shift('early', 5 * 60, 480, { weekdays: [1] }), shift('sunday-night', 22 * 60, 480, { weekdays: [7] })],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.shifts.1']);
  });

  it('validates shifts and breaks field by field', async () => {
    const res = await admin.call('post', '/shift-patterns').send({
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
    const unknown = await admin.call('post', '/shift-patterns').send({ siteId: randomUUID(), code: 'x', name: 'x' });
    expect(unknown.status).toBe(400);
    expect(errorPaths(unknown)).toEqual(['body.siteId']);
    const duplicate = await admin.call('post', '/shift-patterns').send({ siteId, code: 'three-shift', name: 'x' });
    expect(duplicate.status).toBe(409);
  });

  it('replaces all shifts in one update, honouring If-Match', async () => {
    const res = await admin
      .call('patch', `/shift-patterns/${patternId}`)
      .set('if-match', '"1"')
      .send({ name: 'Two shifts', shifts: [shift('early', 360, 480), shift('late', 840, 480)] });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ name: 'Two shifts', version: 2 });
    expect(await t.db.prisma.shift.count({ where: { patternId } })).toBe(2);
    expect(await t.db.prisma.shiftBreak.count()).toBe(0);

    const stale = await admin.call('patch', `/shift-patterns/${patternId}`).set('if-match', '"1"').send({ name: 'x' });
    expect(stale.status).toBe(412);
    const overlapping = await admin.call('patch', `/shift-patterns/${patternId}`).send({
      shifts: [shift('early', 360, 480), shift('late', 800, 480)],
    });
    expect(overlapping.status).toBe(400);
    expect(await t.db.prisma.shift.count({ where: { patternId } })).toBe(2);
  });

  it('refuses to delete a pattern assigned to lines (409 naming them), then deletes it', async () => {
    await t.db.prisma.line.update({ where: { id: lineId }, data: { shiftPatternId: patternId } });
    const inUse = await admin.call('delete', `/shift-patterns/${patternId}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toMatch(/plant1\/assembly\/line2/);
    await t.db.prisma.line.update({ where: { id: lineId }, data: { shiftPatternId: null } });
    expect((await admin.call('delete', `/shift-patterns/${patternId}`)).status).toBe(204);
    expect((await admin.call('get', `/shift-patterns/${patternId}`)).status).toBe(404);
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
    const res = await admin.call('post', '/planned-downtime').send({
      lineId,
      reasonId: plannedReasonId,
      startsAt: '2026-03-02T06:00:00Z',
      endsAt: '2026-03-02T08:00:00Z',
      note: 'Quarterly maintenance',
    });
    expect(res.status).toBe(201);
    downtimeId = res.body.id;
    expect(res.body).toMatchObject({ lineId, machineId: null, startsAt: '2026-03-02T06:00:00.000Z' });
    const forMachine = await admin.call('post', '/planned-downtime').send({
      machineId,
      startsAt: '2026-03-03T06:00:00Z',
      endsAt: '2026-03-03T07:00:00Z',
    });
    expect(forMachine.status).toBe(201);

    const byLine = await viewer.call('get', `/planned-downtime?lineId=${lineId}`);
    expect(byLine.body.items.map((d: { id: string }) => d.id)).toEqual([downtimeId]);
    const inWindow = await viewer.call('get', '/planned-downtime?from=2026-03-02T07:59:00Z&to=2026-03-03T06:00:00Z');
    expect(inWindow.body.items.map((d: { id: string }) => d.id)).toEqual([downtimeId]);
    const page = await viewer.call('get', '/planned-downtime?limit=1');
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await viewer.call('get', `/planned-downtime?limit=1&cursor=${page.body.nextCursor}`);
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
    const res = await admin.call('post', '/planned-downtime').send(body);
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(path);
  });

  it('updates (validating the merged record) and deletes', async () => {
    const bad = await admin.call('patch', `/planned-downtime/${downtimeId}`).send({ endsAt: '2026-03-02T05:00:00Z' });
    expect(bad.status).toBe(400);
    const moved = await admin.call('patch', `/planned-downtime/${downtimeId}`).send({
      machineId,
      endsAt: '2026-03-02T09:00:00Z',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ lineId: null, machineId, endsAt: '2026-03-02T09:00:00.000Z' });
    expect((await viewer.call('delete', `/planned-downtime/${downtimeId}`)).status).toBe(403);
    expect((await admin.call('delete', `/planned-downtime/${downtimeId}`)).status).toBe(204);
    expect((await admin.call('delete', `/planned-downtime/${downtimeId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { entityId: downtimeId } })).toBe(3);
  });
});
