// /kpi: OEE, its explanation, the downtime Pareto and MTBF/MTTR of a site, area, line or machine over a range.
// Read-only, for every signed-in role; the query schemas reject from ≥ to and ranges that are too long (400), and an
// unknown scope id is a 404.
import {
  ZKpiExplainQuery,
  ZKpiExplainResponse,
  ZKpiMtbfMttrQuery,
  ZKpiMtbfMttrResponse,
  ZKpiOeeQuery,
  ZKpiOeeResponse,
  ZKpiParetoResponse,
  ZKpiRangeQuery,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { getDowntimePareto } from './downtime-pareto.service.ts';
import { getMtbfMttr } from './mtbf-mttr.service.ts';
import { explainOee } from './oee-explain.service.ts';
import { getOee } from './oee.service.ts';

export type KpiRoutesOptions = { prisma: PrismaClient };

export function kpiRoutes(options: KpiRoutesOptions): RouteDefinition[] {
  const { prisma } = options;
  return [
    defineRoute({
      method: 'get',
      path: '/kpi/oee',
      access: 'VIEWER',
      summary:
        'OEE of a site, area, line or machine: totals with loss waterfall, losses, a series and a breakdown per child.',
      tags: ['kpi'],
      schemas: { query: ZKpiOeeQuery, response: ZKpiOeeResponse },
      handler: ({ query }) => getOee({ prisma, query }),
    }),
    defineRoute({
      method: 'get',
      path: '/kpi/oee/explain',
      access: 'VIEWER',
      summary: 'The intervals, counts, calendar and ideal cycle times behind an OEE figure (at most 7 days).',
      tags: ['kpi'],
      schemas: { query: ZKpiExplainQuery, response: ZKpiExplainResponse },
      handler: ({ query }) => explainOee({ prisma, query }),
    }),
    defineRoute({
      method: 'get',
      path: '/kpi/downtime-pareto',
      access: 'VIEWER',
      summary: 'Unplanned down time by reason, largest first; unclassified stops are a bar of their own.',
      tags: ['kpi'],
      schemas: { query: ZKpiRangeQuery, response: ZKpiParetoResponse },
      handler: ({ query }) => getDowntimePareto({ prisma, query }),
    }),
    defineRoute({
      method: 'get',
      path: '/kpi/mtbf-mttr',
      access: 'VIEWER',
      summary: 'Mean time between failures and to repair (DOWN events), in total, per bucket and per child.',
      tags: ['kpi'],
      schemas: { query: ZKpiMtbfMttrQuery, response: ZKpiMtbfMttrResponse },
      handler: ({ query }) => getMtbfMttr({ prisma, query }),
    }),
  ];
}
