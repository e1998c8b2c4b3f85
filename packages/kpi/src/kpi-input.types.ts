// What the KPI engine reads: machine state intervals, production count buckets and the ideal cycle time lookup,
// as plain objects with epoch-millisecond times (half-open intervals). The data layer maps its rows onto these.
import type { TMachineState } from '@takt/contracts';

/** One machine state over `[startMs, endMs)`; `endMs: null` is the current, still open interval. */
export type TStateInterval = {
  machineId: string;
  state: TMachineState;
  startMs: number;
  endMs: number | null;
  /** Downtime reason code once someone (or the machine) classified the stop. */
  reasonCode?: string | null;
  /** Product being made; used for count buckets that carry no product of their own. */
  productId?: string | null;
};

/** Good and reject parts a machine counted within `[bucketStartMs, bucketStartMs + bucketSec·1000)`, as deltas. */
export type TCountBucket = {
  machineId: string;
  bucketStartMs: number;
  bucketSec: number;
  productId: string | null;
  goodCount: number;
  rejectCount: number;
};

/** Ideal cycle time (seconds per part) of a product on a machine, or null when none is configured. */
export type TIdealCycleTimeLookup = (machineId: string, productId: string) => number | null;
