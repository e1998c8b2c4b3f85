// /machines/status: the plant overview.
import { ZMachineStatusQuery, ZMachineStatusResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { createMachineStatusReader } from './machine-status.service.ts';

/** How old an overview answer may be; the page refreshes every few seconds, the stream in between. */
const OVERVIEW_MAX_AGE_MS = 1_000;

export function machineStatusRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const readStatuses = createMachineStatusReader({ prisma: options.prisma, maxAgeMs: OVERVIEW_MAX_AGE_MS });
  return [
    defineRoute({
      method: 'get',
      path: '/machines/status',
      access: 'VIEWER',
      summary: 'Every machine with its current state, since when, why, and its last hour of counts.',
      tags: ['overview'],
      schemas: { query: ZMachineStatusQuery, response: ZMachineStatusResponse },
      handler: ({ query }) => readStatuses(query),
    }),
  ];
}
