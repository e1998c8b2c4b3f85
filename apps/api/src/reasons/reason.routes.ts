// /downtime-reasons: the two-level reason tree (categories → reasons), with the CRUD template.
import {
  ZDowntimeReason,
  ZDowntimeReasonCreateRequest,
  ZDowntimeReasonTree,
  ZDowntimeReasonTreeQuery,
  ZDowntimeReasonUpdateRequest,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { crudRoutes } from '../crud/resource.routes.ts';
import type { RouteDefinition } from '../http/route.ts';
import { getReasonTree, reasonResource } from './reason.service.ts';

export function reasonRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  return crudRoutes({
    prisma: options.prisma,
    resource: reasonResource,
    basePath: '/downtime-reasons',
    tags: ['downtime-reasons'],
    access: { read: 'VIEWER', write: 'ADMIN' },
    isVersioned: true,
    summaries: {
      list: 'The downtime-reason tree: categories, each with its reasons.',
      create: "Create a category (no parent) or a reason under a category, with the category's kind.",
      update: 'Change a category or reason under the tree rules. Honours If-Match.',
      delete: 'Delete an unused reason or empty category; 409 when in use (archive it instead).',
      archive: 'Archive a reason (a category with its reasons): kept for history, hidden from pickers.',
    },
    schemas: {
      item: ZDowntimeReason,
      create: ZDowntimeReasonCreateRequest,
      update: ZDowntimeReasonUpdateRequest,
      listQuery: ZDowntimeReasonTreeQuery,
      listResponse: ZDowntimeReasonTree,
    },
    list: getReasonTree,
  });
}
