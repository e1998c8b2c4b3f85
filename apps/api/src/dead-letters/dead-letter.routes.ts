// /dead-letters: what the ingest could not apply (malformed payloads, unknown machines, invalid values).
import { ZDeadLetterList, ZDeadLetterQuery } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { listDeadLetters } from './dead-letter.service.ts';

export function deadLetterRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  return [
    defineRoute({
      method: 'get',
      path: '/dead-letters',
      access: 'ADMIN',
      summary: 'List dead letters, newest first; filter by source (kind or data source code) and time.',
      tags: ['ingest'],
      schemas: { query: ZDeadLetterQuery, response: ZDeadLetterList },
      handler: ({ query }) => listDeadLetters({ prisma, query }),
    }),
  ];
}
