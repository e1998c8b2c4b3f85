// Incremental maintenance of the hour rollups (kpi_rollup_hour, kpi_downtime_hour, kpi_rollup_coverage) through the
// SQL function kpi_refresh_rollups. The ingest pipeline calls `refreshRollups` after each batch with the range the
// batch touched; only complete hours are stored, so during an hour the call is a cheap no-op and the hour is rolled
// up by the first batch after it ends. A late or corrected event recomputes the hours it touched.
//
// The caller's range must cover every instant whose classification may have changed: a new interval [s, e), the
// interval it closes or cuts (from the cut onwards), a count's bucket start, a reclassified stop's whole interval.
// Changes of configuration (shift patterns, planned downtime, ideal cycle times, time zones) go through
// invalidateRollups (rollup-invalidation.ts) instead, which may defer the work to the rollup job.
import { floorHourMs, type TKpiSqlClient } from './kpi-sql.types.ts';

export type TTouchedRange = { machineId: string; fromMs: number; toMs: number };

export type TRefreshRollupsOptions = TTouchedRange & {
  prisma: TKpiSqlClient;
  /** The present (epoch ms); hours ending after it are not stored. Default: now. */
  nowMs?: number;
};

export type TRefreshRollupsManyOptions = {
  prisma: TKpiSqlClient;
  touched: readonly TTouchedRange[];
  nowMs?: number;
};

/** Recomputes the complete hours of a machine that `[fromMs, toMs)` touched; returns the machine-hours written. */
export async function refreshRollups(options: TRefreshRollupsOptions): Promise<number> {
  const { prisma, nowMs, ...touched } = options;
  return refreshRollupsMany({ prisma, touched: [touched], nowMs });
}

// Per client, a lower bound of each machine's coverage end learnt from earlier calls (after any call, a touched
// machine's coverage reaches at least the present hour, and coverage never shrinks). A batch that only touches the
// running hour of machines known to be current needs no round trip at all: the common case of ingest.
const knownCoverageEndMs = new WeakMap<object, Map<string, number>>();

/** `refreshRollups` for many machines and ranges in one statement (one round trip per ingest batch). */
export async function refreshRollupsMany(options: TRefreshRollupsManyOptions): Promise<number> {
  const { prisma, touched } = options;
  if (touched.length === 0) return 0;
  const nowMs = Math.round(options.nowMs ?? Date.now());
  const nowHourMs = floorHourMs(nowMs);
  const known = knownCoverageEndMs.get(prisma) ?? new Map<string, number>();
  knownCoverageEndMs.set(prisma, known);
  if (touched.every((t) => t.fromMs >= nowHourMs && (known.get(t.machineId) ?? -Infinity) >= nowHourMs)) return 0;

  // An instant (a count's bucket start, a zero-length correction) touches the hour it lies in.
  const fromMs = touched.map((t) => Math.round(t.fromMs));
  const toMs = touched.map((t, i) => Math.max(Math.round(t.toMs), (fromMs[i] ?? 0) + 1));
  const rows = await prisma.$queryRaw<{ hours: number }[]>`
    SELECT kpi_refresh_rollups(${touched.map((t) => t.machineId)}::uuid[], ${fromMs}::bigint[], ${toMs}::bigint[],
                               ${nowMs}::bigint) AS hours`;
  for (const t of touched) known.set(t.machineId, Math.max(known.get(t.machineId) ?? -Infinity, nowHourMs));
  return Number(rows[0]?.hours ?? 0);
}

export type TCatchUpRollupsOptions = {
  prisma: TKpiSqlClient;
  nowMs?: number;
  /** Default: every machine. */
  machineIds?: readonly string[];
};

/**
 * Rolls up every hour completed since each machine's coverage ended. A machine with no coverage yet starts at its
 * first state interval or count (history written by an import or the demo seed); one with no data at all starts
 * at the present hour. Meant for a periodic job and after bulk writes; returns the machine-hours written.
 */
export async function catchUpRollups(options: TCatchUpRollupsOptions): Promise<number> {
  const { prisma } = options;
  const nowMs = Math.round(options.nowMs ?? Date.now());
  const machineIds = options.machineIds === undefined ? null : [...options.machineIds];
  const rows = await prisma.$queryRaw<{ machine_id: string; from_ms: bigint | number }[]>`
    SELECT m.id::text AS machine_id,
           coalesce(kpi_epoch_ms(c.to_hour),
                    least((SELECT kpi_epoch_ms(min(i.started_at)) FROM machine_state_interval i WHERE i.machine_id = m.id),
                          (SELECT kpi_epoch_ms(min(p.bucket_start)) FROM production_count p WHERE p.machine_id = m.id)),
                    ${nowMs}::bigint) AS from_ms
    FROM machine m
    LEFT JOIN kpi_rollup_coverage c ON c.machine_id = m.id
    WHERE (${machineIds}::uuid[] IS NULL OR m.id = ANY(${machineIds}::uuid[]))
      AND (c.to_hour IS NULL OR c.to_hour < kpi_ms_ts(${nowMs}::bigint - ${nowMs}::bigint % 3600000))`;
  // The touched range is only the start: kpi_refresh_rollups then catches up to the present hour on its own.
  const touched = rows.map((row) => {
    const fromMs = Math.min(Number(row.from_ms), nowMs);
    return { machineId: row.machine_id, fromMs, toMs: fromMs + 1 };
  });
  return refreshRollupsMany({ prisma, touched, nowMs });
}
