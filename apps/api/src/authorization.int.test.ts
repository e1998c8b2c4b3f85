// The authorisation matrix: every operation of the OpenAPI document, called as anonymous, as each
// role and with an ingest token, answers according to its declared `x-takt-access` — 401 without the
// right kind of credential, 403 below the required role, never 401/403 when allowed.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, ROLES, hasRole, type TRole } from '@takt/contracts';
import { newIngestToken } from './ingest/ingest-token.middleware.ts';
import type { OpenApiDocument, Operation } from './openapi/openapi.document.ts';
import { createTestApp, createUser, type TestApp } from './test/test-app.ts';
import { signIn } from './test/test-client.ts';

let t: TestApp;
let document: OpenApiDocument;
let ingestToken: string;

beforeAll(async () => {
  t = await createTestApp('authz');
  // The demo users, so that the documented sign-in example signs in.
  for (const role of ROLES)
    await createUser(t.db, { username: role.toLowerCase(), password: `takt-${role.toLowerCase()}`, role });
  const created = newIngestToken();
  await t.db.prisma.ingestToken.create({
    data: { name: 'matrix', tokenHash: created.tokenHash, prefix: created.prefix },
  });
  ingestToken = created.token;
  document = (await request(t.app).get('/api/v1/openapi.json')).body as OpenApiDocument;
});
afterAll(() => t.close());

type Caller = 'anonymous' | 'ingest-token' | TRole;
const CALLERS: Caller[] = ['anonymous', 'ingest-token', ...ROLES];

/** A fresh session per call, so that a call that ends a session (logout) cannot affect the next. */
async function credentialsFor(caller: Caller): Promise<{ cookie?: string; csrf?: string; bearer?: string }> {
  if (caller === 'anonymous') return {};
  if (caller === 'ingest-token') return { bearer: ingestToken };
  const client = await signIn(t.app, caller.toLowerCase(), `takt-${caller.toLowerCase()}`);
  return { cookie: client.cookie, csrf: client.csrfToken };
}

function expectedOutcome(access: Operation['x-takt-access'], caller: Caller): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (access === 'INGEST') return caller === 'ingest-token' ? 'allowed' : 401;
  if (caller === 'anonymous' || caller === 'ingest-token') return 401;
  return hasRole(caller, access) ? 'allowed' : 403;
}

const cases = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) =>
      CALLERS.map((caller) => ({ path, method, operation, caller })),
    ),
  );

describe('authorisation matrix', () => {
  it('covers at least every operation once per caller', () => {
    expect(cases().length).toBe(Object.values(document.paths).flatMap((m) => Object.keys(m)).length * CALLERS.length);
  });

  it('answers every operation for every caller as its declared access says', async () => {
    const failures: string[] = [];
    for (const { path, method, operation, caller } of cases()) {
      const url = `/api/v1${path.replace(/\{\w+\}/g, randomUUID())}`;
      const { cookie, csrf, bearer } = await credentialsFor(caller);
      let call = request(t.app)[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
      if (cookie !== undefined) call = call.set('cookie', cookie);
      if (bearer !== undefined) call = call.set('authorization', `Bearer ${bearer}`);
      if (csrf !== undefined && method !== 'get') call = call.set(CSRF_HEADER, csrf);
      const example = (
        operation.requestBody?.content['application/json']?.schema.examples as unknown[] | undefined
      )?.[0];
      const res = await (operation.requestBody === undefined ? call : call.send(example as object));
      const expected = expectedOutcome(operation['x-takt-access'], caller);
      const isOk = expected === 'allowed' ? res.status !== 401 && res.status !== 403 : res.status === expected;
      if (!isOk) failures.push(`${method.toUpperCase()} ${path} as ${caller}: got ${res.status}, expected ${expected}`);
      if (res.status === 401 || res.status === 403) expect(res.type).toBe('application/problem+json');
    }
    expect(failures).toEqual([]);
  });
});
