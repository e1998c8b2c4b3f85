// KPI components of many machines over one range, per machine and per (group, piece), from hour rollups plus exact
// computation of the rest (range-plan.ts). One SQL statement sums the rollups with GROUPING SETS, one computes the
// exact cells; both run concurrently. With `useRollups: false` everything is computed from the raw tables (the
// benchmark's baseline, and a cross-check).
import { addComponents, emptyComponents, type TKpiComponents } from '@takt/kpi';
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
  /** Default true; false computes everything from the raw tables. */
  useRollups?: boolean;
};

export type TRangeComponents = {
  byMachine: Map<string, TKpiComponents>;
  /** Key `${groupNo}:${pieceIndex}`, piece i being `[cuts[i], cuts[i + 1])`. */
  byGroupPiece: Map<string, TKpiComponents>;
  /** How the figures were made: machine-hours read from rollups, and exact cells computed. */
  stats: { rollupMachineHours: number; exactCells: number };
};

type TPlannedMachine = TRangeMachine & { plan: TMachineRangePlan };

/** Components per machine and per (group, piece) over the cut range. */
export async function computeRangeComponents(options: TRangeComponentsOptions): Promise<TRangeComponents> {
  const { prisma, cutsMs } = options;
  const planned = planAll(options);
  const [rollupRows, exact] = await Promise.all([
    sumRollups(prisma, planned, cutsMs),
    computeCellComponents({ prisma, cells: exactCellsOf(planned) }),
  ]);

  const byMachine = new Map<string, TKpiComponents>(options.machines.map((m) => [m.machineId, emptyComponents()]));
  const byGroupPiece = new Map<string, TKpiComponents>();
  const addTo = (map: Map<string, TKpiComponents>, key: string, c: TKpiComponents) =>
    map.set(key, addComponents(map.get(key) ?? emptyComponents(), c));

  let rollupMachineHours = 0;
  for (const row of rollupRows) {
    const components = componentsFromRow(row);
    if (row.machine_no !== null) {
      const machine = planned[sqlNumber(row.machine_no)];
      if (machine !== undefined) addTo(byMachine, machine.machineId, components);
      rollupMachineHours += sqlNumber(row.hour_count);
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
  return { byMachine, byGroupPiece, stats: { rollupMachineHours, exactCells: exact.length } };
}

export type TRangeDowntimeOptions = Omit<TRangeComponentsOptions, 'cutsMs'> & { fromMs: number; toMs: number };

/** Unplanned down time per state and reason over `[fromMs, toMs)` of the machines (the Pareto's raw material). */
export async function computeRangeDowntime(options: TRangeDowntimeOptions): Promise<TDowntimeEntry[]> {
  const { prisma } = options;
  const cutsMs = [options.fromMs, options.toMs];
  const planned = planAll({ ...options, cutsMs });
  const withRollups = planned.filter((m) => m.plan.rollupHours !== null);
  const [rollupRows, exact] = await Promise.all([
    withRollups.length === 0
      ? Promise.resolve([])
      : prisma.$queryRaw<{ state: TDowntimeEntry['state']; reason_id: string | null; duration_ms: bigint; events: bigint }[]>`
          SELECT d.state::text AS state, d.reason_id::text AS reason_id, sum(d.duration_ms)::bigint AS duration_ms,
                 sum(d.event_count)::bigint AS events
          FROM unnest(${withRollups.map((m) => m.machineId)}::uuid[],
                      ${withRollups.map((m) => m.plan.rollupHours?.startMs ?? 0)}::bigint[],
                      ${withRollups.map((m) => m.plan.rollupHours?.endMs ?? 0)}::bigint[]) AS m(machine_id, from_ms, to_ms)
          JOIN kpi_downtime_hour d ON d.machine_id = m.machine_id
               AND d.hour_start >= kpi_ms_ts(m.from_ms) AND d.hour_start < kpi_ms_ts(m.to_ms)
          GROUP BY d.state, d.reason_id`,
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
  hour_count: bigint;
};

// Sums of the rollup hours per machine and per (group, piece) in one scan. An hour with a cut point inside is
// skipped here (its start and its last millisecond fall in different pieces); the plan computes it exactly.
async function sumRollups(
  prisma: TKpiSqlClient,
  planned: readonly TPlannedMachine[],
  cutsMs: readonly number[],
): Promise<TRollupSumRow[]> {
  const machines = planned
    .map((m, machineNo) => ({ ...m, machineNo }))
    .filter((m): m is typeof m & { plan: { rollupHours: NonNullable<TMachineRangePlan['rollupHours']> } } =>
      m.plan.rollupHours !== null,
    );
  if (machines.length === 0) return [];
  const cuts = cutsMs.map((ms) => new Date(ms).toISOString());
  return prisma.$queryRaw<TRollupSumRow[]>`
    WITH hour AS (
      SELECT m.machine_no, m.group_no, width_bucket(r.hour_start, ${cuts}::timestamptz[]) AS piece_no, r.*
      FROM unnest(${machines.map((m) => m.machineId)}::uuid[], ${machines.map((m) => m.machineNo)}::int[],
                  ${machines.map((m) => m.groupNo)}::int[], ${machines.map((m) => m.plan.rollupHours.startMs)}::bigint[],
                  ${machines.map((m) => m.plan.rollupHours.endMs)}::bigint[])
           AS m(machine_id, machine_no, group_no, from_ms, to_ms)
      JOIN kpi_rollup_hour r ON r.machine_id = m.machine_id
           AND r.hour_start >= kpi_ms_ts(m.from_ms) AND r.hour_start < kpi_ms_ts(m.to_ms)
      WHERE width_bucket(r.hour_start, ${cuts}::timestamptz[])
            = width_bucket(r.hour_start + interval '3599.999 seconds', ${cuts}::timestamptz[])
    )
    SELECT machine_no, group_no, piece_no, count(*) AS hour_count,
           sum(calendar_ms) AS calendar_ms, sum(shift_ms) AS shift_ms, sum(planned_shutdown_ms) AS planned_shutdown_ms,
           sum(run_ms) AS run_ms, sum(down_ms) AS down_ms, sum(idle_ms) AS idle_ms, sum(setup_ms) AS setup_ms,
           sum(offline_ms) AS offline_ms, sum(unclassified_ms) AS unclassified_ms,
           sum(down_event_count) AS down_event_count, sum(good_count) AS good_count, sum(reject_count) AS reject_count,
           sum(count_with_ideal_cycle_time) AS count_with_ideal_cycle_time,
           sum(count_outside_planned_busy_time) AS count_outside_planned_busy_time,
           sum(ideal_production_time_sec) AS ideal_production_time_sec, sum(good_ideal_time_sec) AS good_ideal_time_sec,
           jsonb_agg(missing_ideal_cycle_time) FILTER (WHERE missing_ideal_cycle_time IS NOT NULL)
               AS missing_ideal_cycle_time
    FROM hour
    GROUP BY GROUPING SETS ((machine_no), (group_no, piece_no))`;
}
