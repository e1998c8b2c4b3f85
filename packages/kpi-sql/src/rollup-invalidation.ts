// Keeps the rollups true to the configuration they were computed from. Shift patterns and breaks, a line's shift
// pattern, planned downtime, ideal cycle times, a site's time zone and a machine's line all apply to history (the
// configuration is not versioned), so a change of them makes the rolled-up hours it reaches stale.
//
// `invalidateRollups` runs in the transaction of the change. A small reach is recomputed right there; a larger one is
// marked stale (kpi_rollup_coverage.stale_hours, with its day rows deleted): range queries compute stale hours
// exactly from the raw tables, and `refreshStaleRollups` (the API's rollup job) recomputes them soon after, newest
// first. Either way the first query after the commit already answers with the new configuration.
//
// Concurrency: the machines' rollup lock (the one kpi_refresh_rollups takes) is held from before the coverage is read
// until the change commits. A refresh that computed with the old configuration has either committed before (its
// hours are then invalidated here) or waits, and then computes with the new configuration.
import { normalizeWindows, type TTimeWindow } from '@takt/kpi';
import { Prisma, type PrismaClient } from '@takt/db';
import { ceilHourMs, floorHourMs, HOUR_MS, type TKpiSqlClient } from './kpi-sql.types.ts';
import { coverageFromRow, type TCoverageRow } from './rollup-coverage.query.ts';
import { refreshRollupsMany, type TTouchedRange } from './rollup-refresh.ts';

/** What a configuration change reaches: every machine of the targets given, over a range (default: all history). */
export type TRollupChange = {
  machineIds?: readonly string[];
  /** Every machine of these lines (their shift pattern, planned downtime or ideal cycle times). */
  lineIds?: readonly string[];
  /** Every machine of these sites (their time zone). */
  siteIds?: readonly string[];
  /** Every machine of the lines that use these patterns (their shifts and breaks). */
  shiftPatternIds?: readonly string[];
  fromMs?: number;
  toMs?: number;
  /** Only where the machines made this product, from its first count or interval to its last (its ideal cycle time). */
  productId?: string;
};

/** Machine-hours recomputed synchronously at most by default: well under a second on PostgreSQL. */
export const DEFAULT_MAX_SYNC_MACHINE_HOURS = 1_000;

export type TInvalidateRollupsOptions = {
  /** The transaction of the configuration change. */
  prisma: TKpiSqlClient;
  changes: readonly TRollupChange[];
  /** Recompute in the transaction when the reach (per machine, first to last hour) is at most this. */
  maxSyncMachineHours?: number;
};

export type TInvalidateRollupsResult = {
  /** Machines the change reached (with rollups or not). */
  machineIds: string[];
  /** Machine-hours recomputed in the transaction. */
  recomputedMachineHours: number;
  /** Machine-hours marked stale for the rollup job. */
  staleMachineHours: number;
};

/** Recomputes the rollups a configuration change reached, or marks them stale; call it in the change's transaction. */
export async function invalidateRollups(options: TInvalidateRollupsOptions): Promise<TInvalidateRollupsResult> {
  const { prisma } = options;
  const reach: TTouchedRange[] = [];
  for (const change of options.changes) reach.push(...(await resolveChange(prisma, change)));
  const machineIds = [...new Set(reach.map((r) => r.machineId))].sort();
  const result: TInvalidateRollupsResult = { machineIds, recomputedMachineHours: 0, staleMachineHours: 0 };
  if (machineIds.length === 0) return result;

  await lockRollups(prisma, machineIds);
  // Read after the lock: a refresh that committed meanwhile may have extended the coverage.
  const coverage = await readCoverage(prisma, machineIds);
  const staleByMachine = new Map<string, TTimeWindow[]>();
  for (const range of reach) {
    const covered = coverage.get(range.machineId);
    if (covered === undefined) continue;
    const window = {
      startMs: Math.max(floorHourMs(range.fromMs), covered.fromMs),
      endMs: Math.min(ceilHourMs(range.toMs), covered.toMs),
    };
    if (window.endMs > window.startMs)
      staleByMachine.set(range.machineId, [...(staleByMachine.get(range.machineId) ?? []), window]);
  }
  const stale = [...staleByMachine].flatMap(([machineId, windows]) =>
    normalizeWindows(windows).map((w) => ({ machineId, fromMs: w.startMs, toMs: w.endMs })),
  );
  if (stale.length === 0) return result;

  // Day rows summing a stale hour go in every case: after a time-zone change they are not even the right days.
  await prisma.$queryRaw`
    DELETE FROM kpi_rollup_day d
    USING unnest(${stale.map((s) => s.machineId)}::uuid[], ${stale.map((s) => s.fromMs)}::bigint[],
                 ${stale.map((s) => s.toMs)}::bigint[]) AS r(machine_id, from_ms, to_ms)
    WHERE d.machine_id = r.machine_id AND d.day_start < kpi_ms_ts(r.to_ms) AND d.day_end > kpi_ms_ts(r.from_ms)`;

  // kpi_refresh_rollups recomputes each machine from its first to its last touched hour: that is the cost.
  const hulls = [...staleByMachine.keys()].map((machineId) => {
    const windows = stale.filter((s) => s.machineId === machineId);
    return { machineId, fromMs: windows[0]?.fromMs ?? 0, toMs: windows[windows.length - 1]?.toMs ?? 0 };
  });
  const hullHours = hulls.reduce((sum, h) => sum + (h.toMs - h.fromMs) / HOUR_MS, 0);
  if (hullHours <= (options.maxSyncMachineHours ?? DEFAULT_MAX_SYNC_MACHINE_HOURS)) {
    await recomputeInCoverage(prisma, hulls, coverage);
    await updateStaleHours(prisma, hulls, 'REMOVE');
    result.recomputedMachineHours = hullHours;
  } else {
    await updateStaleHours(prisma, stale, 'ADD');
    result.staleMachineHours = stale.reduce((sum, s) => sum + (s.toMs - s.fromMs) / HOUR_MS, 0);
  }
  return result;
}

export type TRefreshStaleRollupsOptions = {
  prisma: PrismaClient;
  /** Machines per transaction. Default 80. */
  maxMachines?: number;
  /** Newest stale hours recomputed per machine and transaction. Default 24. */
  hoursPerMachine?: number;
};

/**
 * One step of the rollup job: recomputes the newest stale hours of the machines with the newest stale hours (at most
 * `maxMachines` × `hoursPerMachine` machine-hours, one short transaction), so that recent ranges, the ones dashboards
 * show, are fast again first. Repeat until `isDone`.
 */
export async function refreshStaleRollups(
  options: TRefreshStaleRollupsOptions,
): Promise<{ machineHours: number; isDone: boolean }> {
  const maxMachines = options.maxMachines ?? 80;
  const hoursPerMachine = options.hoursPerMachine ?? 24;
  return options.prisma.$transaction(
    async (tx) => {
      const picked = await tx.$queryRaw<{ machine_id: string }[]>`
        SELECT machine_id::text AS machine_id FROM kpi_rollup_coverage
        WHERE NOT isempty(stale_hours)
        ORDER BY upper(stale_hours) DESC, machine_id
        LIMIT ${maxMachines}`;
      if (picked.length === 0) return { machineHours: 0, isDone: true };
      const machineIds = picked.map((p) => p.machine_id).sort();
      await lockRollups(tx, machineIds);
      // Read again under the lock: another process's job or a change may have been first.
      const coverage = await readCoverage(tx, machineIds);
      const chunks: TTouchedRange[] = [];
      for (const [machineId, covered] of coverage) {
        // The newest stale window only: one contiguous range per machine (kpi_refresh_rollups recomputes a hull).
        const newest = covered.stale[covered.stale.length - 1];
        if (newest === undefined) continue;
        chunks.push({
          machineId,
          fromMs: Math.max(newest.startMs, newest.endMs - hoursPerMachine * HOUR_MS),
          toMs: newest.endMs,
        });
      }
      await recomputeInCoverage(tx, chunks, coverage);
      await updateStaleHours(tx, chunks, 'REMOVE');
      const remaining = await tx.$queryRaw<{ is_remaining: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM kpi_rollup_coverage WHERE NOT isempty(stale_hours)) AS is_remaining`;
      return {
        machineHours: chunks.reduce((sum, c) => sum + (c.toMs - c.fromMs) / HOUR_MS, 0),
        isDone: remaining[0]?.is_remaining !== true,
      };
    },
    // Waiting for the machines' rollup lock counts against the timeout: an ingest batch or a change may hold it.
    { maxWait: 10_000, timeout: 120_000 },
  );
}

// ------------------------------------------------------------------------------------------------------------------

/** The lock space of kpi_refresh_rollups ("KPIR"): one rollup writer per machine at a time. */
const ROLLUP_LOCK_SPACE = 1263552850;

// The machines' rollup locks in uuid order, as kpi_refresh_rollups takes them: no deadlock between the two.
async function lockRollups(prisma: TKpiSqlClient, machineIds: readonly string[]): Promise<void> {
  await prisma.$queryRaw`
    SELECT count(*)::int AS locked FROM (
      SELECT pg_advisory_xact_lock(${ROLLUP_LOCK_SPACE}::int, hashtext(s.m::text))
      FROM (SELECT DISTINCT m FROM unnest(${[...machineIds]}::uuid[]) AS m ORDER BY m) s
    ) l`;
}

async function readCoverage(prisma: TKpiSqlClient, machineIds: readonly string[]) {
  const rows = await prisma.$queryRaw<(TCoverageRow & { machine_id: string })[]>`
    SELECT machine_id::text AS machine_id, from_hour AS covered_from, to_hour AS covered_to,
           kpi_stale_windows_ms(stale_hours) AS stale
    FROM kpi_rollup_coverage
    WHERE machine_id = ANY(${[...machineIds]}::uuid[])
    ORDER BY machine_id`;
  return new Map(
    rows.flatMap((row) => {
      const coverage = coverageFromRow(row);
      return coverage === null ? [] : [[row.machine_id, coverage] as const];
    }),
  );
}

// Recomputes ranges inside the coverage, and nothing else: the present given to kpi_refresh_rollups is the coverage's
// end, so it neither catches up (the job's business) nor reaches past it.
async function recomputeInCoverage(
  prisma: TKpiSqlClient,
  ranges: readonly TTouchedRange[],
  coverage: ReadonlyMap<string, { toMs: number }>,
): Promise<void> {
  const byCoverageEnd = new Map<number, TTouchedRange[]>();
  for (const range of ranges) {
    const endMs = coverage.get(range.machineId)?.toMs;
    if (endMs !== undefined) byCoverageEnd.set(endMs, [...(byCoverageEnd.get(endMs) ?? []), range]);
  }
  for (const [endMs, touched] of byCoverageEnd) await refreshRollupsMany({ prisma, touched, nowMs: endMs });
}

// Adds ranges to the machines' stale hours, or removes them (recomputed).
async function updateStaleHours(
  prisma: TKpiSqlClient,
  ranges: readonly TTouchedRange[],
  operation: 'ADD' | 'REMOVE',
): Promise<void> {
  if (ranges.length === 0) return;
  const hours = Prisma.sql`
    SELECT x.machine_id, range_agg(tstzrange(kpi_ms_ts(x.from_ms), kpi_ms_ts(x.to_ms))) AS hours
    FROM unnest(${ranges.map((r) => r.machineId)}::uuid[], ${ranges.map((r) => r.fromMs)}::bigint[],
                ${ranges.map((r) => r.toMs)}::bigint[]) AS x(machine_id, from_ms, to_ms)
    GROUP BY x.machine_id`;
  if (operation === 'ADD') {
    await prisma.$queryRaw`
      UPDATE kpi_rollup_coverage c SET stale_hours = c.stale_hours + r.hours, updated_at = now()
      FROM (${hours}) r
      WHERE c.machine_id = r.machine_id`;
  } else {
    await prisma.$queryRaw`
      UPDATE kpi_rollup_coverage c SET stale_hours = c.stale_hours - r.hours, updated_at = now()
      FROM (${hours}) r
      WHERE c.machine_id = r.machine_id AND c.stale_hours && r.hours`;
  }
}

// The machines a change reaches, each with its range (a product's span per machine).
async function resolveChange(prisma: TKpiSqlClient, change: TRollupChange): Promise<TTouchedRange[]> {
  const ids = (list: readonly string[] | undefined) => [...(list ?? [])];
  const machines = await prisma.$queryRaw<{ machine_id: string }[]>`
    SELECT m.id::text AS machine_id
    FROM machine m
    JOIN line l ON l.id = m.line_id
    JOIN area a ON a.id = l.area_id
    WHERE m.id = ANY(${ids(change.machineIds)}::uuid[]) OR l.id = ANY(${ids(change.lineIds)}::uuid[])
       OR a.site_id = ANY(${ids(change.siteIds)}::uuid[]) OR l.shift_pattern_id = ANY(${ids(change.shiftPatternIds)}::uuid[])`;
  const fromMs = change.fromMs ?? -Infinity;
  const toMs = change.toMs ?? Infinity;
  if (change.productId === undefined) return machines.map((m) => ({ machineId: m.machine_id, fromMs, toMs }));
  if (machines.length === 0) return [];

  // Counts without a product take the product of the interval they start in: the intervals' span covers them.
  const spans = await prisma.$queryRaw<{ machine_id: string; from_ms: bigint; to_ms: bigint | null }[]>`
    SELECT x.machine_id::text AS machine_id, min(x.from_ms) AS from_ms,
           CASE WHEN bool_or(x.to_ms IS NULL) THEN NULL ELSE max(x.to_ms) END AS to_ms
    FROM (
      SELECT pc.machine_id, kpi_epoch_ms(min(pc.bucket_start)) AS from_ms, kpi_epoch_ms(max(pc.bucket_start)) + 1 AS to_ms
      FROM production_count pc
      WHERE pc.machine_id = ANY(${machines.map((m) => m.machine_id)}::uuid[]) AND pc.product_id = ${change.productId}::uuid
      GROUP BY pc.machine_id
      UNION ALL
      SELECT i.machine_id, kpi_epoch_ms(min(i.started_at)),
             CASE WHEN bool_or(i.ended_at IS NULL) THEN NULL ELSE kpi_epoch_ms(max(i.ended_at)) END
      FROM machine_state_interval i
      WHERE i.machine_id = ANY(${machines.map((m) => m.machine_id)}::uuid[]) AND i.product_id = ${change.productId}::uuid
      GROUP BY i.machine_id
    ) x
    GROUP BY x.machine_id`;
  return spans.map((s) => ({
    machineId: s.machine_id,
    fromMs: Math.max(fromMs, Number(s.from_ms)),
    toMs: Math.min(toMs, s.to_ms === null ? Infinity : Number(s.to_ms)),
  }));
}

/**
 * The change of a product's ideal cycle times between two sets of entries (per line or machine): the lines and
 * machines whose figure was added, removed or changed, over the span of that product.
 */
export function idealCycleTimeChange(
  productId: string,
  before: readonly TIdealCycleTimeTarget[],
  after: readonly TIdealCycleTimeTarget[],
): TRollupChange | null {
  const keyOf = (t: TIdealCycleTimeTarget) => (t.machineId !== null ? `m:${t.machineId}` : `l:${t.lineId ?? ''}`);
  const valueOf = (list: readonly TIdealCycleTimeTarget[]) => new Map(list.map((t) => [keyOf(t), t.idealCycleTimeSec]));
  const [old, next] = [valueOf(before), valueOf(after)];
  const changed = [...before, ...after].filter((t) => old.get(keyOf(t)) !== next.get(keyOf(t)));
  if (changed.length === 0) return null;
  return {
    productId,
    lineIds: [...new Set(changed.flatMap((t) => (t.machineId === null && t.lineId !== null ? [t.lineId] : [])))],
    machineIds: [...new Set(changed.flatMap((t) => (t.machineId !== null ? [t.machineId] : [])))],
  };
}

/** An ideal cycle time of a product on a line or a machine. */
export type TIdealCycleTimeTarget = { lineId: string | null; machineId: string | null; idealCycleTimeSec: number };
