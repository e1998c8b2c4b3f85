// Progress figures of a work order, as pure arithmetic over what the repository counted: totals (counted +
// manual adjustments, never below 0), progress against the target, the run rate over the time spent
// IN_PROGRESS, the run time still needed at that rate, and the projected finish while the order runs.
import type { TWorkOrderCountSource, TWorkOrderProduction, TWorkOrderStatus } from '@takt/contracts';

/**
 * Below one count bucket (60 s) of run time the counts have not arrived yet and a rate would be noise
 * (or wildly high), so the rate is "not yet known".
 */
export const MIN_RUN_TIME_FOR_RATE_SEC = 60;

export type CountedOutput = {
  goodCount: number;
  scrapCount: number;
  source: TWorkOrderCountSource;
  outputMachineId: string | null;
  runTimeSec: number;
};

/** Signed sums of the manual adjustments. */
export type CountAdjustment = { goodCount: number; scrapCount: number };

export type ProgressInput = {
  status: TWorkOrderStatus;
  targetQuantity: number;
  counted: CountedOutput;
  adjustment: CountAdjustment;
  nowMs: number;
};

/** Counted + adjustments; never below 0 (an adjustment cannot unmake parts counted later). */
export function totalCounts(
  counted: { goodCount: number; scrapCount: number },
  adjustment: CountAdjustment,
): { goodCount: number; scrapCount: number } {
  return {
    goodCount: Math.max(0, counted.goodCount + adjustment.goodCount),
    scrapCount: Math.max(0, counted.scrapCount + adjustment.scrapCount),
  };
}

export function computeProduction(input: ProgressInput): TWorkOrderProduction {
  const { counted, adjustment, status } = input;
  const { goodCount, scrapCount } = totalCounts(counted, adjustment);
  const runTimeSec = Math.max(0, counted.runTimeSec);
  const runRatePartsPerHour = runTimeSec >= MIN_RUN_TIME_FOR_RATE_SEC ? (goodCount * 3600) / runTimeSec : null;
  const isOpenRun = status === 'IN_PROGRESS' || status === 'PAUSED';
  const remainingParts = Math.max(0, input.targetQuantity - goodCount);
  const remainingRunTimeSec =
    isOpenRun && runRatePartsPerHour !== null && runRatePartsPerHour > 0
      ? (remainingParts * 3600) / runRatePartsPerHour
      : null;
  // A paused order makes no progress, so it has no finish time until it resumes.
  const projectedFinishAt =
    status === 'IN_PROGRESS' && remainingRunTimeSec !== null
      ? new Date(input.nowMs + Math.round(remainingRunTimeSec * 1000)).toISOString()
      : null;
  return {
    goodCount,
    scrapCount,
    countedGoodCount: counted.goodCount,
    countedScrapCount: counted.scrapCount,
    adjustmentGoodCount: adjustment.goodCount,
    adjustmentScrapCount: adjustment.scrapCount,
    countSource: counted.source,
    outputMachineId: counted.outputMachineId,
    runTimeSec,
    progress: goodCount / input.targetQuantity,
    runRatePartsPerHour,
    remainingRunTimeSec,
    projectedFinishAt,
  };
}
