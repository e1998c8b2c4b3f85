// The OpenAPI document covers every mounted route, is served and rendered, and every example in it
// validates against the zod schema it documents.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiRoutes, buildApiRouter } from '../app.ts';
import type { RouteDefinition } from '../http/route.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { openApiPath, type OpenApiDocument } from './openapi.document.ts';

let t: TestApp;
let document: OpenApiDocument;
let routes: RouteDefinition[];

beforeAll(async () => {
  t = await createTestApp('openapi');
  routes = apiRoutes(t.options);
  document = (await request(t.app).get('/api/v1/openapi.json')).body as OpenApiDocument;
});
afterAll(() => t.close());

type RouterLayer = { route?: { path: string; methods: Record<string, boolean> } };

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with the problem schema and session security', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.schemas.Problem).toMatchObject({ type: 'object' });
    expect(document.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: 'takt_session' });
  });

  it('documents every route mounted on /api/v1 — even one mounted around the declarative list', () => {
    const stack = (buildApiRouter(t.options, routes) as unknown as { stack: RouterLayer[] }).stack;
    const mounted = stack.flatMap((layer) =>
      layer.route === undefined
        ? []
        : Object.keys(layer.route.methods).map((method) => `${method} ${openApiPath(layer.route!.path)}`),
    );
    expect(mounted.length).toBeGreaterThanOrEqual(routes.length);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(mounted.sort());
  });

  it('states who may call each operation, and 401/403 for the protected ones', () => {
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        expect(['public', 'VIEWER', 'SUPERVISOR', 'ADMIN', 'INGEST']).toContain(operation['x-takt-access']);
        if (operation['x-takt-access'] === 'INGEST') expect(Object.keys(operation.responses)).toContain('401');
        else if (operation['x-takt-access'] !== 'public') {
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
        }
      }
    }
  });

  it('holds examples that validate against the schemas they document (every request body has one)', () => {
    const parseExamples = (
      schema: z.ZodType | undefined,
      jsonSchema: Record<string, unknown> | undefined,
      label: string,
    ) => {
      const examples = (jsonSchema?.examples ?? []) as unknown[];
      for (const example of examples) {
        const result = schema!.safeParse(example);
        expect(result.success, `${label}: example ${JSON.stringify(example)} is invalid`).toBe(true);
      }
      return examples.length;
    };
    for (const route of routes) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method];
      expect(operation, `${route.method} ${route.path} missing`).toBeDefined();
      const label = `${route.method.toUpperCase()} ${route.path}`;
      const body = operation!.requestBody?.content['application/json']?.schema;
      if (route.schemas.body !== undefined) {
        expect(
          parseExamples(route.schemas.body, body, `${label} body`),
          `${label} has no body example`,
        ).toBeGreaterThan(0);
      }
      const success = Object.entries(operation!.responses).find(([status]) => status.startsWith('2'))?.[1];
      parseExamples(route.schemas.response, success?.content?.['application/json']?.schema, `${label} response`);
    }
  });
});

describe('GET /api/docs', () => {
  it('renders every operation and an anchor for each problem type', async () => {
    const res = await request(t.app).get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    for (const route of routes) expect(res.text).toContain(`<code>${openApiPath(route.path)}</code>`);
    expect(res.text).toContain('id="problem-unauthenticated"');
  });
});
