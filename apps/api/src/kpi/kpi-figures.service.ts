// Components of a resolved scope over its range, for the totals, each series bucket and each child (areas of a site,
// lines of an area, machines of a line): one range query of @takt/kpi-sql, then sums of components in TypeScript
// (docs/kpi.md: add components, divide once). Shared by the OEE, MTBF/MTTR and explanation endpoints.
import type { TKpiBucket, TKpiScopeKind } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { emptyComponents, expandLocalDays, sumComponents, type TKpiComponents, type TShiftDefinition } from '@takt/kpi';
import { planBuckets, type TSeriesBucket } from './kpi-buckets.ts';
import { readRangeComponents, type TScopeMachine } from './kpi.repository.ts';
import { machineEndMs, type TResolvedScope } from './kpi-scope.service.ts';

export type TChildComponents = {
  kind: TKpiScopeKind;
  id: string;
  code: string;
  name: string;
  components: TKpiComponents;
};

export type TScopeComponents = {
  totals: TKpiComponents;
  byMachine: Map<string, TKpiComponents>;
  series: (TSeriesBucket & { components: TKpiComponents })[];
  children: TChildComponents[];
  stats: { rollupRows: number; exactCells: number };
};

export type TComputeScopeComponentsOptions = {
  prisma: PrismaClient;
  resolved: TResolvedScope;
  bucket: TKpiBucket;
  /** false: everything from the raw tables (the benchmark's baseline). Default true. */
  useRollups?: boolean;
};

/** Totals, series and children of the scope, all made of the same per-machine, per-piece components. */
export async function computeScopeComponents(options: TComputeScopeComponentsOptions): Promise<TScopeComponents> {
  const { prisma, resolved, bucket } = options;
  const lineIds = [...new Set(resolved.machines.map((m) => m.lineId))];
  const groupOfLine = new Map(lineIds.map((lineId, index) => [lineId, index]));
  const patterns = resolved.shiftPatterns ?? new Map<string, TShiftDefinition[]>();
  if (bucket === 'shift' && resolved.shiftPatterns === null) {
    throw new Error('Shift buckets need the scope resolved with its shift patterns (isWithShiftPatterns).');
  }
  const plan = planBuckets({
    bucket,
    fromMs: resolved.fromMs,
    toMs: resolved.evaluatedToMs,
    timeZone: resolved.scope.timeZone,
    lines: lineIds.map((lineId) => {
      const patternId = resolved.machines.find((m) => m.lineId === lineId)?.shiftPatternId ?? null;
      return {
        groupNo: groupOfLine.get(lineId) ?? 0,
        patternId,
        shifts: patternId === null ? [] : (patterns.get(patternId) ?? []),
      };
    }),
  });
  const range = await readRangeComponents(prisma, {
    machines: resolved.machines.map((m) => ({
      machineId: m.id,
      groupNo: plan.isGroupedByLine ? (groupOfLine.get(m.lineId) ?? 0) : 0,
      toMs: machineEndMs(m, resolved),
      coverage: m.coverage,
    })),
    cutsMs: plan.cutsMs,
    localDays: expandLocalDays({
      timeZone: resolved.scope.timeZone,
      fromMs: resolved.fromMs,
      toMs: resolved.evaluatedToMs,
    }),
    useRollups: options.useRollups ?? true,
  });

  const series = plan.buckets.map((b) => ({
    ...b,
    components: sumComponents(
      b.parts.map((p) => range.byGroupPiece.get(`${p.groupNo}:${p.pieceIndex}`) ?? emptyComponents()),
    ),
  }));
  const byMachine = range.byMachine;
  return {
    totals: sumComponents([...byMachine.values()]),
    byMachine,
    series,
    children: childrenOf(resolved, byMachine),
    stats: range.stats,
  };
}

// Areas of a site, lines of an area, machines of a line; a machine has no children.
function childrenOf(resolved: TResolvedScope, byMachine: Map<string, TKpiComponents>): TChildComponents[] {
  const childOf = (m: TScopeMachine): Omit<TChildComponents, 'components'> | null => {
    switch (resolved.scope.kind) {
      case 'site':
        return { kind: 'area', id: m.areaId, code: m.areaCode, name: m.areaName };
      case 'area':
        return { kind: 'line', id: m.lineId, code: m.lineCode, name: m.lineName };
      case 'line':
        return { kind: 'machine', id: m.id, code: m.code, name: m.name };
      case 'machine':
        return null;
    }
  };
  const children = new Map<string, Omit<TChildComponents, 'components'> & { parts: TKpiComponents[] }>();
  for (const machine of resolved.machines) {
    const child = childOf(machine);
    if (child === null) continue;
    const entry = children.get(child.id) ?? { ...child, parts: [] };
    entry.parts.push(byMachine.get(machine.id) ?? emptyComponents());
    children.set(child.id, entry);
  }
  // Machines keep the line's flow order (sequence); areas and lines come sorted by code.
  return [...children.values()].map(({ parts, ...child }) => ({ ...child, components: sumComponents(parts) }));
}
