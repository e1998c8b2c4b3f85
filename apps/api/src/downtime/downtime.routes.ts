// /downtime-intervals: the stops of a scope, and their classification by supervisors (assign or change a reason,
// several at once, split a stop).
import {
  ZDowntimeClassifyRequest,
  ZDowntimeIntervalItems,
  ZDowntimeIntervalList,
  ZDowntimeIntervalListQuery,
  ZDowntimeIntervalParams,
  ZDowntimeSplitRequest,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { classifyDowntime, splitDowntime } from './downtime-classification.service.ts';
import { listDowntimeIntervals } from './downtime-list.service.ts';

export function downtimeRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['downtime'];
  return [
    defineRoute({
      method: 'get',
      path: '/downtime-intervals',
      access: 'VIEWER',
      summary: 'Stops (DOWN, IDLE, CHANGEOVER, OFFLINE, PLANNED_STOP) of a scope over a range, newest first.',
      tags,
      schemas: { query: ZDowntimeIntervalListQuery, response: ZDowntimeIntervalList },
      handler: ({ query }) => listDowntimeIntervals({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/downtime-intervals/classify',
      access: 'SUPERVISOR',
      summary: 'Assign or change the reason of one or several stops (all or none); KPIs reflect it at once.',
      tags,
      schemas: { body: ZDowntimeClassifyRequest, response: ZDowntimeIntervalItems },
      handler: ({ body, change }) => classifyDowntime({ prisma, change, body }),
    }),
    defineRoute({
      method: 'post',
      path: '/downtime-intervals/:id/split',
      access: 'SUPERVISOR',
      summary: 'Split a stop in two at an instant inside it, optionally classifying each part.',
      tags,
      schemas: { params: ZDowntimeIntervalParams, body: ZDowntimeSplitRequest, response: ZDowntimeIntervalItems },
      handler: ({ params, body, change }) => splitDowntime({ prisma, change, id: params.id, body }),
    }),
  ];
}
