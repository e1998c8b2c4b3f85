// /machines/status and /machines/:id/timeline: the read views of machines — the plant overview and one machine's
// state timeline. (The machines themselves are plant configuration: plant/plant.routes.ts.)
import {
  ZMachineStatusQuery,
  ZMachineStatusResponse,
  ZMachineTimelineQuery,
  ZMachineTimelineResponse,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { createMachineStatusReader } from './machine-status.service.ts';
import { getMachineTimeline } from './machine-timeline.service.ts';

/** How old an overview answer may be; the page refreshes every few seconds, the stream in between. */
const OVERVIEW_MAX_AGE_MS = 1_000;

export function machinesRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const readStatuses = createMachineStatusReader({ prisma, maxAgeMs: OVERVIEW_MAX_AGE_MS });
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
    defineRoute({
      method: 'get',
      path: '/machines/:id/timeline',
      access: 'VIEWER',
      summary: 'State intervals of a machine clipped to a range, with reason and product (paged with a cursor).',
      tags: ['machines'],
      schemas: { params: ZUuidParams, query: ZMachineTimelineQuery, response: ZMachineTimelineResponse },
      handler: ({ params, query }) => getMachineTimeline({ prisma, machineId: params.id, query }),
    }),
  ];
}
