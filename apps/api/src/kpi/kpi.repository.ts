// Data access of the KPI endpoints: scopes (site, area, line, machine) and their machines with rollup coverage,
// shift patterns, downtime reasons, and the KPI SQL of @takt/kpi-sql (rollups plus exact computation).
import type { TKpiScopeKind } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { TShiftDefinition } from '@takt/kpi';
import {
  computeRangeComponents,
  computeRangeDowntime,
  coverageFromRow,
  loadMachineKpiInputs,
  type TCoverageRow,
  type TDowntimeEntry,
  type TMachineKpiInputs,
  type TRangeComponents,
  type TRangeComponentsOptions,
  type TRangeDowntimeOptions,
  type TRollupCoverage,
} from '@takt/kpi-sql';

export type TScopeRow = { kind: TKpiScopeKind; id: string; code: string; name: string; timeZone: string };

/** A machine of a scope, with where it sits in the plant and how far its rollups reach (less their stale hours). */
export type TScopeMachine = {
  id: string;
  code: string;
  name: string;
  path: string;
  lineId: string;
  lineCode: string;
  lineName: string;
  areaId: string;
  areaCode: string;
  areaName: string;
  shiftPatternId: string | null;
  shiftPatternCode: string | null;
  /** When the machine, its line, area or site was archived (it stops counting then), or null. */
  archivedAtMs: number | null;
  coverage: TRollupCoverage | null;
};

/** The scope with its site's time zone, or null when no such site, area, line or machine exists. */
export async function findScope(prisma: PrismaClient, kind: TKpiScopeKind, id: string): Promise<TScopeRow | null> {
  type TRow = { code: string; name: string; time_zone: string };
  let rows: TRow[];
  switch (kind) {
    case 'site':
      rows = await prisma.$queryRaw<TRow[]>`SELECT code, name, time_zone FROM site WHERE id = ${id}::uuid`;
      break;
    case 'area':
      rows = await prisma.$queryRaw<TRow[]>`
        SELECT x.code, x.name, s.time_zone FROM area x JOIN site s ON s.id = x.site_id WHERE x.id = ${id}::uuid`;
      break;
    case 'line':
      rows = await prisma.$queryRaw<TRow[]>`
        SELECT x.code, x.name, s.time_zone
        FROM line x JOIN area a ON a.id = x.area_id JOIN site s ON s.id = a.site_id WHERE x.id = ${id}::uuid`;
      break;
    case 'machine':
      rows = await prisma.$queryRaw<TRow[]>`
        SELECT x.code, x.name, s.time_zone
        FROM machine x JOIN line l ON l.id = x.line_id JOIN area a ON a.id = l.area_id JOIN site s ON s.id = a.site_id
        WHERE x.id = ${id}::uuid`;
      break;
  }
  const row = rows[0];
  return row === undefined ? null : { kind, id, code: row.code, name: row.name, timeZone: row.time_zone };
}

type TScopeMachineRow = TCoverageRow & {
  id: string;
  code: string;
  name: string;
  path: string;
  line_id: string;
  line_code: string;
  line_name: string;
  area_id: string;
  area_code: string;
  area_name: string;
  shift_pattern_id: string | null;
  shift_pattern_code: string | null;
  archived_at: Date | null;
};

/** The machines of a scope that still existed at `fromMs` (not archived before it), ordered by line and sequence. */
export async function listScopeMachines(
  prisma: PrismaClient,
  kind: TKpiScopeKind,
  id: string,
  fromMs: number,
): Promise<TScopeMachine[]> {
  const rows = await prisma.$queryRaw<TScopeMachineRow[]>`
    SELECT m.id::text AS id, m.code, m.name, m.path, l.id::text AS line_id, l.code AS line_code, l.name AS line_name,
           a.id::text AS area_id, a.code AS area_code, a.name AS area_name,
           l.shift_pattern_id::text AS shift_pattern_id, sp.code AS shift_pattern_code,
           nullif(least(coalesce(m.archived_at, 'infinity'), coalesce(l.archived_at, 'infinity'),
                        coalesce(a.archived_at, 'infinity'), coalesce(s.archived_at, 'infinity')), 'infinity') AS archived_at,
           c.from_hour AS covered_from, c.to_hour AS covered_to, kpi_stale_windows_ms(c.stale_hours) AS stale
    FROM machine m
    JOIN line l ON l.id = m.line_id
    JOIN area a ON a.id = l.area_id
    JOIN site s ON s.id = a.site_id
    LEFT JOIN shift_pattern sp ON sp.id = l.shift_pattern_id
    LEFT JOIN kpi_rollup_coverage c ON c.machine_id = m.id
    WHERE CASE ${kind}::text
            WHEN 'site' THEN s.id WHEN 'area' THEN a.id WHEN 'line' THEN l.id ELSE m.id END = ${id}::uuid
    ORDER BY a.code, l.code, m.sequence, m.code`;
  return rows
    .map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      path: r.path,
      lineId: r.line_id,
      lineCode: r.line_code,
      lineName: r.line_name,
      areaId: r.area_id,
      areaCode: r.area_code,
      areaName: r.area_name,
      shiftPatternId: r.shift_pattern_id,
      shiftPatternCode: r.shift_pattern_code,
      archivedAtMs: r.archived_at?.getTime() ?? null,
      coverage: coverageFromRow(r),
    }))
    .filter((m) => m.archivedAtMs === null || m.archivedAtMs > fromMs);
}

/** Shift definitions (with breaks) of the patterns of the scope's lines, keyed by pattern id. */
export async function findScopeShiftPatterns(
  prisma: PrismaClient,
  kind: TKpiScopeKind,
  id: string,
): Promise<Map<string, TShiftDefinition[]>> {
  // One round trip (a relation query through the client costs several): breaks folded in as JSON.
  const rows = await prisma.$queryRaw<
    (Omit<TShiftDefinition, 'breaks'> & { pattern_id: string; breaks: TShiftDefinition['breaks'] })[]
  >`
    SELECT s.pattern_id::text AS pattern_id, s.code, s.start_minute AS "startMinute", s.duration_min AS "durationMin",
           s.weekdays,
           coalesce((SELECT json_agg(json_build_object('name', b.name, 'offsetMin', b.offset_min,
                                                       'durationMin', b.duration_min) ORDER BY b.offset_min)
                     FROM shift_break b WHERE b.shift_id = s.id), '[]'::json) AS breaks
    FROM shift s
    WHERE s.pattern_id IN (
      SELECT l.shift_pattern_id
      FROM line l JOIN area a ON a.id = l.area_id LEFT JOIN machine m ON m.line_id = l.id
      WHERE CASE ${kind}::text
              WHEN 'site' THEN a.site_id WHEN 'area' THEN a.id WHEN 'line' THEN l.id ELSE m.id END = ${id}::uuid)
    ORDER BY s.code`;
  const patterns = new Map<string, TShiftDefinition[]>();
  for (const { pattern_id: patternId, ...shift } of rows) {
    patterns.set(patternId, [...(patterns.get(patternId) ?? []), shift]);
  }
  return patterns;
}

export type TReasonRow = {
  id: string;
  code: string;
  name: string;
  kind: 'PLANNED' | 'UNPLANNED';
  category: { id: string; code: string; name: string } | null;
};

/** Downtime reasons by id, each with its category (the parent in the two-level tree). */
export async function findReasons(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, TReasonRow>> {
  if (ids.length === 0) return new Map();
  const reasons = await prisma.downtimeReason.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, code: true, name: true, kind: true, parent: { select: { id: true, code: true, name: true } } },
  });
  return new Map(
    reasons.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, kind: r.kind, category: r.parent }]),
  );
}

/** Intervals plus count buckets of the machines in the range: how much an explanation would list. */
export async function countRawRows(
  prisma: PrismaClient,
  machineIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<number> {
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT (SELECT count(*) FROM machine_state_interval
            WHERE machine_id = ANY(${[...machineIds]}::uuid[])
              AND started_at >= ${from}::timestamptz AND started_at < ${to}::timestamptz)
         + (SELECT count(*) FROM production_count
            WHERE machine_id = ANY(${[...machineIds]}::uuid[])
              AND bucket_start >= ${from}::timestamptz AND bucket_start < ${to}::timestamptz) AS n`;
  return Number(rows[0]?.n ?? 0);
}

/** KPI components per machine and per (group, piece): rollups for full hours, exact SQL for the rest. */
export function readRangeComponents(
  prisma: PrismaClient,
  options: Omit<TRangeComponentsOptions, 'prisma'>,
): Promise<TRangeComponents> {
  return computeRangeComponents({ prisma, ...options });
}

/** Unplanned down time per state and reason. */
export function readRangeDowntime(
  prisma: PrismaClient,
  options: Omit<TRangeDowntimeOptions, 'prisma'>,
): Promise<TDowntimeEntry[]> {
  return computeRangeDowntime({ prisma, ...options });
}

/** The raw inputs of the pure engine (intervals, counts, calendar, planned downtime, ideal cycle times). */
export function readKpiInputs(
  prisma: PrismaClient,
  machineIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<TMachineKpiInputs[]> {
  return loadMachineKpiInputs({ prisma, machineIds, fromMs, toMs });
}
