// The audit trail: every mutating plant route leaves one entry (before/after, request id, actor), and
// GET /audit filters by entity, actor, action and time, newest first, in keyset pages.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditEntry } from '@takt/contracts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let otherAdmin: TestClient;
let supervisor: TestClient;

async function audit(query: string): Promise<{ items: TAuditEntry[]; nextCursor: string | null }> {
  const res = await admin.call('get', `/audit${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp('audit');
  admin = await signInAs(t, 'ADMIN', 'ada');
  otherAdmin = await signInAs(t, 'ADMIN', 'bob');
  supervisor = await signInAs(t, 'SUPERVISOR', 'sue');
});
afterAll(() => t.close());

describe('audit entries of plant changes', () => {
  it('records create, update, archive, unarchive and delete of every plant resource with before/after and request id', async () => {
    const parents: Record<string, string> = {};
    const bodies: [string, () => object][] = [
      ['sites', () => ({ code: 'a-site', name: 'Site', timeZone: 'Europe/Berlin' })],
      ['areas', () => ({ siteId: parents.sites, code: 'a-area', name: 'Area' })],
      ['lines', () => ({ areaId: parents.areas, code: 'a-line', name: 'Line' })],
      ['machines', () => ({ lineId: parents.lines, code: 'a-machine', name: 'Machine' })],
      ['products', () => ({ code: 'a-product', name: 'Product' })],
    ];
    for (const [resource, body] of bodies) {
      const entity = resource.slice(0, -1);
      const created = await admin.call('post', `/${resource}`, body(), { 'x-request-id': `${entity}-1` });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.id as string;
      parents[resource] = id;
      await admin.call('patch', `/${resource}/${id}`, { name: 'Renamed' }, { 'x-request-id': `${entity}-2` });
      await admin.call('post', `/${resource}/${id}/archive`, undefined, { 'x-request-id': `${entity}-3` });
      await admin.call('post', `/${resource}/${id}/unarchive`, undefined, { 'x-request-id': `${entity}-4` });
      const { items } = await audit(`?entityType=${entity}&entityId=${id}`);
      expect(items.map((e) => [e.action, e.requestId, e.actorLabel, e.actorId])).toEqual([
        [`${entity}.unarchived`, `${entity}-4`, 'ada', admin.userId],
        [`${entity}.archived`, `${entity}-3`, 'ada', admin.userId],
        [`${entity}.updated`, `${entity}-2`, 'ada', admin.userId],
        [`${entity}.created`, `${entity}-1`, 'ada', admin.userId],
      ]);
      expect(items[2]).toMatchObject({
        before: { name: expect.not.stringMatching('Renamed') },
        after: { name: 'Renamed' },
      });
      expect(items[1]).toMatchObject({ before: { archivedAt: null }, after: { archivedAt: expect.any(String) } });
    }
    const ict = await admin.call(
      'put',
      `/products/${parents.products}/ideal-cycle-times`,
      { items: [{ lineId: parents.lines, idealCycleTimeSec: 4 }] },
      { 'x-request-id': 'ict-1' },
    );
    expect(ict.status).toBe(200);
    // Delete bottom-up, each delete audited with the last state as `before`.
    for (const resource of ['products', 'machines', 'lines', 'areas', 'sites']) {
      const entity = resource.slice(0, -1);
      const id = parents[resource] ?? '';
      const res = await admin.call('delete', `/${resource}/${id}`, undefined, { 'x-request-id': `${entity}-5` });
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      const [entry] = (await audit(`?entityId=${id}&action=${entity}.deleted`)).items;
      expect(entry).toMatchObject({ requestId: `${entity}-5`, before: { id, name: 'Renamed' }, after: null });
    }
    const [ictEntry] = (await audit('?action=product.ideal-cycle-times-replaced')).items;
    expect(ictEntry).toMatchObject({
      requestId: 'ict-1',
      entityId: parents.products,
      before: { items: [] },
      after: { items: [{ lineId: parents.lines, idealCycleTimeSec: 4 }] },
    });
  });

  it('writes nothing when a change is refused', async () => {
    const before = (await audit('?limit=500')).items.length;
    await admin.call('post', '/sites', { code: 'BAD', name: 'x', timeZone: 'UTC' });
    await admin.call('patch', `/sites/${randomUUID()}`, { name: 'x' });
    expect((await audit('?limit=500')).items.length).toBe(before);
  });
});

describe('GET /audit', () => {
  it('filters by actor, entity type and time, newest first, in keyset pages', async () => {
    const startedAt = new Date().toISOString();
    for (const code of ['p1', 'p2', 'p3', 'p4', 'p5'])
      expect((await otherAdmin.call('post', '/products', { code, name: code })).status).toBe(201);
    const byBob = await audit(`?actorId=${otherAdmin.userId}`);
    expect(byBob.items.map((e) => (e.after as { code: string }).code)).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
    expect(byBob.items.every((e) => e.actorLabel === 'bob' && e.action === 'product.created')).toBe(true);
    expect(byBob.nextCursor).toBeNull();

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: TAuditEntry[]; nextCursor: string | null } = await audit(
        `?actorId=${otherAdmin.userId}&entityType=product&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      pages.push(page.items.map((e) => (e.after as { code: string }).code));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([['p5', 'p4'], ['p3', 'p2'], ['p1']]);

    expect((await audit(`?from=${encodeURIComponent(startedAt)}&entityType=product`)).items).toHaveLength(5);
    expect((await audit(`?to=${encodeURIComponent(startedAt)}&actorId=${otherAdmin.userId}`)).items).toHaveLength(0);
    expect((await audit('?entityType=nothing-like-this')).items).toEqual([]);
  });

  it('answers 400 for invalid filters and cursors, 403 below ADMIN, 401 anonymous', async () => {
    for (const query of ['?actorId=nope', '?from=yesterday', '?limit=501', '?cursor=abc', '?cursor=-1']) {
      const res = await admin.call('get', `/audit${query}`);
      expect(res.status, query).toBe(400);
      expect(res.type).toBe('application/problem+json');
    }
    expect((await supervisor.call('get', '/audit')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/audit')).status).toBe(401);
  });

  it('cannot be rewritten: the database refuses to update or delete entries', async () => {
    await expect(t.db.prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
  });
});
