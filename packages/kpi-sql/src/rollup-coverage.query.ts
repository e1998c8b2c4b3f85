// How far each machine's rollups reach and which hours inside that are stale: what a range query needs to decide
// between rollup rows and exact computation (range-plan.ts).
import type { TTimeWindow } from '@takt/kpi';
import type { TKpiSqlClient, TRollupCoverage } from './kpi-sql.types.ts';

/** A coverage row as SQL returns it: `stale` from kpi_stale_windows_ms, [[fromMs, toMs], …]. */
export type TCoverageRow = { covered_from: Date | null; covered_to: Date | null; stale: unknown };

/** The coverage of a `kpi_rollup_coverage` row (selected with kpi_stale_windows_ms), or null without one. */
export function coverageFromRow(row: TCoverageRow): TRollupCoverage | null {
  if (row.covered_from === null || row.covered_to === null) return null;
  return { fromMs: row.covered_from.getTime(), toMs: row.covered_to.getTime(), stale: staleWindowsOf(row.stale) };
}

function staleWindowsOf(json: unknown): TTimeWindow[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((pair: unknown) =>
    Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number'
      ? [{ startMs: pair[0], endMs: pair[1] }]
      : [],
  );
}

/** The rollup coverage of each machine that has one. */
export async function loadRollupCoverage(options: {
  prisma: TKpiSqlClient;
  machineIds: readonly string[];
}): Promise<Map<string, TRollupCoverage>> {
  const rows = await options.prisma.$queryRaw<(TCoverageRow & { machine_id: string })[]>`
    SELECT machine_id::text AS machine_id, from_hour AS covered_from, to_hour AS covered_to,
           kpi_stale_windows_ms(stale_hours) AS stale
    FROM kpi_rollup_coverage
    WHERE machine_id = ANY(${[...options.machineIds]}::uuid[])`;
  const coverage = new Map<string, TRollupCoverage>();
  for (const row of rows) {
    const machineCoverage = coverageFromRow(row);
    if (machineCoverage !== null) coverage.set(row.machine_id, machineCoverage);
  }
  return coverage;
}
