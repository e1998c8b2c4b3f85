// KPI components of many machines over one range, per machine and per (group, piece), from hour rollups plus exact
// computation of the rest (range-plan.ts). One SQL statement sums the rollups with GROUPING SETS, one computes the
// exact cells; both run concurrently. With `useRollups: false` everything is computed from the raw tables (the
// benchmark's baseline, and a cross-check).
import { addComponents, emptyComponents, type TKpiComponents, type TTimeWindow } from '@takt/kpi';
import { computeCellComponents } from './cell-components.query.ts';
import { componentsFromRow, mergeDowntime, sqlNumber, type TComponentsRow } from './components-row.mapper.ts';
import type { TDowntimeEntry, TKpiSqlClient, TRollupCoverage } from './kpi-sql.types.ts';
import { planMachineRange, type TExactCell, type TMachineRangePlan } from './range-plan.ts';

export type TRangeMachine = {
  machineId: string;
  /** Piece sums are kept per group: e.g. the machine's line, whose shift windows make the series. */
  groupNo: number;
  /** The machine's own end (≤ the last cut): an archived machine stops counting when it was archived. */
  toMs: number;
  coverage: TRollupCoverage | null;
};

export type TRangeComponentsOptions = {
  prisma: TKpiSqlClient;
  machines: readonly TRangeMachine[];
  /** Sorted, distinct epoch-ms cut points; the first and last are the range's ends. */
  cutsMs: readonly number[];
  /** Local days of the machines' site around the range: whole days are read from day rollups. */
  localDays?: readonly TTimeWindow[];
  /** Default true; false computes everything from the raw tables. */
  useRollups?: boolean;
};

export type TRangeComponents = {
  byMachine: Map<string, TKpiComponents>;
  /** Key `${groupNo}:${pieceIndex}`, piece i being `[cuts[i], cuts[i + 1])`. */
  byGroupPiece: Map<string, TKpiComponents>;
  /** How the figures were made: rollup rows read (days and hours), and exact cells computed. */
  stats: { rollupRows: number; exactCells: number };
};

type TPlannedMachine = TRangeMachine & { plan: TMachineRangePlan };

/** Components per machine and per (group, piece) over the cut range. */
export async function computeRangeComponents(options: TRangeComponentsOptions): Promise<TRangeComponents> {
  const { prisma, cutsMs } = options;
  const planned = planAll(options);
  const [sums, exact] = await Promise.all([
    sumRollups(prisma, planned, cutsMs),
    computeCellComponents({ prisma, cells: exactCellsOf(planned) }),
  ]);

  const byMachine = new Map<string, TKpiComponents>(options.machines.map((m) => [m.machineId, emptyComponents()]));
  const byGroupPiece = new Map<string, TKpiComponents>();
  const addTo = (map: Map<string, TKpiComponents>, key: string, c: TKpiComponents) =>
    map.set(key, addComponents(map.get(key) ?? emptyComponents(), c));

  let rollupRows = 0;
  for (const row of sums) {
    const components = componentsFromRow(row);
    if (row.machine_no !== null) {
      const machine = planned[sqlNumber(row.machine_no)];
      if (machine !== undefined) addTo(byMachine, machine.machineId, components);
      rollupRows += sqlNumber(row.row_count);
    } else {
      addTo(byGroupPiece, `${sqlNumber(row.group_no)}:${sqlNumber(row.piece_no) - 1}`, components);
    }
  }
  const cellOwners = exactCellOwners(planned);
  exact.forEach((cell, index) => {
    const owner = cellOwners[index];
    if (owner === undefined) return;
    addTo(byMachine, cell.machineId, cell.components);
    addTo(byGroupPiece, `${owner.groupNo}:${owner.pieceIndex}`, cell.components);
  });
  return { byMachine, byGroupPiece, stats: { rollupRows, exactCells: exact.length } };
}

export type TRangeDowntimeOptions = Omit<TRangeComponentsOptions, 'cutsMs' | 'localDays'> & {
  fromMs: number;
  toMs: number;
};

/** Unplanned down time per state and reason over `[fromMs, toMs)` of the machines (the Pareto's raw material). */
export async function computeRangeDowntime(options: TRangeDowntimeOptions): Promise<TDowntimeEntry[]> {
  const { prisma } = options;
  const cutsMs = [options.fromMs, options.toMs];
  // Downtime has hour rollups only: plan without local days.
  const planned = planAll({ ...options, cutsMs });
  const spans = planned.flatMap((m) => m.plan.rollupSpans.map((span) => ({ machineId: m.machineId, ...span })));
  const [rollupRows, exact] = await Promise.all([
    spans.length === 0
      ? Promise.resolve([])
      : prisma.$queryRaw<
          { state: TDowntimeEntry['state']; reason_id: string | null; duration_ms: bigint; events: bigint }[]
        >`
          SELECT state::text AS state, reason_id::text AS reason_id, duration_ms, event_count AS events
          FROM kpi_downtime_sums(${spans.map((s) => s.machineId)}::uuid[], ${spans.map((s) => s.startMs)}::bigint[],
                                 ${spans.map((s) => s.endMs)}::bigint[])`,
    computeCellComponents({ prisma, cells: exactCellsOf(planned) }),
  ]);
  return mergeDowntime([
    ...rollupRows.map((row) => ({
      state: row.state,
      reasonId: row.reason_id,
      durationSec: sqlNumber(row.duration_ms) / 1000,
      eventCount: sqlNumber(row.events),
    })),
    ...exact.flatMap((cell) => cell.downtime),
  ]);
}

function planAll(options: TRangeComponentsOptions): TPlannedMachine[] {
  return options.machines.map((machine) => ({
    ...machine,
    plan: planMachineRange({
      cutsMs: options.cutsMs,
      toMs: machine.toMs,
      coverage: machine.coverage,
      useRollups: options.useRollups ?? true,
      localDays: options.localDays,
    }),
  }));
}

function exactCellsOf(planned: readonly TPlannedMachine[]) {
  return planned.flatMap((m) =>
    m.plan.exactCells.map((cell) => ({ machineId: m.machineId, fromMs: cell.startMs, toMs: cell.endMs })),
  );
}

function exactCellOwners(planned: readonly TPlannedMachine[]): (TExactCell & { groupNo: number })[] {
  return planned.flatMap((m) => m.plan.exactCells.map((cell) => ({ ...cell, groupNo: m.groupNo })));
}

type TRollupSumRow = TComponentsRow & {
  machine_no: number | null;
  group_no: number | null;
  piece_no: number | null;
  row_count: bigint;
};

// Sums of the rollup rows per machine and per (group, piece), in one statement (kpi_rollup_sums).
async function sumRollups(
  prisma: TKpiSqlClient,
  planned: readonly TPlannedMachine[],
  cutsMs: readonly number[],
): Promise<TRollupSumRow[]> {
  const spans = planned.flatMap((m, machineNo) =>
    m.plan.rollupSpans.map((span) => ({ ...span, machineId: m.machineId, machineNo, groupNo: m.groupNo })),
  );
  if (spans.length === 0) return [];
  return prisma.$queryRaw<TRollupSumRow[]>`
    SELECT * FROM kpi_rollup_sums(${spans.map((s) => s.machineId)}::uuid[], ${spans.map((s) => s.machineNo)}::int[],
                                  ${spans.map((s) => s.groupNo)}::int[],
                                  ${spans.map((s) => (s.level === 'DAY' ? 1 : 0))}::int[],
                                  ${spans.map((s) => s.startMs)}::bigint[], ${spans.map((s) => s.endMs)}::bigint[],
                                  ${cutsMs.map((ms) => new Date(ms).toISOString())}::timestamptz[])`;
}
