// Sign-in, sessions and CSRF against a real PostgreSQL database.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@takt/contracts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('auth', {
    app: {
      loginRateLimit: {
        perAccount: { maxFailures: 3, windowMs: 60_000 },
        perIp: { maxFailures: 1_000, windowMs: 60_000 },
      },
    },
  });
  await createUser(t.db, { username: 'ada', password: 'ada-secret-1', role: 'SUPERVISOR' });
  await createUser(t.db, { username: 'gone', password: 'gone-secret-1', role: 'VIEWER', isDisabled: true });
  await createUser(t.db, { username: 'limited', password: 'limited-secret-1', role: 'VIEWER' });
});
afterAll(() => t.close());

function cookieValue(setCookie: string[] | undefined, name: string): string | undefined {
  const line = (setCookie ?? []).find((c) => c.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0];
}

async function signIn(username = 'ada', password = 'ada-secret-1') {
  const res = await request(t.app).post('/api/v1/auth/login').send({ username, password });
  const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
  return {
    res,
    setCookie,
    session: cookieValue(setCookie, SESSION_COOKIE) ?? '',
    csrf: cookieValue(setCookie, CSRF_COOKIE) ?? '',
  };
}

describe('POST /auth/login', () => {
  it('starts a session: httpOnly SameSite cookie, readable CSRF cookie, the user in the body', async () => {
    const { res, setCookie, session, csrf } = await signIn();
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'ada', role: 'SUPERVISOR', displayName: 'ada (test)' });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const sessionLine = setCookie?.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(sessionLine).toMatch(/HttpOnly/);
    expect(sessionLine).toMatch(/SameSite=Lax/);
    expect(sessionLine).not.toMatch(/Secure/);
    expect(setCookie?.find((c) => c.startsWith(`${CSRF_COOKIE}=`))).not.toMatch(/HttpOnly/);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only a hash of the token is stored.
    const stored = await t.db.prisma.session.findMany({ select: { tokenHash: true } });
    expect(stored.map((s) => s.tokenHash)).not.toContain(session);
  });

  it.each([
    ['a wrong password', 'ada', 'nope'],
    ['an unknown user', 'nobody', 'whatever'],
    ['a disabled user', 'gone', 'gone-secret-1'],
  ])('answers 401 problem+json with one message for %s', async (_case, username, password) => {
    const res = await request(t.app).post('/api/v1/auth/login').send({ username, password });
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, title: 'Sign-in failed', detail: 'Invalid username or password.' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 400 with field errors for an invalid body', async () => {
    const res = await request(t.app).post('/api/v1/auth/login').send({ username: '', password: 42 });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.password', 'body.username']);
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON body', async () => {
    const malformed = await request(t.app)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.title).toBe('Malformed JSON');
    const form = await request(t.app).post('/api/v1/auth/login').type('form').send('username=ada&password=x');
    expect(form.status).toBe(415);
  });

  it('rate-limits failed attempts per account with 429 and Retry-After, even for the right password', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await request(t.app).post('/api/v1/auth/login').send({ username: 'limited', password: 'bad' })).status,
      ).toBe(401);
    }
    const blocked = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ username: 'limited', password: 'limited-secret-1' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.type).toBe('application/problem+json');
  });

  it('rotates the session: signing in again ends the session the client held', async () => {
    const first = await signIn();
    const second = await request(t.app)
      .post('/api/v1/auth/login')
      .set('cookie', `${SESSION_COOKIE}=${first.session}`)
      .send({ username: 'ada', password: 'ada-secret-1' });
    expect(second.status).toBe(200);
    const old = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=${first.session}`);
    expect(old.status).toBe(401);
  });
});

describe('GET /auth/me and sessions', () => {
  it('answers the user for a valid session and 401 problem+json without one', async () => {
    const { session } = await signIn();
    const me = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=${session}`);
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('ada');
    const anonymous = await request(t.app).get('/api/v1/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.type).toBe('application/problem+json');
    const forged = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=forged`);
    expect(forged.status).toBe(401);
  });

  it('expires a session idle for longer than the idle timeout', async () => {
    const { session } = await signIn();
    await t.db.prisma.session.updateMany({ data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    const res = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=${session}`);
    expect(res.status).toBe(401);
  });

  it('expires a session past its absolute lifetime even when active', async () => {
    const { session } = await signIn();
    await t.db.prisma.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=${session}`);
    expect(res.status).toBe(401);
  });
});

describe('POST /auth/logout', () => {
  it('refuses a cookie-authenticated write without the CSRF token (403)', async () => {
    const { session } = await signIn();
    const res = await request(t.app).post('/api/v1/auth/logout').set('cookie', `${SESSION_COOKIE}=${session}`);
    expect(res.status).toBe(403);
    expect(res.body.title).toBe('CSRF token missing or invalid');
    const wrong = await request(t.app)
      .post('/api/v1/auth/logout')
      .set('cookie', `${SESSION_COOKIE}=${session}`)
      .set(CSRF_HEADER, 'x'.repeat(43));
    expect(wrong.status).toBe(403);
  });

  it('ends the session with the CSRF token (204), after which the cookie is worthless', async () => {
    const { session, csrf } = await signIn();
    const res = await request(t.app)
      .post('/api/v1/auth/logout')
      .set('cookie', `${SESSION_COOKIE}=${session}`)
      .set(CSRF_HEADER, csrf);
    expect(res.status).toBe(204);
    const me = await request(t.app).get('/api/v1/auth/me').set('cookie', `${SESSION_COOKIE}=${session}`);
    expect(me.status).toBe(401);
  });

  it('answers 401 to an anonymous caller', async () => {
    expect((await request(t.app).post('/api/v1/auth/logout')).status).toBe(401);
  });
});
