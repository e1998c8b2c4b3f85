// Types shared by the KPI SQL modules: the database handle they need and the figures they return.
import type { TMachineState } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { TTimeWindow } from '@takt/kpi';

/** A Prisma client or an interactive transaction: the ingest pipeline refreshes inside its own transaction. */
export type TKpiSqlClient = Pick<PrismaClient, '$queryRaw'>;

/** A machine over a half-open range of epoch milliseconds: the unit the SQL computes components for. */
export type TKpiCell = { machineId: string; fromMs: number; toMs: number };

/**
 * Unplanned down time of one state and reason: `durationSec` within planned busy time, `eventCount` intervals
 * of that state and reason that start in the range (the same rule as DOWN events for MTBF and MTTR).
 */
export type TDowntimeEntry = {
  state: TMachineState;
  /** null: no reason recorded (DOWN or IDLE without one is "unclassified"). */
  reasonId: string | null;
  durationSec: number;
  eventCount: number;
};

/**
 * Hours of a machine whose rollups are complete, as epoch milliseconds `[fromMs, toMs)` on hour boundaries, less the
 * `stale` hours inside it: rows that a configuration change made stale (invalidateRollups), computed exactly until
 * the rollup job has recomputed them.
 */
export type TRollupCoverage = { fromMs: number; toMs: number; stale: readonly TTimeWindow[] };

export const HOUR_MS = 3_600_000;

/** Start of the UTC hour holding `ms`. */
export function floorHourMs(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The first UTC hour boundary at or after `ms`. */
export function ceilHourMs(ms: number): number {
  return Math.ceil(ms / HOUR_MS) * HOUR_MS;
}
