// KPI ratios from additive components: availability, performance, quality, OEE, TEEP and the companions
// (utilization, scrap rate, throughput, MTBF, MTTR, unclassified-downtime share, data-gap share).
//
// Definitions (ISO 22400-2 §6 and the common OEE convention, docs/kpi.md):
//   availability = run time / planned busy time                              (ISO: APT / PBT)
//   performance  = Σ(ideal cycle time × total count) / run time               (ISO effectiveness: PRI × PQ / APT)
//   quality      = Σ(ideal × good) / Σ(ideal × total)                         (fully productive / net run time)
//   OEE          = availability × performance × quality = Σ(ideal × good) / planned busy time
//   TEEP         = Σ(ideal × good) / calendar time = OEE × utilization,  utilization = planned busy / calendar
// Quality is weighted by ideal cycle time so that A × P × Q equals good ideal time / planned time even for a
// product mix whose products have different scrap rates; for one product (or equal ideal cycle times) it is
// exactly ISO 22400's good quantity / produced quantity. When no counted part has an ideal cycle time it falls
// back to good / total.
//
// A ratio whose denominator is 0 is null ("not applicable"), never 0 or NaN. Performance and OEE are also null
// when parts were counted but none of them has an ideal cycle time: the figure cannot be known, and guessing one
// would be worse. Performance above 1 is reported as is and flagged: it almost always means the configured
// ideal cycle time is too long, or parts were counted while the machine did not report PRODUCING in planned busy
// time. The flag is defined on the components (ideal time of the counted parts > run time), so it also fires when
// parts were counted with no run time at all (performance null): without the flag, OEE never exceeds 1.
import type { TKpiComponents } from './kpi-components.ts';

// Floating sums of ideal times can land a hair above 1 for a machine running exactly at ideal speed.
const ABOVE_IDEAL_TOLERANCE = 1e-9;

export type TKpis = {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  teep: number | null;
  /** Planned busy time / calendar time (the schedule loading that turns OEE into TEEP). */
  utilization: number | null;
  /** Reject count / total count. */
  scrapRate: number | null;
  /** Good parts per hour of planned busy time. */
  throughputPerHour: number | null;
  /** Mean time between failures: run time / DOWN events. */
  mtbfSec: number | null;
  /** Mean time to repair: DOWN time within planned busy time / DOWN events. */
  mttrSec: number | null;
  /** Unclassified DOWN + IDLE time / all DOWN + IDLE time. */
  unclassifiedDownTimeShare: number | null;
  /** OFFLINE (no data) time / planned busy time. */
  dataGapShare: number | null;
  /** Ideal time of the counted parts exceeds run time (performance > 1, or parts without run time). */
  isPerformanceAboveIdeal: boolean;
  /** Some counted parts have no ideal cycle time; performance and OEE leave them out. */
  hasMissingIdealCycleTime: boolean;
};

/** KPI ratios of a components record (one machine or any aggregate of them). */
export function deriveKpis(c: TKpiComponents): TKpis {
  const totalCount = c.goodCount + c.rejectCount;
  // Counted parts, but not one with an ideal cycle time: performance-based figures are unknowable.
  const isIdealTimeUnknown = totalCount > 0 && c.countWithIdealCycleTime === 0;
  const performance = isIdealTimeUnknown ? null : ratio(c.idealProductionTimeSec, c.runTimeSec);
  return {
    availability: ratio(c.runTimeSec, c.plannedBusyTimeSec),
    performance,
    quality:
      c.idealProductionTimeSec > 0 ? c.goodIdealTimeSec / c.idealProductionTimeSec : ratio(c.goodCount, totalCount),
    oee: isIdealTimeUnknown ? null : ratio(c.goodIdealTimeSec, c.plannedBusyTimeSec),
    teep: isIdealTimeUnknown ? null : ratio(c.goodIdealTimeSec, c.calendarTimeSec),
    utilization: ratio(c.plannedBusyTimeSec, c.calendarTimeSec),
    scrapRate: ratio(c.rejectCount, totalCount),
    throughputPerHour: ratio(c.goodCount * 3600, c.plannedBusyTimeSec),
    mtbfSec: ratio(c.runTimeSec, c.downEventCount),
    mttrSec: ratio(c.downTimeSec, c.downEventCount),
    unclassifiedDownTimeShare: ratio(c.unclassifiedDownTimeSec, c.downTimeSec + c.idleTimeSec),
    dataGapShare: ratio(c.offlineTimeSec, c.plannedBusyTimeSec),
    isPerformanceAboveIdeal: c.idealProductionTimeSec > c.runTimeSec * (1 + ABOVE_IDEAL_TOLERANCE),
    hasMissingIdealCycleTime: c.missingIdealCycleTime.length > 0,
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
