// One signed-in caller for the API integration tests: signs in through POST /auth/login and sends the session cookie
// on every call, and the CSRF token on every write, as the SPA does.
import request from 'supertest';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, type TRole } from '@takt/contracts';
import { createUser, type TestApp } from './test-app.ts';

type Target = Parameters<typeof request>[0];
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type TestClient = {
  /** The signed-in user. */
  userId: string;
  /** The `Cookie` header of the session (session and CSRF cookies). */
  cookie: string;
  csrfToken: string;
  /** A call of `path` below /api/v1; `body` is sent as JSON when given. Await it, or chain `.send()`, `.query()`… */
  call(method: HttpMethod, path: string, body?: object, headers?: Record<string, string>): request.Test;
};

function cookieValue(setCookie: readonly string[], name: string): string {
  const line = setCookie.find((c) => c.startsWith(`${name}=`));
  return line?.slice(name.length + 1).split(';')[0] ?? '';
}

/** Signs in as `username` (an existing user) and returns a client for that session; throws when sign-in fails. */
export async function signIn(target: Target, username: string, password: string): Promise<TestClient> {
  const res = await request(target).post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}: ${JSON.stringify(res.body)}`);
  const setCookie = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const session = cookieValue(setCookie, SESSION_COOKIE);
  const csrfToken = cookieValue(setCookie, CSRF_COOKIE);
  const cookie = `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrfToken}`;
  return {
    userId: (res.body as { user: { id: string } }).user.id,
    cookie,
    csrfToken,
    call(method, path, body, headers = {}) {
      let call = request(target)[method](`/api/v1${path}`).set('cookie', cookie);
      if (method !== 'get') call = call.set(CSRF_HEADER, csrfToken);
      for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
      return body === undefined ? call : call.send(body);
    },
  };
}

/** Creates a user with `role` (named after the role unless `username` is given) and signs in as it. */
export async function signInAs(t: TestApp, role: TRole, username = role.toLowerCase()): Promise<TestClient> {
  const password = `${username}-secret-123`;
  await createUser(t.db, { username, password, role });
  return signIn(t.app, username, password);
}
