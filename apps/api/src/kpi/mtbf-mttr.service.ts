// GET /kpi/mtbf-mttr: reliability of a scope: DOWN events, run time and DOWN time, MTBF = run time / events and
// MTTR = DOWN time / events (@takt/kpi rules: an event counts where it starts), in total, per bucket and per child.
import type { TKpiMtbfMttrQuery, TKpiMtbfMttrResponse, TKpiReliability } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { deriveKpis, type TKpiComponents } from '@takt/kpi';
import { computeScopeComponents } from './kpi-figures.service.ts';
import { iso, resolveScope } from './kpi-scope.service.ts';

export type TGetMtbfMttrOptions = { prisma: PrismaClient; query: TKpiMtbfMttrQuery; nowMs?: number };

/** MTBF and MTTR of a scope over a range. */
export async function getMtbfMttr(options: TGetMtbfMttrOptions): Promise<TKpiMtbfMttrResponse> {
  const { prisma, query } = options;
  const resolved = await resolveScope({
    prisma,
    query,
    nowMs: options.nowMs ?? Date.now(),
    isWithShiftPatterns: query.bucket === 'shift',
  });
  const figures = await computeScopeComponents({ prisma, resolved, bucket: query.bucket });
  return {
    scope: resolved.scope,
    from: iso(resolved.fromMs),
    to: iso(resolved.toMs),
    evaluatedTo: iso(resolved.evaluatedToMs),
    bucket: query.bucket,
    totals: reliabilityOf(figures.totals),
    series: figures.series.map((s) => ({
      from: iso(s.fromMs),
      to: iso(s.toMs),
      label: s.label,
      ...reliabilityOf(s.components),
    })),
    children: figures.children.map(({ components, ...child }) => ({ ...child, ...reliabilityOf(components) })),
  };
}

function reliabilityOf(c: TKpiComponents): TKpiReliability {
  const kpis = deriveKpis(c);
  return {
    downEventCount: c.downEventCount,
    runTimeSec: c.runTimeSec,
    downTimeSec: c.downTimeSec,
    mtbfSec: kpis.mtbfSec,
    mttrSec: kpis.mttrSec,
  };
}
