// Plant configuration CRUD against a real PostgreSQL database: validation, uniqueness, referential
// checks on delete, archive, machine paths (move, cascading renames), If-Match, roles and the audit trail.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../http/app-error.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type HttpMethod, type TestClient } from '../test/test-client.ts';
import { inTransaction } from '../db/transaction.ts';
import { createProduct } from './plant.repository.ts';

let t: TestApp;
let admin: TestClient;
let viewer: TestClient;

const fieldPaths = (res: request.Response): string[] =>
  (res.body.errors as { path: string }[]).map((e) => e.path).sort();

/** The answer of a create; `path` only for machines. */
type Created = { id: string; version: number; path: string; [field: string]: unknown };

async function create(path: string, body: object): Promise<Created> {
  const res = await admin.call('post', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** site/area/line with unique codes, for tests that need a place to put machines. */
async function createLine(prefix: string) {
  const site = await create('/sites', { code: `${prefix}-site`, name: 'Site', timeZone: 'Europe/Berlin' });
  const area = await create('/areas', { siteId: site.id, code: `${prefix}-area`, name: 'Area' });
  const line = await create('/lines', { areaId: area.id, code: `${prefix}-line`, name: 'Line' });
  return { site, area, line };
}

async function auditOf(entityId: string) {
  const res = await admin.call('get', `/audit?entityId=${entityId}`);
  expect(res.status).toBe(200);
  return res.body.items as { action: string; before: unknown; after: unknown; requestId: string }[];
}

beforeAll(async () => {
  t = await createTestApp('plant');
  admin = await signInAs(t, 'ADMIN', 'ada');
  viewer = await signInAs(t, 'VIEWER', 'vic');
});
afterAll(() => t.close());

describe('sites', () => {
  it('creates, reads (ETag), lists, updates and deletes a site, auditing each change with its request id', async () => {
    const created = await admin.call(
      'post',
      '/sites',
      { code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
      { 'x-request-id': 'req-site-create' },
    );
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin', version: 1 });
    const id = created.body.id as string;
    expect(created.headers.location).toBe(`/api/v1/sites/${id}`);

    const one = await viewer.call('get', `/sites/${id}`);
    expect(one.status).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body).toEqual(created.body);

    const list = await viewer.call('get', '/sites');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { code: string }) => s.code)).toContain('plant1');

    const updated = await admin.call(
      'patch',
      `/sites/${id}`,
      { name: 'Plant One', timeZone: 'UTC' },
      {
        'if-match': '"1"',
        'x-request-id': 'req-site-update',
      },
    );
    expect(updated.status).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.body).toMatchObject({ name: 'Plant One', timeZone: 'UTC', version: 2 });

    const deleted = await admin.call('delete', `/sites/${id}`, undefined, { 'x-request-id': 'req-site-delete' });
    expect(deleted.status).toBe(204);
    expect((await viewer.call('get', `/sites/${id}`)).status).toBe(404);

    const entries = await auditOf(id);
    expect(entries.map((e) => [e.action, e.requestId])).toEqual([
      ['site.deleted', 'req-site-delete'],
      ['site.updated', 'req-site-update'],
      ['site.created', 'req-site-create'],
    ]);
    expect(entries[1]).toMatchObject({
      before: { name: 'Plant 1', version: 1 },
      after: { name: 'Plant One', version: 2 },
    });
    expect(entries[0]).toMatchObject({ before: { code: 'plant1' }, after: null });
    expect(entries[2]).toMatchObject({ before: null, after: { code: 'plant1' } });
  });

  it('answers 400 with field paths for an invalid body, including an unknown time zone', async () => {
    const res = await admin.call('post', '/sites', { code: 'Bad Code', name: '', timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(fieldPaths(res)).toEqual(['body.code', 'body.name', 'body.timeZone']);
    const offset = await admin.call('post', '/sites', { code: 'x1', name: 'X', timeZone: '+01:00' });
    expect(fieldPaths(offset)).toEqual(['body.timeZone']);
    const patch = await admin.call('patch', `/sites/${randomUUID()}`, { code: '-x', extra: 1 });
    expect(patch.status).toBe(400);
    expect(fieldPaths(patch)).toEqual(['body', 'body.code']);
  });

  it('answers 409 for a duplicate code and 404 for unknown ids', async () => {
    await create('/sites', { code: 'dup-site', name: 'A', timeZone: 'Europe/Paris' });
    const dup = await admin.call('post', '/sites', { code: 'dup-site', name: 'B', timeZone: 'Europe/Paris' });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toContain('dup-site');
    expect(fieldPaths(dup)).toEqual(['body.code']);
    const other = await create('/sites', { code: 'dup-site2', name: 'C', timeZone: 'Europe/Paris' });
    expect((await admin.call('patch', `/sites/${other.id}`, { code: 'dup-site' })).status).toBe(409);

    const unknown = randomUUID();
    expect((await viewer.call('get', `/sites/${unknown}`)).status).toBe(404);
    expect((await admin.call('patch', `/sites/${unknown}`, { name: 'x' })).status).toBe(404);
    expect((await admin.call('delete', `/sites/${unknown}`)).status).toBe(404);
    expect((await admin.call('post', `/sites/${unknown}/archive`)).status).toBe(404);
    expect((await viewer.call('get', '/sites/not-a-uuid')).status).toBe(400);
  });

  it('answers 409, never 500, when two creates of the same code race', async () => {
    const body = { code: 'race-site', name: 'Race', timeZone: 'UTC' };
    const results = await Promise.all([1, 2, 3].map(() => admin.call('post', '/sites', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('turns a unique violation past the service checks into a 409 AppError', async () => {
    const write = () => inTransaction(t.db.prisma, (tx) => createProduct(tx, { code: 'raced', name: 'R' }));
    await write();
    const error: unknown = await write().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('answers 412 on a stale If-Match, 400 on a malformed one', async () => {
    const site = await create('/sites', { code: 'etag-site', name: 'A', timeZone: 'Asia/Tokyo' });
    expect((await admin.call('patch', `/sites/${site.id}`, { name: 'B' }, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await admin.call('patch', `/sites/${site.id}`, { name: 'C' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await admin.call('delete', `/sites/${site.id}`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    expect((await admin.call('post', `/sites/${site.id}/archive`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    expect((await admin.call('patch', `/sites/${site.id}`, { name: 'C' }, { 'if-match': 'W/"x"' })).status).toBe(400);
    expect((await viewer.call('get', `/sites/${site.id}`)).body.name).toBe('B');
  });

  it('refuses to delete a site with areas (409 naming them)', async () => {
    const { site } = await createLine('del-site');
    const res = await admin.call('delete', `/sites/${site.id}`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('Site "del-site-site" still has 1 area.');
    expect(res.body.errors).toEqual([{ path: 'areas', message: '1 area' }]);
  });
});

describe('areas and lines', () => {
  it('creates areas and lines below their parents, filtered lists, 400 for unknown parents', async () => {
    const { site, area, line } = await createLine('tree');
    const areas = await viewer.call('get', `/areas?siteId=${site.id}`);
    expect(areas.body.items.map((a: { id: string }) => a.id)).toEqual([area.id]);
    const lines = await viewer.call('get', `/lines?areaId=${area.id}`);
    expect(lines.body.items).toEqual([expect.objectContaining({ id: line.id, shiftPatternId: null })]);

    const orphanArea = await admin.call('post', '/areas', { siteId: randomUUID(), code: 'a', name: 'A' });
    expect(orphanArea.status).toBe(400);
    expect(fieldPaths(orphanArea)).toEqual(['body.siteId']);
    const orphanLine = await admin.call('post', '/lines', { areaId: randomUUID(), code: 'l', name: 'L' });
    expect(fieldPaths(orphanLine)).toEqual(['body.areaId']);
    const badPattern = await admin.call('post', '/lines', {
      areaId: area.id,
      code: 'l2',
      name: 'L',
      shiftPatternId: randomUUID(),
    });
    expect(fieldPaths(badPattern)).toEqual(['body.shiftPatternId']);
  });

  it('validates area and line bodies with field paths', async () => {
    const area = await admin.call('post', '/areas', { siteId: 'x', code: '', name: 'a'.repeat(121) });
    expect(fieldPaths(area)).toEqual(['body.code', 'body.name', 'body.siteId']);
    const line = await admin.call('post', '/lines', { code: 'UPPER', name: 'L' });
    expect(fieldPaths(line)).toEqual(['body.areaId', 'body.code']);
    const patch = await admin.call('patch', `/lines/${randomUUID()}`, { shiftPatternId: 'nope' });
    expect(fieldPaths(patch)).toEqual(['body.shiftPatternId']);
  });

  it('keeps codes unique per parent only', async () => {
    const a = await createLine('uniq-a');
    const b = await createLine('uniq-b');
    expect((await admin.call('post', '/areas', { siteId: a.site.id, code: 'uniq-a-area', name: 'x' })).status).toBe(
      409,
    );
    expect((await admin.call('post', '/areas', { siteId: b.site.id, code: 'uniq-a-area', name: 'x' })).status).toBe(
      201,
    );
    expect((await admin.call('post', '/lines', { areaId: a.area.id, code: 'uniq-a-line', name: 'x' })).status).toBe(
      409,
    );
    expect((await admin.call('post', '/lines', { areaId: b.area.id, code: 'uniq-a-line', name: 'x' })).status).toBe(
      201,
    );
  });

  it('refuses to delete an area with lines and a line with machines', async () => {
    const { area, line } = await createLine('del-tree');
    for (const code of ['m1', 'm2']) await create('/machines', { lineId: line.id, code, name: code });
    const delArea = await admin.call('delete', `/areas/${area.id}`);
    expect(delArea.status).toBe(409);
    expect(delArea.body.errors).toEqual([{ path: 'lines', message: '1 line' }]);
    const delLine = await admin.call('delete', `/lines/${line.id}`);
    expect(delLine.status).toBe(409);
    expect(delLine.body.detail).toBe('Line "del-tree-line" still has 2 machines.');
    expect(delLine.body.errors).toEqual([{ path: 'machines', message: '2 machines' }]);
  });
});

describe('machines', () => {
  it('maintains path on create, rename and move; the move keeps intervals and counts', async () => {
    const from = await createLine('mv-from');
    const to = await createLine('mv-to');
    const machine = await create('/machines', { lineId: from.line.id, code: 'press3', name: 'Press 3', sequence: 2 });
    expect(machine.path).toBe('mv-from-site/mv-from-area/mv-from-line/press3');

    await t.db.prisma.machineStateInterval.create({
      data: { machineId: machine.id, state: 'PRODUCING', startedAt: new Date('2026-11-01T06:00:00Z') },
    });
    await t.db.prisma.productionCount.create({
      data: { machineId: machine.id, bucketStart: new Date('2026-11-01T06:00:00Z'), goodCount: 10 },
    });

    const renamed = await admin.call('patch', `/machines/${machine.id}`, { code: 'press4' });
    expect(renamed.body.path).toBe('mv-from-site/mv-from-area/mv-from-line/press4');
    const moved = await admin.call('patch', `/machines/${machine.id}`, { lineId: to.line.id }, { 'if-match': '"2"' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: machine.id,
      lineId: to.line.id,
      path: 'mv-to-site/mv-to-area/mv-to-line/press4',
      version: 3,
    });
    expect(await t.db.prisma.machineStateInterval.count({ where: { machineId: machine.id } })).toBe(1);
    expect(await t.db.prisma.productionCount.count({ where: { machineId: machine.id } })).toBe(1);
    const [movedEntry] = await auditOf(machine.id);
    expect(movedEntry).toMatchObject({
      action: 'machine.updated',
      before: { lineId: from.line.id, path: 'mv-from-site/mv-from-area/mv-from-line/press4' },
      after: { lineId: to.line.id, path: 'mv-to-site/mv-to-area/mv-to-line/press4' },
    });
  });

  it('rejects a move onto a line that has the code already (409) or does not exist (400)', async () => {
    const a = await createLine('mv-dup-a');
    const b = await createLine('mv-dup-b');
    const m = await create('/machines', { lineId: a.line.id, code: 'same', name: 'x' });
    await create('/machines', { lineId: b.line.id, code: 'same', name: 'x' });
    expect((await admin.call('patch', `/machines/${m.id}`, { lineId: b.line.id })).status).toBe(409);
    const unknown = await admin.call('patch', `/machines/${m.id}`, { lineId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(fieldPaths(unknown)).toEqual(['body.lineId']);
    expect((await admin.call('post', '/machines', { lineId: a.line.id, code: 'same', name: 'y' })).status).toBe(409);
  });

  it('recomputes the paths of every machine below a renamed site, area or line', async () => {
    const { site, area, line } = await createLine('ren');
    const m1 = await create('/machines', { lineId: line.id, code: 'm1', name: 'M1' });
    const m2 = await create('/machines', { lineId: line.id, code: 'm2', name: 'M2' });
    const other = await createLine('ren-other');
    const untouched = await create('/machines', { lineId: other.line.id, code: 'm1', name: 'M1' });
    const paths = async () =>
      (await Promise.all([m1.id, m2.id, untouched.id].map((id) => viewer.call('get', `/machines/${id}`)))).map(
        (r) => r.body.path as string,
      );

    await admin.call('patch', `/sites/${site.id}`, { code: 'ren2' });
    expect(await paths()).toEqual([
      'ren2/ren-area/ren-line/m1',
      'ren2/ren-area/ren-line/m2',
      'ren-other-site/ren-other-area/ren-other-line/m1',
    ]);
    await admin.call('patch', `/areas/${area.id}`, { code: 'asm' });
    await admin.call('patch', `/lines/${line.id}`, { code: 'l9' });
    expect((await paths()).slice(0, 2)).toEqual(['ren2/asm/l9/m1', 'ren2/asm/l9/m2']);
    // A path change is a change of the machine's representation: its version moves on.
    expect((await viewer.call('get', `/machines/${m1.id}`)).headers.etag).toBe('"4"');
    // …and each machine's audit trail tells how its path changed.
    expect((await auditOf(m1.id)).map((e) => [e.action, e.before, e.after])).toEqual([
      ['machine.path-changed', { path: 'ren2/asm/ren-line/m1' }, { path: 'ren2/asm/l9/m1' }],
      ['machine.path-changed', { path: 'ren2/ren-area/ren-line/m1' }, { path: 'ren2/asm/ren-line/m1' }],
      ['machine.path-changed', { path: 'ren-site/ren-area/ren-line/m1' }, { path: 'ren2/ren-area/ren-line/m1' }],
      ['machine.created', null, expect.objectContaining({ path: 'ren-site/ren-area/ren-line/m1' })],
    ]);
    expect(await auditOf(untouched.id)).toHaveLength(1);
  });

  it('answers 409 "archive instead" when deleting a machine with history; archive hides it from lists', async () => {
    const { line } = await createLine('hist');
    const m = await create('/machines', { lineId: line.id, code: 'old', name: 'Old' });
    const spare = await create('/machines', { lineId: line.id, code: 'spare', name: 'Spare' });
    await t.db.prisma.machineStateInterval.createMany({
      data: [
        { machineId: m.id, state: 'DOWN', startedAt: new Date('2026-11-01T06:00:00Z') },
        {
          machineId: m.id,
          state: 'IDLE',
          startedAt: new Date('2026-11-01T05:00:00Z'),
          endedAt: new Date('2026-11-01T06:00:00Z'),
        },
      ],
    });
    const del = await admin.call('delete', `/machines/${m.id}`);
    expect(del.status).toBe(409);
    expect(del.body.title).toBe('Has history: archive instead');
    expect(del.body.detail).toContain('archive');
    expect(del.body.errors).toEqual([{ path: 'stateIntervals', message: '2 state intervals' }]);

    const archived = await admin.call('post', `/machines/${m.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect(archived.headers.etag).toBe('"2"');
    const listed = await viewer.call('get', `/machines?lineId=${line.id}`);
    expect(listed.body.items.map((x: { code: string }) => x.code)).toEqual(['spare']);
    const all = await viewer.call('get', `/machines?lineId=${line.id}&includeArchived=true`);
    expect(all.body.items.map((x: { code: string }) => x.code)).toEqual(['old', 'spare']);

    const unarchived = await admin.call('post', `/machines/${m.id}/unarchive`);
    expect(unarchived.body.archivedAt).toBeNull();
    expect((await auditOf(m.id)).map((e) => e.action)).toEqual([
      'machine.unarchived',
      'machine.archived',
      'machine.created',
    ]);
    // A machine without history can go.
    expect((await admin.call('delete', `/machines/${spare.id}`)).status).toBe(204);
  });

  it('refuses to place a machine on an archived line', async () => {
    const { line } = await createLine('arch-line');
    await admin.call('post', `/lines/${line.id}/archive`);
    const res = await admin.call('post', '/machines', { lineId: line.id, code: 'm', name: 'M' });
    expect(res.status).toBe(409);
    expect(fieldPaths(res)).toEqual(['body.lineId']);
  });

  it('searches by q and pages with a cursor ordered by code', async () => {
    const { line } = await createLine('page');
    for (const code of ['c', 'a', 'e', 'b', 'd'])
      await create('/machines', { lineId: line.id, code, name: `Mach ${code}` });
    const codes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/machines?lineId=${line.id}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const res = await viewer.call('get', query);
      expect(res.status).toBe(200);
      codes.push(...res.body.items.map((x: { code: string }) => x.code));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(codes).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
    const found = await viewer.call('get', `/machines?q=PAGE-LINE/D`);
    expect(found.body.items.map((x: { path: string }) => x.path)).toEqual(['page-site/page-area/page-line/d']);
    expect((await viewer.call('get', '/machines?cursor=garbage')).status).toBe(400);
    expect((await viewer.call('get', '/machines?limit=0')).status).toBe(400);
  });

  it('validates machine bodies with field paths', async () => {
    const res = await admin.call('post', '/machines', { lineId: randomUUID(), code: 'a/b', name: 'M', sequence: -1 });
    expect(fieldPaths(res)).toEqual(['body.code', 'body.sequence']);
  });
});

describe('products and ideal cycle times', () => {
  it('creates products, replaces ideal cycle times (If-Match on the product) and reads them back', async () => {
    const { line } = await createLine('ict');
    const machine = await create('/machines', { lineId: line.id, code: 'm', name: 'M' });
    const product = await create('/products', { code: 'gbx-200', name: 'Gearbox 200' });
    expect((await admin.call('post', '/products', { code: 'gbx-200', name: 'Again' })).status).toBe(409);

    const put = await admin.call(
      'put',
      `/products/${product.id}/ideal-cycle-times`,
      {
        items: [
          { lineId: line.id, idealCycleTimeSec: 12.5 },
          { machineId: machine.id, idealCycleTimeSec: 11 },
        ],
      },
      { 'if-match': '"1"' },
    );
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe('"2"');
    expect(put.body.items).toHaveLength(2);
    const replaced = await admin.call('put', `/products/${product.id}/ideal-cycle-times`, {
      items: [{ lineId: line.id, idealCycleTimeSec: 10 }],
    });
    expect(replaced.body.items).toEqual([
      { id: expect.any(String), lineId: line.id, machineId: null, idealCycleTimeSec: 10 },
    ]);
    const read = await viewer.call('get', `/products/${product.id}/ideal-cycle-times`);
    expect(read.body).toEqual(replaced.body);
    const stale = await admin.call(
      'put',
      `/products/${product.id}/ideal-cycle-times`,
      { items: [] },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    const [entry] = await auditOf(product.id);
    expect(entry).toMatchObject({
      action: 'product.ideal-cycle-times-replaced',
      before: { items: [expect.objectContaining({ idealCycleTimeSec: 12.5 }), expect.anything()] },
      after: { items: [expect.objectContaining({ idealCycleTimeSec: 10 })] },
    });
  });

  it('validates ideal cycle times: > 0, exactly one target, no duplicates, existing targets', async () => {
    const { line } = await createLine('ict-bad');
    const product = await create('/products', { code: 'ict-bad', name: 'P' });
    const bad = await admin.call('put', `/products/${product.id}/ideal-cycle-times`, {
      items: [
        { lineId: line.id, idealCycleTimeSec: 0 },
        { idealCycleTimeSec: 3 },
        { lineId: randomUUID(), machineId: randomUUID(), idealCycleTimeSec: 3 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad)).toEqual(['body.items.0.idealCycleTimeSec', 'body.items.1.lineId', 'body.items.2.lineId']);
    const dup = await admin.call('put', `/products/${product.id}/ideal-cycle-times`, {
      items: [
        { lineId: line.id, idealCycleTimeSec: 1 },
        { lineId: line.id, idealCycleTimeSec: 2 },
      ],
    });
    expect(fieldPaths(dup)).toEqual(['body.items.1.lineId']);
    const unknown = await admin.call('put', `/products/${product.id}/ideal-cycle-times`, {
      items: [{ machineId: randomUUID(), idealCycleTimeSec: 2 }],
    });
    expect(unknown.status).toBe(400);
    expect(fieldPaths(unknown)).toEqual(['body.items.0.machineId']);
    expect((await viewer.call('get', `/products/${randomUUID()}/ideal-cycle-times`)).status).toBe(404);
    expect((await admin.call('put', `/products/${randomUUID()}/ideal-cycle-times`, { items: [] })).status).toBe(404);
    const badProduct = await admin.call('post', '/products', { code: '', name: '  ' });
    expect(fieldPaths(badProduct)).toEqual(['body.code', 'body.name']);
  });

  it('answers 409 "archive instead" for a product used by a work order; archive and unarchive it', async () => {
    const product = await create('/products', { code: 'used', name: 'Used' });
    await t.db.prisma.workOrder.create({ data: { number: 'WO-1', productId: product.id, targetQuantity: 10 } });
    const del = await admin.call('delete', `/products/${product.id}`);
    expect(del.status).toBe(409);
    expect(del.body.errors).toEqual([{ path: 'workOrders', message: '1 work order' }]);
    await admin.call('post', `/products/${product.id}/archive`);
    const listed = await viewer.call('get', '/products');
    expect(listed.body.items.map((p: { code: string }) => p.code)).not.toContain('used');
    const all = await viewer.call('get', '/products?includeArchived=true');
    expect(all.body.items.map((p: { code: string }) => p.code)).toContain('used');
    expect((await admin.call('post', `/products/${product.id}/unarchive`)).body.archivedAt).toBeNull();
    const unused = await create('/products', { code: 'unused', name: 'Unused' });
    expect((await admin.call('delete', `/products/${unused.id}`)).status).toBe(204);
  });
});

describe('roles', () => {
  it('lets a VIEWER read and answers 403 to each of its writes', async () => {
    const { site, area, line } = await createLine('roles');
    const machine = await create('/machines', { lineId: line.id, code: 'm', name: 'M' });
    const product = await create('/products', { code: 'roles-p', name: 'P' });
    const ids: Record<string, string> = {
      sites: site.id,
      areas: area.id,
      lines: line.id,
      machines: machine.id,
      products: product.id,
    };
    for (const [resource, id] of Object.entries(ids)) {
      expect((await viewer.call('get', `/${resource}`)).status).toBe(200);
      expect((await viewer.call('get', `/${resource}/${id}`)).status).toBe(200);
      expect((await viewer.call('post', `/${resource}`, { code: 'x', name: 'x' })).status).toBe(403);
      expect((await viewer.call('patch', `/${resource}/${id}`, { name: 'x' })).status).toBe(403);
      expect((await viewer.call('delete', `/${resource}/${id}`)).status).toBe(403);
      expect((await viewer.call('post', `/${resource}/${id}/archive`)).status).toBe(403);
      expect((await viewer.call('post', `/${resource}/${id}/unarchive`)).status).toBe(403);
    }
    expect((await viewer.call('put', `/products/${product.id}/ideal-cycle-times`, { items: [] })).status).toBe(403);
    expect((await viewer.call('get', '/audit')).status).toBe(403);
    expect((await request(t.app).get('/api/v1/sites')).status).toBe(401);
  });
});

describe('documented examples', () => {
  it('answers every plant and audit operation, called by an ADMIN with its example and random ids, below 500', async () => {
    type Operation = { requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> } };
    const document = (await request(t.app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const failures: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      if (!/^\/(sites|areas|lines|machines|products|audit)\b/.test(path)) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const example = operation.requestBody?.content['application/json']?.schema.examples?.[0];
        const res = await admin.call(
          method as HttpMethod,
          path.replace(/\{\w+\}/g, randomUUID()),
          example as object | undefined,
        );
        if (res.status >= 500) failures.push(`${method} ${path}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
