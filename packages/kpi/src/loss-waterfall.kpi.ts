// The OEE loss waterfall from additive components, in seconds and in parts:
//   planned production time (= planned busy time)
//     − availability loss (DOWN, IDLE, CHANGEOVER, OFFLINE within planned time) = run time
//     − performance loss (slow cycles, micro-stops)                             = net run time (Σ ideal × total)
//     − quality loss (ideal time spent on rejects)                              = fully productive time (Σ ideal × good)
// fully productive time / planned production time is the OEE, and each step's ratio is A, P and Q of `deriveKpis`.
//
// Parts: every time figure divided by the mix-weighted ideal cycle time, i.e. net run time / parts with an ideal
// cycle time — "how many parts that time is worth at ideal speed for the product mix actually made". For a single
// product, net run parts = total count, quality loss parts = reject count, fully productive parts = good count.
// Parts are null when no counted part has an ideal cycle time (there is no rate to convert with).
//
// Performance loss is negative when performance exceeds 1 (see `isPerformanceAboveIdeal`); it is reported as is
// rather than clamped, so the steps always add up.
import type { TKpiComponents } from './kpi-components.ts';

export type TLossWaterfallSteps = {
  plannedProductionTime: number;
  availabilityLoss: number;
  runTime: number;
  performanceLoss: number;
  netRunTime: number;
  qualityLoss: number;
  fullyProductiveTime: number;
};

export type TLossWaterfall = {
  seconds: TLossWaterfallSteps;
  /** Availability loss by cause (the first two of the six big losses plus idle and data gaps), in seconds. */
  availabilityLossSec: { downSec: number; idleSec: number; setupSec: number; offlineSec: number };
  /** Net run time / parts with an ideal cycle time; null when no part has one. */
  weightedIdealCycleTimeSec: number | null;
  parts: TLossWaterfallSteps | null;
};

/** The loss waterfall (planned → run → net run → fully productive time) in seconds and in parts. */
export function computeLossWaterfall(c: TKpiComponents): TLossWaterfall {
  const seconds: TLossWaterfallSteps = {
    plannedProductionTime: c.plannedBusyTimeSec,
    availabilityLoss: c.plannedBusyTimeSec - c.runTimeSec,
    runTime: c.runTimeSec,
    performanceLoss: c.runTimeSec - c.idealProductionTimeSec,
    netRunTime: c.idealProductionTimeSec,
    qualityLoss: c.idealProductionTimeSec - c.goodIdealTimeSec,
    fullyProductiveTime: c.goodIdealTimeSec,
  };
  const weightedIdealCycleTimeSec =
    c.countWithIdealCycleTime > 0 && c.idealProductionTimeSec > 0
      ? c.idealProductionTimeSec / c.countWithIdealCycleTime
      : null;
  return {
    seconds,
    availabilityLossSec: {
      downSec: c.downTimeSec,
      idleSec: c.idleTimeSec,
      setupSec: c.setupTimeSec,
      offlineSec: c.offlineTimeSec,
    },
    weightedIdealCycleTimeSec,
    parts: weightedIdealCycleTimeSec === null ? null : divideSteps(seconds, weightedIdealCycleTimeSec),
  };
}

function divideSteps(steps: TLossWaterfallSteps, divisor: number): TLossWaterfallSteps {
  return {
    plannedProductionTime: steps.plannedProductionTime / divisor,
    availabilityLoss: steps.availabilityLoss / divisor,
    runTime: steps.runTime / divisor,
    performanceLoss: steps.performanceLoss / divisor,
    netRunTime: steps.netRunTime / divisor,
    qualityLoss: steps.qualityLoss / divisor,
    fullyProductiveTime: steps.fullyProductiveTime / divisor,
  };
}
