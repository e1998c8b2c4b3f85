// Exact KPI components of arbitrary cells (machine × time range) straight from the raw tables, through the SQL
// function kpi_cell_components (sql/kpi_cell_components.sql). Rollups are made of it, and queries use it for whatever
// the rollups do not cover: partial hours at the edges of a range, the running hour, hours never rolled up.
import type { TKpiComponents } from '@takt/kpi';
import { componentsFromRow, downtimeFromJson, sqlNumber, type TComponentsRow } from './components-row.mapper.ts';
import type { TDowntimeEntry, TKpiCell, TKpiSqlClient } from './kpi-sql.types.ts';

export type TCellComponents = TKpiCell & { components: TKpiComponents; downtime: TDowntimeEntry[] };

export type TComputeCellComponentsOptions = { prisma: TKpiSqlClient; cells: readonly TKpiCell[] };

type TCellRow = TComponentsRow & { cell_no: number; downtime: unknown };

/** Components and downtime of every cell, in the order given (an empty cell yields zero components). */
export async function computeCellComponents(options: TComputeCellComponentsOptions): Promise<TCellComponents[]> {
  const { prisma, cells } = options;
  if (cells.length === 0) return [];
  const rows = await prisma.$queryRaw<TCellRow[]>`
    SELECT * FROM kpi_cell_components(${cells.map((c) => c.machineId)}::uuid[],
                                      ${cells.map((c) => Math.round(c.fromMs))}::bigint[],
                                      ${cells.map((c) => Math.round(c.toMs))}::bigint[])`;
  const byCellNo = new Map(rows.map((row) => [sqlNumber(row.cell_no), row]));
  return cells.map((cell, index) => {
    const row = byCellNo.get(index + 1);
    return {
      ...cell,
      components: componentsFromRow(row ?? emptyRow()),
      downtime: row === undefined ? [] : downtimeFromJson(row.downtime),
    };
  });
}

function emptyRow(): TComponentsRow {
  return {
    calendar_ms: 0,
    shift_ms: 0,
    planned_shutdown_ms: 0,
    run_ms: 0,
    down_ms: 0,
    idle_ms: 0,
    setup_ms: 0,
    offline_ms: 0,
    unclassified_ms: 0,
    down_event_count: 0,
    good_count: 0,
    reject_count: 0,
    count_with_ideal_cycle_time: 0,
    count_outside_planned_busy_time: 0,
    ideal_production_time_sec: 0,
    good_ideal_time_sec: 0,
    missing_ideal_cycle_time: null,
  };
}
