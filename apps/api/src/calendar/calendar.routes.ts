// /shift-patterns and /planned-downtime: the site shift calendars and scheduled planned downtime (CRUD template).
import {
  ZPlannedDowntime,
  ZPlannedDowntimeCreateRequest,
  ZPlannedDowntimeListQuery,
  ZPlannedDowntimeUpdateRequest,
  ZShiftPattern,
  ZShiftPatternCreateRequest,
  ZShiftPatternListQuery,
  ZShiftPatternUpdateRequest,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { crudRoutes } from '../crud/resource.routes.ts';
import type { RouteDefinition } from '../http/route.ts';
import { listPlannedDowntime, plannedDowntimeResource } from './planned-downtime.service.ts';
import { listShiftPatterns, shiftPatternResource } from './shift-pattern.service.ts';

export function calendarRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const common = { prisma, tags: ['calendar'], access: { read: 'VIEWER', write: 'ADMIN' } as const };
  return [
    ...crudRoutes({
      ...common,
      resource: shiftPatternResource,
      basePath: '/shift-patterns',
      isVersioned: true,
      summaries: {
        list: 'List shift patterns (optionally of one site) with their shifts and breaks.',
        create: 'Create a shift pattern of a site with its shifts and breaks; overlapping shifts are rejected.',
        get: 'One shift pattern with its shifts and breaks (ETag = version).',
        update: 'Update a shift pattern; `shifts` replaces all its shifts and breaks at once. Honours If-Match.',
        delete: 'Delete a shift pattern no line uses (409 naming the lines otherwise). Honours If-Match.',
      },
      schemas: {
        item: ZShiftPattern,
        create: ZShiftPatternCreateRequest,
        update: ZShiftPatternUpdateRequest,
        listQuery: ZShiftPatternListQuery,
      },
      list: listShiftPatterns,
    }),
    ...crudRoutes({
      ...common,
      resource: plannedDowntimeResource,
      basePath: '/planned-downtime',
      isVersioned: false,
      summaries: {
        list: 'List scheduled planned downtime overlapping [from, to), optionally of one line or machine.',
        create: 'Schedule planned downtime for a line or a machine (exactly one), with an optional PLANNED reason.',
        update: 'Change scheduled planned downtime.',
        delete: 'Remove scheduled planned downtime.',
      },
      schemas: {
        item: ZPlannedDowntime,
        create: ZPlannedDowntimeCreateRequest,
        update: ZPlannedDowntimeUpdateRequest,
        listQuery: ZPlannedDowntimeListQuery,
      },
      list: listPlannedDowntime,
    }),
  ];
}
