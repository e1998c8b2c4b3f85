// The downtime-reason tree against a real PostgreSQL database: two levels, kinds, delete vs archive.
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let viewer: TestClient;

function errorPaths(res: request.Response): string[] {
  return (res.body.errors as { path: string }[]).map((e) => e.path);
}

beforeAll(async () => {
  t = await createTestApp('reasons');
  admin = await signInAs(t, 'ADMIN');
  viewer = await signInAs(t, 'VIEWER');
});
afterAll(() => t.close());

describe('downtime reasons', () => {
  let mechId: string;
  let jamId: string;

  it('creates a category and a reason under it, and lists the tree', async () => {
    const category = await admin.call('post', '/downtime-reasons').send({
      code: 'MECH',
      name: 'Mechanical',
      kind: 'UNPLANNED',
    });
    expect(category.status).toBe(201);
    mechId = category.body.id;
    const reason = await admin.call('post', '/downtime-reasons').send({
      code: 'MECH-JAM',
      name: 'Jam',
      kind: 'UNPLANNED',
      parentId: mechId,
    });
    expect(reason.status).toBe(201);
    jamId = reason.body.id;
    const tree = await viewer.call('get', '/downtime-reasons');
    expect(tree.status).toBe(200);
    expect(tree.body.items).toEqual([
      expect.objectContaining({
        code: 'MECH',
        parentId: null,
        children: [expect.objectContaining({ code: 'MECH-JAM', parentId: mechId })],
      }),
    ]);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'downtime-reason.created' } })).toBe(2);
  });

  it('rejects a reason whose kind differs from its category', async () => {
    const res = await admin.call('post', '/downtime-reasons').send({
      code: 'X',
      name: 'X',
      kind: 'PLANNED',
      parentId: mechId,
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.kind']);
  });

  it('rejects a third tree level, an unknown parent and a duplicate code', async () => {
    const third = await admin.call('post', '/downtime-reasons').send({
      code: 'Y',
      name: 'Y',
      kind: 'UNPLANNED',
      parentId: jamId,
    });
    expect(third.status).toBe(400);
    expect(errorPaths(third)).toEqual(['body.parentId']);
    expect(third.body.errors[0].message).toMatch(/two levels/);
    const unknown = await admin.call('post', '/downtime-reasons').send({
      code: 'Z',
      name: 'Z',
      kind: 'UNPLANNED',
      parentId: randomUUID(),
    });
    expect(unknown.status).toBe(400);
    const duplicate = await admin.call('post', '/downtime-reasons').send({
      code: 'MECH',
      name: 'again',
      kind: 'UNPLANNED',
    });
    expect(duplicate.status).toBe(409);
    expect(
      (await viewer.call('post', '/downtime-reasons').send({ code: 'V', name: 'V', kind: 'PLANNED' })).status,
    ).toBe(403);
  });

  it('updates under the tree rules, honouring If-Match', async () => {
    const kindChange = await admin.call('patch', `/downtime-reasons/${mechId}`).send({ kind: 'PLANNED' });
    expect(kindChange.status).toBe(400);
    expect(errorPaths(kindChange)).toEqual(['body.kind']);
    const other = await admin.call('post', '/downtime-reasons').send({
      code: 'ELEC',
      name: 'Electrical',
      kind: 'UNPLANNED',
    });
    const categoryUnderCategory = await admin.call('patch', `/downtime-reasons/${mechId}`).send({
      parentId: other.body.id,
    });
    expect(categoryUnderCategory.status).toBe(400);
    const renamed = await admin
      .call('patch', `/downtime-reasons/${jamId}`)
      .set('if-match', '"1"')
      .send({ name: 'Material jam' });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.etag).toBe('"2"');
    expect(
      (await admin.call('patch', `/downtime-reasons/${jamId}`).set('if-match', '"1"').send({ name: 'x' })).status,
    ).toBe(412);
    const moved = await admin.call('patch', `/downtime-reasons/${jamId}`).send({ parentId: other.body.id });
    expect(moved.body).toMatchObject({ parentId: other.body.id, version: 3 });
    expect((await admin.call('patch', `/downtime-reasons/${randomUUID()}`).send({ name: 'x' })).status).toBe(404);
  });

  it('refuses to delete a category with reasons or a reason in use, archives instead', async () => {
    const category = await t.db.prisma.downtimeReason.findUniqueOrThrow({ where: { code: 'ELEC' } });
    const withChildren = await admin.call('delete', `/downtime-reasons/${category.id}`);
    expect(withChildren.status).toBe(409);
    await t.db.prisma.plannedDowntime.create({
      data: { reasonId: jamId, startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-01-01T01:00:00Z') },
    });
    const used = await admin.call('delete', `/downtime-reasons/${jamId}`);
    expect(used.status).toBe(409);
    expect(used.body.detail).toMatch(/archive/);

    const archived = await admin.call('post', `/downtime-reasons/${category.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await t.db.prisma.downtimeReason.findUniqueOrThrow({ where: { id: jamId } })).archivedAt).not.toBeNull();
    const tree = await viewer.call('get', '/downtime-reasons');
    expect(tree.body.items.map((c: { code: string }) => c.code)).toEqual(['MECH']);
    const all = await viewer.call('get', '/downtime-reasons?includeArchived=true');
    expect(all.body.items.map((c: { code: string }) => c.code)).toEqual(['ELEC', 'MECH']);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'downtime-reason.archived' } })).toBe(1);
  });

  it('sends ETags and honours If-Match on create, delete and archive, as every resource of the CRUD template', async () => {
    const created = await admin.call('post', '/downtime-reasons', { code: 'QUAL', name: 'Quality', kind: 'UNPLANNED' });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const id = created.body.id as string;
    expect((await admin.call('delete', `/downtime-reasons/${id}`, undefined, { 'if-match': '"7"' })).status).toBe(412);
    expect((await admin.call('post', `/downtime-reasons/${id}/archive`, undefined, { 'if-match': '"7"' })).status).toBe(
      412,
    );
    const archived = await admin.call('post', `/downtime-reasons/${id}/archive`, undefined, { 'if-match': '"1"' });
    expect(archived.status).toBe(200);
    expect(archived.headers.etag).toBe('"2"');
    expect((await admin.call('delete', `/downtime-reasons/${id}`, undefined, { 'if-match': '"2"' })).status).toBe(204);
  });

  it('deletes an unused category', async () => {
    expect((await admin.call('delete', `/downtime-reasons/${mechId}`)).status).toBe(204);
    expect((await admin.call('delete', `/downtime-reasons/${mechId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'downtime-reason.deleted', entityId: mechId } })).toBe(
      1,
    );
  });
});
