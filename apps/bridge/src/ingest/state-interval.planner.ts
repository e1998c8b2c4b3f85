// Decides, for one machine, how a batch of state events changes its state intervals (DESIGN.md "Machine
// states": one state at a time, half-open [start, end), open end for the current one). Pure: the writer
// loads the machine's latest interval, asks for a plan, and writes it. Kept apart so that the ordering
// rules are unit-tested without a database.
//
// Rules of this first version (the later bridge issue replaces the out-of-order rule by real reordering):
// - a new state closes the open interval at the event time and opens the next one;
// - the same state again (same reason, product and raw code) changes nothing;
// - a different state at exactly the open interval's start replaces it (an interval cannot be empty);
// - an event older than the latest interval is out of order: dead-lettered, or dropped quietly when it
//   is a replay (retained message, bridge-made event), since it cannot tell us anything new.
import type { TMachineState } from '@takt/contracts';

export type IntervalSnapshot = {
  /** Database id; null for a row the plan creates. */
  id: bigint | null;
  machineId: string;
  state: TMachineState;
  startedAtMs: number;
  endedAtMs: number | null;
  reasonId: string | null;
  productId: string | null;
  sourceCode: string | null;
};

export type PlannedStateEvent<TRef> = {
  tsMs: number;
  state: TMachineState;
  sourceCode: string | null;
  reasonId: string | null;
  /** undefined: the event named no product, so the machine keeps its product. */
  productId: string | null | undefined;
  isReplay: boolean;
  /** Handed back in `outOfOrder`, so that the caller can dead-letter the original message. */
  ref: TRef;
};

export type StatePlan<TRef> = {
  /** Existing rows to rewrite (closed, or replaced in place). */
  updates: IntervalSnapshot[];
  /** New rows, in time order; at most the last one is open. */
  inserts: IntervalSnapshot[];
  outOfOrder: TRef[];
  duplicateCount: number;
  staleReplayCount: number;
  /** The machine's latest interval after the plan, when the plan changed it. */
  changedCurrent: IntervalSnapshot | null;
};

function isSameState(
  interval: IntervalSnapshot,
  state: TMachineState,
  reasonId: string | null,
  productId: string | null,
  sourceCode: string | null,
): boolean {
  return (
    interval.state === state &&
    interval.reasonId === reasonId &&
    interval.productId === productId &&
    interval.sourceCode === sourceCode
  );
}

/** Plans the interval changes of one machine whose latest stored interval is `latest` (null: none yet). */
export function planStateIntervals<TRef>(
  machineId: string,
  latest: IntervalSnapshot | null,
  events: readonly PlannedStateEvent<TRef>[],
): StatePlan<TRef> {
  const plan: StatePlan<TRef> = {
    updates: [],
    inserts: [],
    outOfOrder: [],
    duplicateCount: 0,
    staleReplayCount: 0,
    changedCurrent: null,
  };
  // Only the latest stored row can change; rows created by this plan are written with their final values.
  const stored: IntervalSnapshot | null = latest ? { ...latest } : null;
  let isStoredChanged = false;
  let current = stored;

  // Array.prototype.sort is stable: events with equal timestamps keep their arrival order.
  const ordered = [...events].sort((a, b) => a.tsMs - b.tsMs);
  for (const event of ordered) {
    if (
      current &&
      (event.tsMs < current.startedAtMs || (current.endedAtMs !== null && event.tsMs < current.endedAtMs))
    ) {
      if (event.isReplay) plan.staleReplayCount += 1;
      else plan.outOfOrder.push(event.ref);
      continue;
    }
    const productId = event.productId === undefined ? (current?.productId ?? null) : event.productId;
    if (current && current.endedAtMs === null) {
      if (isSameState(current, event.state, event.reasonId, productId, event.sourceCode)) {
        plan.duplicateCount += 1;
        continue;
      }
      isStoredChanged ||= current === stored;
      if (event.tsMs === current.startedAtMs) {
        Object.assign(current, {
          state: event.state,
          reasonId: event.reasonId,
          productId,
          sourceCode: event.sourceCode,
        });
        plan.changedCurrent = current;
        continue;
      }
      current.endedAtMs = event.tsMs;
    }
    current = {
      id: null,
      machineId,
      state: event.state,
      startedAtMs: event.tsMs,
      endedAtMs: null,
      reasonId: event.reasonId,
      productId,
      sourceCode: event.sourceCode,
    };
    plan.inserts.push(current);
    plan.changedCurrent = current;
  }
  if (stored && isStoredChanged) plan.updates.push(stored);
  return plan;
}
