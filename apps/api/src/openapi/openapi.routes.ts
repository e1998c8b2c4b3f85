// /openapi.json: the API's own description, public so that tools can read it before signing in.
import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import type { OpenApiDocument } from './openapi.document.ts';

export function openApiRoutes(getDocument: () => OpenApiDocument): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      access: 'public',
      summary: 'This API as an OpenAPI 3.1 document.',
      tags: ['meta'],
      schemas: { response: z.record(z.string(), z.unknown()).meta({ description: 'OpenAPI 3.1 document' }) },
      handler: async () => getDocument(),
    }),
  ];
}
