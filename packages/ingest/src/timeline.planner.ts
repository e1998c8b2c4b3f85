// Recomputes a machine's state intervals (docs/domain.md "Machine states": one state at a time, half-open
// [start, end), open end for the current one) from its timeline events. Pure: the writer loads the base
// interval and the logged events after it, asks for the intervals, and writes the difference.
//
// Why recompute rather than patch: the result must not depend on arrival order. The intervals are a function
// of the *set* of events: at any time t the machine's (state, reason, raw code) is that of the latest state
// event ≤ t, its product that of the latest product-bearing event ≤ t, its work order that of the latest
// work-order event ≤ t; an interval is a maximal run where this tuple is constant, starting at the first
// state event. Events with equal timestamps are ordered by `seq`, then by arrival (the only order-dependent
// case; senders that may emit two events in the same millisecond should send `seq`).
//
// A supervisor's split of a stop (apps/api downtime classification) is logged as a `split` event: a boundary
// that the replay keeps although the tuple does not change there, so a later recomputation does not merge the
// two parts again.
//
// Recomputing from the start of the interval that precedes the earliest new event (the "base", which no new
// event can change) is enough: everything before it is untouched.
import type { TMachineState } from '@takt/contracts';

export type IntervalTuple = {
  state: TMachineState;
  reasonId: string | null;
  sourceCode: string | null;
  productId: string | null;
  workOrderId: string | null;
};

export type IntervalSnapshot = IntervalTuple & {
  /** Database id; null for a row the plan creates. */
  id: bigint | null;
  machineId: string;
  startedAtMs: number;
  endedAtMs: number | null;
  /** A supervisor classified the interval's reason: recomputation keeps that reason. */
  isClassified: boolean;
};

export type TimelineEvent =
  | {
      kind: 'state';
      tsMs: number;
      state: TMachineState;
      reasonId: string | null;
      sourceCode: string | null;
      /** false: the event named no product, the machine keeps its product. */
      hasProduct: boolean;
      productId: string | null;
    }
  | { kind: 'product'; tsMs: number; productId: string | null }
  | { kind: 'work_order'; tsMs: number; workOrderId: string | null }
  | { kind: 'split'; tsMs: number };

export type TimelinePlan = {
  /** Stored rows (started at or after the base) that no longer exist. */
  deletes: bigint[];
  /** Stored rows whose end or tuple changed. */
  updates: IntervalSnapshot[];
  inserts: IntervalSnapshot[];
  /** The machine's latest interval after the plan, when it is new or changed. */
  changedCurrent: IntervalSnapshot | null;
};

/** `isSplit`: the segment starts at a supervisor's split, a boundary that stays even without a change. */
type Segment = { startedAtMs: number; tuple: IntervalTuple; isSplit?: boolean };

function isSameTuple(a: IntervalTuple, b: IntervalTuple): boolean {
  return (
    a.state === b.state &&
    a.reasonId === b.reasonId &&
    a.sourceCode === b.sourceCode &&
    a.productId === b.productId &&
    a.workOrderId === b.workOrderId
  );
}

/** The intervals from `base` on (all of them when base is null), from `events` (after base, in timeline order). */
export function replayTimeline(base: IntervalSnapshot | null, events: readonly TimelineEvent[]): Segment[] {
  const segments: Segment[] = base
    ? [
        {
          startedAtMs: base.startedAtMs,
          tuple: {
            state: base.state,
            reasonId: base.reasonId,
            sourceCode: base.sourceCode,
            productId: base.productId,
            workOrderId: base.workOrderId,
          },
        },
      ]
    : [];
  let status: Pick<IntervalTuple, 'state' | 'reasonId' | 'sourceCode'> | null = base
    ? { state: base.state, reasonId: base.reasonId, sourceCode: base.sourceCode }
    : null;
  let productId = base?.productId ?? null;
  let workOrderId = base?.workOrderId ?? null;
  const baseCount = segments.length;
  for (const event of events) {
    if (event.kind === 'split') {
      const last = segments.at(-1);
      if (last !== undefined && last.startedAtMs < event.tsMs) {
        segments.push({ startedAtMs: event.tsMs, tuple: last.tuple, isSplit: true });
      }
      continue;
    }
    if (event.kind === 'state') {
      status = { state: event.state, reasonId: event.reasonId, sourceCode: event.sourceCode };
      if (event.hasProduct) productId = event.productId;
    } else if (event.kind === 'product') {
      productId = event.productId;
    } else {
      workOrderId = event.workOrderId;
    }
    // Product and work order before the first state only set the context of the first interval.
    if (status === null) continue;
    const tuple: IntervalTuple = { ...status, productId, workOrderId };
    const last = segments.at(-1);
    if (last && isSameTuple(last.tuple, tuple)) continue;
    if (last && last.startedAtMs === event.tsMs && segments.length > baseCount) {
      // Several events at one instant: the last one wins; it may undo the boundary altogether (not a split).
      segments.pop();
      const previous = segments.at(-1);
      if (!last.isSplit && previous && isSameTuple(previous.tuple, tuple)) continue;
      segments.push({ startedAtMs: event.tsMs, tuple, isSplit: last.isSplit });
      continue;
    }
    segments.push({ startedAtMs: event.tsMs, tuple });
  }
  return segments;
}

/**
 * Plans the writes that turn `stored` (the machine's rows starting at or after the base, base included) into the
 * intervals replayed from `base` and `events`.
 */
export function planTimeline(
  machineId: string,
  base: IntervalSnapshot | null,
  stored: readonly IntervalSnapshot[],
  events: readonly TimelineEvent[],
): TimelinePlan {
  const segments = replayTimeline(base, events);
  const storedByStart = new Map(stored.map((row) => [row.startedAtMs, row]));
  const plan: TimelinePlan = { deletes: [], updates: [], inserts: [], changedCurrent: null };
  const kept = new Set<number>();
  segments.forEach((segment, index) => {
    const endedAtMs = segments[index + 1]?.startedAtMs ?? null;
    const existing = storedByStart.get(segment.startedAtMs);
    const reasonId = existing?.isClassified ? existing.reasonId : segment.tuple.reasonId;
    const desired: IntervalSnapshot = {
      id: existing?.id ?? null,
      machineId,
      startedAtMs: segment.startedAtMs,
      endedAtMs,
      ...segment.tuple,
      reasonId,
      isClassified: existing?.isClassified ?? false,
    };
    const isLast = index === segments.length - 1;
    if (existing) {
      kept.add(existing.startedAtMs);
      const isChanged = existing.endedAtMs !== endedAtMs || !isSameTuple(existing, desired);
      if (isChanged) plan.updates.push(desired);
      if (isLast && isChanged) plan.changedCurrent = desired;
    } else {
      plan.inserts.push(desired);
      if (isLast) plan.changedCurrent = desired;
    }
  });
  for (const row of stored) if (!kept.has(row.startedAtMs) && row.id !== null) plan.deletes.push(row.id);
  return plan;
}
