// User administration and the own-password change against a real PostgreSQL database.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';
import { signIn } from '../test/test-client.ts';

let t: TestApp;
let rootId: string;

beforeAll(async () => {
  t = await createTestApp('users');
  rootId = await createUser(t.db, { username: 'root', password: 'root-secret-123', role: 'ADMIN' });
  await createUser(t.db, { username: 'vera', password: 'vera-secret-123', role: 'VIEWER' });
});
afterAll(() => t.close());

async function isSignedIn(client: { cookie: string }): Promise<boolean> {
  return (await request(t.app).get('/api/v1/auth/me').set('cookie', client.cookie)).status === 200;
}

describe('users admin', () => {
  it('creates a user (201, no hash in the answer, audited without secrets) who can then sign in', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const res = await admin.call('post', '/users', {
      username: 'olga',
      displayName: 'Olga Operator',
      role: 'SUPERVISOR',
      password: 'olga-initial-pw',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'olga', role: 'SUPERVISOR', isDisabled: false, version: 1 });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|olga-initial-pw/);
    expect(res.headers.etag).toBe('"1"');
    await signIn(t.app, 'olga', 'olga-initial-pw');
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'user.created', entityId: res.body.id },
    });
    expect(audit.actorLabel).toBe('root');
    expect(JSON.stringify([audit.before, audit.after])).not.toMatch(/olga-initial-pw|argon2/);
  });

  it('rejects a short password and a taken username (case-insensitive) with field errors', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const short = await admin.call('post', '/users', {
      username: 'x1',
      displayName: 'X',
      role: 'VIEWER',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.password']);
    const taken = await admin.call('post', '/users', {
      username: 'VERA',
      displayName: 'Vera 2',
      role: 'VIEWER',
      password: 'long-enough-pass',
    });
    expect(taken.status).toBe(409);
    expect(taken.type).toBe('application/problem+json');
  });

  it('lists users page by page, never with password hashes', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const first = await admin.call('get', '/users?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.call('get', `/users?limit=2&cursor=${first.body.nextCursor}`);
    const usernames = [...first.body.items, ...second.body.items].map((u: { username: string }) => u.username);
    expect(usernames).toEqual([...usernames].sort());
    expect(usernames).toEqual(expect.arrayContaining(['root', 'vera']));
    expect(JSON.stringify(first.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('updates name and role (version bumped, If-Match honoured) and answers 404 for an unknown id', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const id = await createUser(t.db, { username: 'pat', password: 'pat-secret-123', role: 'VIEWER' });
    const res = await admin.call('patch', `/users/${id}`, { displayName: 'Pat Lee', role: 'SUPERVISOR' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Pat Lee', role: 'SUPERVISOR', version: 2 });
    const admin2 = await signIn(t.app, 'root', 'root-secret-123');
    const conflict = await admin2.call('patch', `/users/${id}`, { displayName: 'Lost update' }, { 'if-match': '"1"' });
    expect(conflict.status).toBe(412);
    const empty = await admin2.call('patch', `/users/${id}`, {});
    expect(empty.status).toBe(400);
    const missing = await admin2.call('patch', '/users/6f1c2a4e-1111-4c8e-9a2b-0c5d6e7f8a9b', { role: 'VIEWER' });
    expect(missing.status).toBe(404);
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.updated', entityId: id } });
    expect(audit.before).toMatchObject({ role: 'VIEWER' });
    expect(audit.after).toMatchObject({ role: 'SUPERVISOR', displayName: 'Pat Lee' });
  });

  it('disabling ends the user’s sessions and blocks sign-in; enabling lets them back in', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const id = await createUser(t.db, { username: 'dora', password: 'dora-secret-123', role: 'VIEWER' });
    const dora = await signIn(t.app, 'dora', 'dora-secret-123');
    expect(await isSignedIn(dora)).toBe(true);
    const disabled = await admin.call('post', `/users/${id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.isDisabled).toBe(true);
    expect(await isSignedIn(dora)).toBe(false);
    expect(await t.db.prisma.session.count({ where: { userId: id } })).toBe(0);
    expect(
      (await request(t.app).post('/api/v1/auth/login').send({ username: 'dora', password: 'dora-secret-123' })).status,
    ).toBe(401);
    const enabled = await admin.call('post', `/users/${id}/enable`);
    expect(enabled.body.isDisabled).toBe(false);
    await signIn(t.app, 'dora', 'dora-secret-123');
  });

  it('refuses (409) to disable or demote the last enabled ADMIN, and allows it once another admin exists', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const demote = await admin.call('patch', `/users/${rootId}`, { role: 'VIEWER' });
    expect(demote.status).toBe(409);
    expect(demote.body.title).toBe('Last administrator');
    expect((await admin.call('post', `/users/${rootId}/disable`)).status).toBe(409);
    // A renamed last admin is fine: only the role change is refused.
    expect((await admin.call('patch', `/users/${rootId}`, { displayName: 'Root Admin', role: 'ADMIN' })).status).toBe(
      200,
    );

    const id = await createUser(t.db, { username: 'ada2', password: 'ada2-secret-123', role: 'ADMIN' });
    const other = await signIn(t.app, 'ada2', 'ada2-secret-123');
    expect((await other.call('post', `/users/${rootId}/disable`)).status).toBe(200);
    // Now ada2 is the last one.
    expect((await other.call('patch', `/users/${id}`, { role: 'SUPERVISOR' })).status).toBe(409);
    expect((await other.call('post', `/users/${rootId}/enable`)).status).toBe(200);
  });

  it('resets a password: the old one stops working and the user’s sessions end', async () => {
    const admin = await signIn(t.app, 'root', 'root-secret-123');
    const id = await createUser(t.db, { username: 'rick', password: 'rick-secret-123', role: 'VIEWER' });
    const rick = await signIn(t.app, 'rick', 'rick-secret-123');
    const short = await admin.call('post', `/users/${id}/reset-password`, { password: 'tiny' });
    expect(short.status).toBe(400);
    const res = await admin.call('post', `/users/${id}/reset-password`, { password: 'rick-new-secret-9' });
    expect(res.status).toBe(200);
    expect(await isSignedIn(rick)).toBe(false);
    expect(
      (await request(t.app).post('/api/v1/auth/login').send({ username: 'rick', password: 'rick-secret-123' })).status,
    ).toBe(401);
    await signIn(t.app, 'rick', 'rick-new-secret-9');
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'user.password-reset', entityId: id },
    });
    expect(JSON.stringify([audit.before, audit.after])).not.toMatch(/rick-new-secret-9|argon2/);
  });

  it('is for ADMIN only: a VIEWER gets 403', async () => {
    const viewer = await signIn(t.app, 'vera', 'vera-secret-123');
    expect((await viewer.call('get', '/users')).status).toBe(403);
  });
});

describe('POST /auth/password', () => {
  it('answers 400 for a wrong current password and for a too-short new one, changing nothing', async () => {
    const vera = await signIn(t.app, 'vera', 'vera-secret-123');
    const wrong = await vera.call('post', '/auth/password', {
      currentPassword: 'nope',
      newPassword: 'vera-new-secret-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.type).toBe('application/problem+json');
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'body.currentPassword' })]);
    const short = await vera.call('post', '/auth/password', {
      currentPassword: 'vera-secret-123',
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.newPassword']);
    await signIn(t.app, 'vera', 'vera-secret-123');
  });

  it('changes the password and rotates sessions: other sessions end, the caller gets a new one', async () => {
    const id = await createUser(t.db, { username: 'cleo', password: 'cleo-secret-123', role: 'VIEWER' });
    const laptop = await signIn(t.app, 'cleo', 'cleo-secret-123');
    const phone = await signIn(t.app, 'cleo', 'cleo-secret-123');
    const res = await laptop.call('post', '/auth/password', {
      currentPassword: 'cleo-secret-123',
      newPassword: 'cleo-brand-new-2',
    });
    expect(res.status).toBe(204);
    const setCookie = res.headers['set-cookie'] as unknown as string[];
    const fresh = { cookie: setCookie.map((line) => line.split(';')[0]).join('; ') };
    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(laptop)).toBe(false);
    expect(await isSignedIn(fresh)).toBe(true);
    expect(await t.db.prisma.session.count({ where: { userId: id } })).toBe(1);
    expect(
      (await request(t.app).post('/api/v1/auth/login').send({ username: 'cleo', password: 'cleo-secret-123' })).status,
    ).toBe(401);
    await signIn(t.app, 'cleo', 'cleo-brand-new-2');
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'user.password-changed', entityId: id },
    });
    expect(JSON.stringify([audit.before, audit.after])).not.toMatch(/cleo-brand-new-2|cleo-secret-123/);
  });

  it('needs a session and the CSRF token', async () => {
    expect(
      (
        await request(t.app)
          .post('/api/v1/auth/password')
          .send({ currentPassword: 'a', newPassword: 'b'.repeat(12) })
      ).status,
    ).toBe(401);
    const vera = await signIn(t.app, 'vera', 'vera-secret-123');
    const noCsrf = await request(t.app)
      .post('/api/v1/auth/password')
      .set('cookie', vera.cookie)
      .send({ currentPassword: 'vera-secret-123', newPassword: 'vera-other-secret' });
    expect(noCsrf.status).toBe(403);
  });
});
