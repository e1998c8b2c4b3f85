// Ingest API token lifecycle against a real PostgreSQL database: shown once, hashed at rest, revocable.
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTokenMiddleware } from '../ingest/ingest-token.middleware.ts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';
import { signIn, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;

/** A stand-in INGEST route: answers 200 with the token's name, 401 without a valid token. */
function ingestProbe(): express.Express {
  const app = express();
  app.use(ingestTokenMiddleware(t.db.prisma));
  app.post('/probe', (_req, res) => {
    const token = res.locals.ingestToken;
    if (token === null || token === undefined) res.status(401).end();
    else res.json({ name: token.name });
  });
  return app;
}

beforeAll(async () => {
  t = await createTestApp('ingest_tokens');
  await createUser(t.db, { username: 'root', password: 'root-secret-123', role: 'ADMIN' });
  await createUser(t.db, { username: 'sam', password: 'sam-secret-123', role: 'SUPERVISOR' });
  admin = await signIn(t.app, 'root', 'root-secret-123');
});
afterAll(() => t.close());

const post = (path: string, body?: object) => admin.call('post', path, body);
const get = (path: string) => admin.call('get', path);

describe('ingest tokens', () => {
  it('creates a token shown once, stores only its hash, lists it without the secret, and revokes it', async () => {
    const created = await post('/ingest-tokens', { name: 'node-red line 2' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = created.body.token as string;
    expect(token).toMatch(/^takt_ing_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      name: 'node-red line 2',
      createdBy: 'root',
      isRevoked: false,
      lastUsedAt: null,
    });
    expect(token.startsWith(created.body.prefix)).toBe(true);

    // At rest: no plaintext anywhere in the row, nor in the audit log.
    const row = await t.db.prisma.ingestToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(Object.values(row).map(String)).not.toContain(token);
    expect(row.tokenHash).not.toContain(token.slice(9));
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'ingest-token.created' } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(token.slice(9));

    const list = await get('/ingest-tokens');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, prefix: created.body.prefix })]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.items[0]).not.toHaveProperty('token');
    expect(list.body.items[0]).not.toHaveProperty('tokenHash');

    const probe = ingestProbe();
    const used = await request(probe).post('/probe').set('authorization', `Bearer ${token}`);
    expect(used.status).toBe(200);
    expect(used.body.name).toBe('node-red line 2');
    expect((await get('/ingest-tokens')).body.items[0].lastUsedAt).toEqual(expect.any(String));

    const revoked = await post(`/ingest-tokens/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ isRevoked: true, revokedAt: expect.any(String) });
    expect((await request(probe).post('/probe').set('authorization', `Bearer ${token}`)).status).toBe(401);
    // Revoking again is harmless and is not audited twice.
    expect((await post(`/ingest-tokens/${created.body.id}/revoke`)).status).toBe(200);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'ingest-token.revoked' } })).toBe(1);
  });

  it('answers 400 for a blank name, 404 for an unknown token, 403 for a SUPERVISOR', async () => {
    const blank = await post('/ingest-tokens', { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.name']);
    expect((await post('/ingest-tokens/6f1c2a4e-1111-4c8e-9a2b-0c5d6e7f8a9b/revoke')).status).toBe(404);
    const sam = await signIn(t.app, 'sam', 'sam-secret-123');
    expect((await sam.call('get', '/ingest-tokens')).status).toBe(403);
  });

  it('pages the list newest first', async () => {
    for (const name of ['a', 'b', 'c']) expect((await post('/ingest-tokens', { name })).status).toBe(201);
    const first = await get('/ingest-tokens?limit=2');
    expect(first.body.items.map((i: { name: string }) => i.name)).toEqual(['c', 'b']);
    const second = await get(`/ingest-tokens?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { name: string }) => i.name)).toEqual(['a', 'node-red line 2']);
    expect(second.body.nextCursor).toBeNull();
    expect((await get('/ingest-tokens?cursor=nonsense')).status).toBe(400);
  });
});
