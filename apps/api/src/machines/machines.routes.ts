// /machines/:id: read views of one machine (its state timeline).
import { ZMachineTimelineQuery, ZMachineTimelineResponse, ZUuidParams } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { getMachineTimeline } from './machine-timeline.service.ts';

export function machinesRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  return [
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
