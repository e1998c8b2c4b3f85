// /audit: the append-only change log, for admins.
import { listOf, ZAuditEntry, ZAuditQuery } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { queryAuditLog } from './audit-query.service.ts';

export function auditRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      access: 'ADMIN',
      summary: 'Audit log entries (who, what, before/after, when, request id), newest first; keyset pages.',
      tags: ['audit'],
      schemas: { query: ZAuditQuery, response: listOf(ZAuditEntry) },
      handler: ({ query }) => queryAuditLog(prisma, query),
    }),
  ];
}
