// Turns component rows of the KPI SQL (integer milliseconds, bigint sums, jsonb lists) into @takt/kpi's
// `TKpiComponents` (seconds), so that everything downstream adds and derives with the pure engine's functions.
import { MACHINE_STATES, type TMachineState } from '@takt/contracts';
import {
  emptyComponents,
  mergeMissingIdealCycleTimes,
  type TKpiComponents,
  type TMissingIdealCycleTime,
} from '@takt/kpi';
import type { TDowntimeEntry } from './kpi-sql.types.ts';

/** Numeric columns as PostgreSQL returns them through Prisma: int8 and numeric sums arrive as bigint or string. */
type TSqlNumber = number | bigint | string | null;

/** The component columns shared by kpi_cell_components and the rollup sums (snake_case, as selected). */
export type TComponentsRow = {
  calendar_ms: TSqlNumber;
  shift_ms: TSqlNumber;
  planned_shutdown_ms: TSqlNumber;
  run_ms: TSqlNumber;
  down_ms: TSqlNumber;
  idle_ms: TSqlNumber;
  setup_ms: TSqlNumber;
  offline_ms: TSqlNumber;
  unclassified_ms: TSqlNumber;
  down_event_count: TSqlNumber;
  good_count: TSqlNumber;
  reject_count: TSqlNumber;
  count_with_ideal_cycle_time: TSqlNumber;
  count_outside_planned_busy_time: TSqlNumber;
  ideal_production_time_sec: TSqlNumber;
  good_ideal_time_sec: TSqlNumber;
  /** A list of entries, or (from rollup sums) a list of such lists; null when none. */
  missing_ideal_cycle_time: unknown;
};

/** A SQL number as a JS number; null (an empty sum) is 0. Millisecond and count sums stay far below 2^53. */
export function sqlNumber(value: TSqlNumber | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Components (seconds) from a row of millisecond sums. */
export function componentsFromRow(row: TComponentsRow): TKpiComponents {
  const ms = (value: TSqlNumber) => sqlNumber(value) / 1000;
  const runMs = sqlNumber(row.run_ms);
  const unplannedDownMs =
    sqlNumber(row.down_ms) + sqlNumber(row.idle_ms) + sqlNumber(row.setup_ms) + sqlNumber(row.offline_ms);
  return {
    ...emptyComponents(),
    calendarTimeSec: ms(row.calendar_ms),
    shiftTimeSec: ms(row.shift_ms),
    plannedShutdownTimeSec: ms(row.planned_shutdown_ms),
    plannedBusyTimeSec: (runMs + unplannedDownMs) / 1000,
    runTimeSec: runMs / 1000,
    unplannedDownTimeSec: unplannedDownMs / 1000,
    downTimeSec: ms(row.down_ms),
    idleTimeSec: ms(row.idle_ms),
    setupTimeSec: ms(row.setup_ms),
    offlineTimeSec: ms(row.offline_ms),
    unclassifiedDownTimeSec: ms(row.unclassified_ms),
    downEventCount: sqlNumber(row.down_event_count),
    goodCount: sqlNumber(row.good_count),
    rejectCount: sqlNumber(row.reject_count),
    countWithIdealCycleTime: sqlNumber(row.count_with_ideal_cycle_time),
    countOutsidePlannedBusyTime: sqlNumber(row.count_outside_planned_busy_time),
    idealProductionTimeSec: sqlNumber(row.ideal_production_time_sec),
    goodIdealTimeSec: sqlNumber(row.good_ideal_time_sec),
    missingIdealCycleTime: mergeMissingIdealCycleTimes(missingEntries(row.missing_ideal_cycle_time)),
  };
}

// jsonb [{ machineId, productId, totalCount }], possibly nested one level (jsonb_agg of the rollups' lists).
function missingEntries(value: unknown): TMissingIdealCycleTime[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): TMissingIdealCycleTime[] => {
    if (Array.isArray(entry)) return missingEntries(entry);
    if (typeof entry !== 'object' || entry === null) return [];
    const { machineId, productId, totalCount } = entry as Record<string, unknown>;
    if (typeof machineId !== 'string') return [];
    return [
      {
        machineId,
        productId: typeof productId === 'string' ? productId : null,
        totalCount: sqlNumber(totalCount as TSqlNumber),
      },
    ];
  });
}

const STATES: ReadonlySet<string> = new Set(MACHINE_STATES);

/** Downtime entries from the `downtime` jsonb of kpi_cell_components. */
export function downtimeFromJson(value: unknown): TDowntimeEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): TDowntimeEntry[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { state, reasonId, durationMs, eventCount } = entry as Record<string, unknown>;
    if (typeof state !== 'string' || !STATES.has(state)) return [];
    return [
      {
        state: state as TMachineState,
        reasonId: typeof reasonId === 'string' ? reasonId : null,
        durationSec: sqlNumber(durationMs as TSqlNumber) / 1000,
        eventCount: sqlNumber(eventCount as TSqlNumber),
      },
    ];
  });
}

/** Sums downtime entries per (state, reason). */
export function mergeDowntime(entries: readonly TDowntimeEntry[]): TDowntimeEntry[] {
  const byKey = new Map<string, TDowntimeEntry>();
  for (const e of entries) {
    const key = `${e.state}/${e.reasonId ?? ''}`;
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { ...e });
    else {
      existing.durationSec = (Math.round(existing.durationSec * 1000) + Math.round(e.durationSec * 1000)) / 1000;
      existing.eventCount += e.eventCount;
    }
  }
  return [...byKey.values()];
}
