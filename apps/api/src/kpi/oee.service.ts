// GET /kpi/oee: OEE of a scope over a range, with its components, loss waterfall and losses, a series per bucket
// and a breakdown per child. Every figure is derived from summed components (@takt/kpi deriveKpis).
import type { TKpiFigures, TKpiOeeQuery, TKpiOeeResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { computeLossWaterfall, deriveKpis, type TKpiComponents, type TLossWaterfall } from '@takt/kpi';
import { computeScopeComponents } from './kpi-figures.service.ts';
import { iso, resolveScope } from './kpi-scope.service.ts';

export type TGetOeeOptions = {
  prisma: PrismaClient;
  query: TKpiOeeQuery;
  nowMs?: number;
  /** false: compute from the raw tables only (benchmark baseline). */
  useRollups?: boolean;
};

/** The OEE answer for a scope, range and bucket. */
export async function getOee(options: TGetOeeOptions): Promise<TKpiOeeResponse> {
  const startedMs = performance.now();
  const { prisma, query } = options;
  const resolved = await resolveScope({
    prisma,
    query,
    nowMs: options.nowMs ?? Date.now(),
    isWithShiftPatterns: query.bucket === 'shift',
  });
  const figures = await computeScopeComponents({
    prisma,
    resolved,
    bucket: query.bucket,
    useRollups: options.useRollups,
  });
  const lossWaterfall = computeLossWaterfall(figures.totals);
  return {
    scope: resolved.scope,
    from: iso(resolved.fromMs),
    to: iso(resolved.toMs),
    evaluatedTo: iso(resolved.evaluatedToMs),
    bucket: query.bucket,
    totals: { ...figuresOf(figures.totals), lossWaterfall },
    losses: lossesOf(figures.totals, lossWaterfall),
    series: figures.series.map((s) => ({
      from: iso(s.fromMs),
      to: iso(s.toMs),
      label: s.label,
      localDate: s.localDate,
      shiftCode: s.shiftCode,
      ...figuresOf(s.components),
    })),
    children: figures.children.map(({ components, ...child }) => ({ ...child, ...figuresOf(components) })),
    computation: { ...figures.stats, durationMs: Math.round((performance.now() - startedMs) * 10) / 10 },
  };
}

/** Components with the KPIs derived from them. */
export function figuresOf(components: TKpiComponents): TKpiFigures {
  return { components, kpis: deriveKpis(components) };
}

// The losses between planned production time and fully productive time, largest first.
function lossesOf(c: TKpiComponents, waterfall: TLossWaterfall): TKpiOeeResponse['losses'] {
  const share = (sec: number) => (c.plannedBusyTimeSec > 0 ? sec / c.plannedBusyTimeSec : null);
  const losses: TKpiOeeResponse['losses'] = [
    { code: 'BREAKDOWN', label: 'Breakdowns (DOWN)', durationSec: c.downTimeSec, shareOfPlannedTime: null },
    { code: 'SETUP', label: 'Setup and changeover', durationSec: c.setupTimeSec, shareOfPlannedTime: null },
    { code: 'IDLE', label: 'Idle: starved, blocked, waiting', durationSec: c.idleTimeSec, shareOfPlannedTime: null },
    { code: 'DATA_GAP', label: 'No data (offline)', durationSec: c.offlineTimeSec, shareOfPlannedTime: null },
    {
      code: 'PERFORMANCE',
      label: 'Slow cycles and small stops',
      durationSec: waterfall.seconds.performanceLoss,
      shareOfPlannedTime: null,
    },
    { code: 'QUALITY', label: 'Rejects', durationSec: waterfall.seconds.qualityLoss, shareOfPlannedTime: null },
  ];
  return losses
    .map((loss) => ({ ...loss, shareOfPlannedTime: share(loss.durationSec) }))
    .sort((a, b) => b.durationSec - a.durationSec);
}
