// Every list route decodes its cursor with the one codec of @takt/contracts, and no forged cursor or filter instant
// reaches PostgreSQL: the routes are read from the route table (every GET whose query has `cursor`), so a new list
// that takes any string as its cursor fails here. A forged cursor answers 400 naming `query.cursor`; one the codec
// accepts (an odd but valid sort key) answers without a server error.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorTupleOf } from '@takt/contracts';
import { apiRoutes } from './app.ts';
import { jsonSchemaOf } from './openapi/openapi.document.ts';
import type { RouteDefinition } from './http/route.ts';
import { createTestApp, type TestApp } from './test/test-app.ts';
import { signInAs, type TestClient } from './test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let routes: RouteDefinition[];

beforeAll(async () => {
  t = await createTestApp('list_cursors');
  admin = await signInAs(t, 'ADMIN');
  routes = apiRoutes(t.options).filter((route) => route.method === 'get');
});
afterAll(() => t.close());

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const cursorOf = (tuple: unknown[]) => base64url(JSON.stringify(tuple));

/** Values a forger puts in a sort key: each element schema accepts some and refuses the others. */
const FORGED_ELEMENTS: unknown[] = [
  '-'.repeat(36),
  '00000000-0000-0000-0000-00000000000g',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999',
  '0',
  '-1',
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00.000Z',
  '+010000-01-01T00:00:00.000Z',
  '2026-02-30T00:00:00.000Z',
  'a\u0000b',
  '',
  'x'.repeat(300),
  42,
  null,
  ['nested'],
  {},
];

/** Cursors that are no tuple at all. */
const GARBAGE_CURSORS = ['!!!', 'abc', 'x'.repeat(501), base64url('not json'), base64url('{}'), base64url('[]')];

/** The query fields a route requires, filled with plausible values (ids of nothing, a one-day range). */
function requiredQuery(route: RouteDefinition): Record<string, string> {
  if (route.schemas.query === undefined) return {};
  const schema = jsonSchemaOf(route.schemas.query, 'input');
  const properties = (schema.properties ?? {}) as Record<string, { format?: string; enum?: string[] }>;
  const required = (schema.required ?? []) as string[];
  return Object.fromEntries(
    required.map((name) => {
      const property = properties[name] ?? {};
      if (name === 'from') return [name, '2026-01-05T00:00:00Z'];
      if (name === 'to') return [name, '2026-01-06T00:00:00Z'];
      if (property.format === 'uuid') return [name, randomUUID()];
      return [name, property.enum?.[0] ?? 'x'];
    }),
  );
}

const pathOf = (route: RouteDefinition) => route.path.replace(/:\w+/g, randomUUID());

function get(route: RouteDefinition, query: Record<string, string>) {
  return admin.call('get', pathOf(route)).query({ ...requiredQuery(route), ...query });
}

function queryShape(route: RouteDefinition): Record<string, z.ZodType> {
  return route.schemas.query instanceof z.ZodObject ? (route.schemas.query.shape as Record<string, z.ZodType>) : {};
}

const listRoutes = () => routes.filter((route) => 'cursor' in queryShape(route));

function errorPaths(body: { errors?: { path: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.path);
}

describe('list cursors', () => {
  it('are decoded by the cursor codec on every list route', () => {
    const lists = listRoutes();
    expect(lists.length).toBeGreaterThanOrEqual(14);
    const withoutCodec = lists.filter((route) => cursorTupleOf(queryShape(route).cursor) === undefined);
    expect(withoutCodec.map((route) => route.path)).toEqual([]);
  });

  it('answers 400 naming query.cursor for garbage and for every forged element, never a server error', async () => {
    const failures: string[] = [];
    for (const route of listRoutes()) {
      const tuple = cursorTupleOf(queryShape(route).cursor)!;
      const elements = tuple.def.items as z.ZodType[];
      const valid = elements.map((element) => (element.meta()?.examples as unknown[] | undefined)?.[0]);
      const first = await get(route, { cursor: cursorOf(valid) });
      if (first.status === 400 || first.status >= 500)
        failures.push(`${route.path}: a valid cursor answered ${first.status}`);
      const forgeries = [
        ...GARBAGE_CURSORS.map((cursor) => ({ cursor, isValid: false })),
        { cursor: cursorOf([...valid, valid[0]]), isValid: false },
        { cursor: cursorOf(valid.slice(1)), isValid: false },
        ...elements.flatMap((element, index) =>
          FORGED_ELEMENTS.map((forged) => ({
            cursor: cursorOf(valid.map((value, i) => (i === index ? forged : value))),
            isValid: element.safeParse(forged).success,
          })),
        ),
      ];
      for (const { cursor, isValid } of forgeries) {
        const res = await get(route, { cursor });
        const label = `${route.path} cursor ${Buffer.from(cursor, 'base64url').toString()}`;
        if (res.status >= 500) failures.push(`${label}: ${res.status}`);
        else if (!isValid && (res.status !== 400 || !errorPaths(res.body).includes('query.cursor'))) {
          failures.push(`${label}: ${res.status} ${JSON.stringify(res.body.errors)}`);
        } else if (!isValid && res.type !== 'application/problem+json') failures.push(`${label}: ${res.type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('round-trips: the nextCursor a list gives out is accepted by it', async () => {
    for (const code of ['a', 'b', 'c']) {
      expect((await admin.call('post', '/products', { code, name: code })).status).toBe(201);
    }
    const first = await admin.call('get', '/products?limit=2');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.call('get', '/products').query({ limit: 2, cursor: first.body.nextCursor as string });
    expect(second.status).toBe(200);
    expect(second.body.items.map((p: { code: string }) => p.code)).toEqual(['c']);
  });
});

describe('instants in list and KPI filters', () => {
  const instantFields = (route: RouteDefinition) => {
    if (route.schemas.query === undefined) return [];
    const properties = (jsonSchemaOf(route.schemas.query, 'input').properties ?? {}) as Record<
      string,
      { format?: string }
    >;
    return Object.entries(properties)
      .filter(([, property]) => property.format === 'date-time')
      .map(([name]) => name);
  };

  it('answers 400 for years PostgreSQL cannot store (0000, 10000) and accepts the first and last storable years', async () => {
    const failures: string[] = [];
    const checked = routes.filter((route) => instantFields(route).length > 0);
    expect(checked.length).toBeGreaterThanOrEqual(6);
    for (const route of checked) {
      for (const field of instantFields(route)) {
        for (const value of ['0000-01-01T00:00:00Z', '9999-12-31T23:00:00-05:00']) {
          const res = await get(route, { [field]: value });
          if (res.status !== 400 || !errorPaths(res.body).includes(`query.${field}`)) {
            failures.push(`${route.path} ${field}=${value}: ${res.status}`);
          }
        }
        const earliest = await get(route, field === 'to' ? {} : { [field]: '0001-01-01T00:00:00Z' });
        if (earliest.status >= 500) failures.push(`${route.path} ${field}=0001: ${earliest.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 400 for such instants in bodies too (planned downtime, due dates, splits)', async () => {
    const year0 = '0000-06-01T00:00:00Z';
    const bodies: [string, object, string][] = [
      ['/planned-downtime', { lineId: randomUUID(), startsAt: year0, endsAt: '2026-01-01T00:00:00Z' }, 'body.startsAt'],
      ['/work-orders', { number: 'WO-Y0', productId: randomUUID(), targetQuantity: 1, dueAt: year0 }, 'body.dueAt'],
      [`/downtime-intervals/1/split`, { at: year0 }, 'body.at'],
    ];
    for (const [path, body, field] of bodies) {
      const res = await admin.call('post', path, body);
      expect(res.status, path).toBe(400);
      expect(errorPaths(res.body), path).toContain(field);
    }
  });
});
