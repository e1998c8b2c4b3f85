// The OpenAPI 3.1 document, generated from the declarative route list and its zod schemas (the same
// schemas that validate requests), so the document cannot drift from what the API does.
import { z } from 'zod';
import { ZProblem } from '@takt/contracts';
import { APP_ERROR_STATUS, type AppErrorCode } from '../http/app-error.ts';
import type { RouteDefinition } from '../http/route.ts';

export type JsonSchema = Record<string, unknown>;
type Parameter = { name: string; in: 'path' | 'query'; required: boolean; description?: string; schema: JsonSchema };
type MediaType = { schema: JsonSchema };
type Response = { description: string; content?: Record<string, MediaType> };

export type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  'x-takt-access': RouteDefinition['access'];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: true; content: Record<string, MediaType> };
  responses: Record<string, Response>;
};

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
};

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema, as the client sends (`input`) or receives (`output`) it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/machines/:id` → `/machines/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function operationId(route: RouteDefinition): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/^:/, 'by-'))
    .flatMap((part) => part.split('-'));
  return [route.method, ...words].map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): Parameter[] {
  if (schema === undefined) return [];
  const objectSchema = jsonSchemaOf(schema, 'input');
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof propertySchema.description === 'string' ? { description: propertySchema.description } : {}),
    schema: propertySchema,
  }));
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function problemResponse(description: string): Response {
  return { description, content: PROBLEM_CONTENT };
}

const CSV_CONTENT = { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv' } } };

function successResponse(route: RouteDefinition): Response {
  if (route.media?.response === 'text/csv')
    return { description: 'Success: a CSV file (UTF-8, RFC 4180).', content: CSV_CONTENT };
  if (route.schemas.response === undefined || route.successStatus === 204)
    return { description: 'Success, no content.' };
  return {
    description: 'Success.',
    content: { 'application/json': { schema: jsonSchemaOf(route.schemas.response, 'output') } },
  };
}

function requestBodyOf(route: RouteDefinition): Operation['requestBody'] {
  if (route.media?.requestBody === 'text/csv') return { required: true, content: CSV_CONTENT };
  if (route.schemas.body === undefined) return undefined;
  return { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.schemas.body, 'input') } } };
}

function operationOf(route: RouteDefinition): Operation {
  const { schemas } = route;
  const parameters = [...parametersOf(schemas.params, 'path'), ...parametersOf(schemas.query, 'query')];
  const requestBody = requestBodyOf(route);
  const responses: Record<string, Response> = { [String(route.successStatus ?? 200)]: successResponse(route) };
  if (parameters.length > 0 || schemas.body !== undefined) {
    responses['400'] = problemResponse('Invalid request: see `errors`.');
  }
  if (route.access === 'INGEST') {
    responses['401'] = problemResponse('Missing, unknown or revoked ingest token.');
  } else if (route.access !== 'public') {
    responses['401'] = problemResponse('Not signed in, or the session expired.');
    responses['403'] = problemResponse(`Needs the ${route.access} role, or the CSRF token is missing on a write.`);
  }
  if (requestBody !== undefined) responses['415'] = problemResponse('The body is not of the documented media type.');
  responses['500'] = problemResponse('Unexpected error; quote the request id.');
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: route.tags,
    'x-takt-access': route.access,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(route.access === 'INGEST' ? { security: [{ ingestToken: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody === undefined ? {} : { requestBody }),
    responses,
  };
}

export const PROBLEM_CODES = Object.keys(APP_ERROR_STATUS) as AppErrorCode[];

export function buildOpenApiDocument(routes: readonly RouteDefinition[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Takt API',
      version,
      description:
        'REST API of Takt, an open-source MES. Errors are RFC 9457 problem details. Sign in with ' +
        'POST /auth/login; the session cookie then authenticates, and every write also sends the ' +
        'takt_csrf cookie value in the x-csrf-token header. `x-takt-access` states who may call an operation.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ session: [] }],
    paths,
    components: {
      schemas: { Problem: jsonSchemaOf(ZProblem, 'output') },
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'takt_session',
          description: 'Session cookie set by POST /auth/login.',
        },
      },
    },
  };
}
