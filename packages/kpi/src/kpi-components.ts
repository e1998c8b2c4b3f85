// The additive components behind every KPI: sums of times (seconds) and counts for one machine over one range.
// Aggregating machines, lines, shifts or days adds components and divides once at the end (docs/kpi.md:
// never average percentages), so every aggregation in Takt goes through `addComponents` / `sumComponents`.

/** Parts that were counted but whose product has no ideal cycle time (excluded from performance). */
export type TMissingIdealCycleTime = { machineId: string; productId: string | null; totalCount: number };

/**
 * Time identities (per machine, all in seconds):
 *   calendarTimeSec  = shiftTimeSec + time outside every shift
 *   shiftTimeSec     = plannedBusyTimeSec + plannedShutdownTimeSec
 *   plannedBusyTimeSec = runTimeSec + unplannedDownTimeSec
 *   unplannedDownTimeSec = downTimeSec + idleTimeSec + setupTimeSec + offlineTimeSec
 */
export type TKpiComponents = {
  /** Length of the evaluated range (per machine: two machines over one day give 48 h). */
  calendarTimeSec: number;
  /** Time inside shift windows (ISO 22400 planned operation time). */
  shiftTimeSec: number;
  /** Shift time not planned for production: breaks, scheduled planned downtime, PLANNED_STOP, NO_ORDER. */
  plannedShutdownTimeSec: number;
  /** ISO 22400 planned busy time (PBT) = the OEE convention's planned production time. */
  plannedBusyTimeSec: number;
  /** ISO 22400 actual production time (APT): PRODUCING within planned busy time. */
  runTimeSec: number;
  /** Planned busy time lost to DOWN, IDLE, CHANGEOVER and OFFLINE (and time with no state data). */
  unplannedDownTimeSec: number;
  /** DOWN (fault, breakdown) within planned busy time. */
  downTimeSec: number;
  /** IDLE (starved, blocked, waiting) within planned busy time. */
  idleTimeSec: number;
  /** CHANGEOVER within planned busy time: part of unplanned down time, reported separately as setup loss. */
  setupTimeSec: number;
  /** OFFLINE or no state interval at all within planned busy time: a data gap. */
  offlineTimeSec: number;
  /** DOWN and IDLE time within planned busy time that has no reason code yet. */
  unclassifiedDownTimeSec: number;
  /** DOWN intervals that start within the range (wherever they end). */
  downEventCount: number;
  goodCount: number;
  rejectCount: number;
  /** Good + reject parts whose product has an ideal cycle time. */
  countWithIdealCycleTime: number;
  /** Parts whose count bucket starts outside planned busy time (they still count; this explains P > 1). */
  countOutsidePlannedBusyTime: number;
  /** Σ idealCycleTimeSec × (good + reject): the net run time. */
  idealProductionTimeSec: number;
  /** Σ idealCycleTimeSec × good: the fully productive time. */
  goodIdealTimeSec: number;
  missingIdealCycleTime: TMissingIdealCycleTime[];
};

type TNumericComponent = Exclude<keyof TKpiComponents, 'missingIdealCycleTime'>;

// Every numeric field, checked against the type both ways (satisfies + the exhaustiveness test) so that a new
// component cannot be forgotten by `addComponents`.
export const NUMERIC_COMPONENTS = [
  'calendarTimeSec',
  'shiftTimeSec',
  'plannedShutdownTimeSec',
  'plannedBusyTimeSec',
  'runTimeSec',
  'unplannedDownTimeSec',
  'downTimeSec',
  'idleTimeSec',
  'setupTimeSec',
  'offlineTimeSec',
  'unclassifiedDownTimeSec',
  'downEventCount',
  'goodCount',
  'rejectCount',
  'countWithIdealCycleTime',
  'countOutsidePlannedBusyTime',
  'idealProductionTimeSec',
  'goodIdealTimeSec',
] as const satisfies readonly TNumericComponent[];

/** Components of nothing: the neutral element of `addComponents`. */
export function emptyComponents(): TKpiComponents {
  return {
    calendarTimeSec: 0,
    shiftTimeSec: 0,
    plannedShutdownTimeSec: 0,
    plannedBusyTimeSec: 0,
    runTimeSec: 0,
    unplannedDownTimeSec: 0,
    downTimeSec: 0,
    idleTimeSec: 0,
    setupTimeSec: 0,
    offlineTimeSec: 0,
    unclassifiedDownTimeSec: 0,
    downEventCount: 0,
    goodCount: 0,
    rejectCount: 0,
    countWithIdealCycleTime: 0,
    countOutsidePlannedBusyTime: 0,
    idealProductionTimeSec: 0,
    goodIdealTimeSec: 0,
    missingIdealCycleTime: [],
  };
}

/** Sum of two component records (machines, shifts, days…); missing ideal cycle times are merged per product. */
export function addComponents(a: TKpiComponents, b: TKpiComponents): TKpiComponents {
  const sum = emptyComponents();
  for (const key of NUMERIC_COMPONENTS) sum[key] = a[key] + b[key];
  sum.missingIdealCycleTime = mergeMissingIdealCycleTimes([...a.missingIdealCycleTime, ...b.missingIdealCycleTime]);
  return sum;
}

/** Sum of any number of component records. */
export function sumComponents(list: readonly TKpiComponents[]): TKpiComponents {
  return list.reduce(addComponents, emptyComponents());
}

/** One entry per (machine, product) with counts summed, sorted by machine then product (null first). */
export function mergeMissingIdealCycleTimes(entries: readonly TMissingIdealCycleTime[]): TMissingIdealCycleTime[] {
  const byKey = new Map<string, TMissingIdealCycleTime>();
  for (const e of entries) {
    const key = JSON.stringify([e.machineId, e.productId]);
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { ...e });
    else existing.totalCount += e.totalCount;
  }
  // Prefixes keep a null product apart from (and before) a product whose id is the empty string.
  const productKey = (productId: string | null) => (productId === null ? '0' : `1${productId}`);
  return [...byKey.values()].sort(
    (x, y) => x.machineId.localeCompare(y.machineId) || productKey(x.productId).localeCompare(productKey(y.productId)),
  );
}
