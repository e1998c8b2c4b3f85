import { describe, expect, it } from 'vitest';
import { planTimeline, replayTimeline, type IntervalSnapshot, type TimelineEvent } from './timeline.planner.ts';

const state = (tsMs: number, s: 'PRODUCING' | 'DOWN' | 'IDLE', productId?: string | null): TimelineEvent => ({
  kind: 'state',
  tsMs,
  state: s,
  reasonId: null,
  sourceCode: null,
  hasProduct: productId !== undefined,
  productId: productId ?? null,
});
const product = (tsMs: number, productId: string | null): TimelineEvent => ({ kind: 'product', tsMs, productId });

const summary = (segments: ReturnType<typeof replayTimeline>) =>
  segments.map((s) => [s.startedAtMs, s.tuple.state, s.tuple.productId]);

function stored(id: number, startedAtMs: number, endedAtMs: number | null, s: 'PRODUCING' | 'DOWN' | 'IDLE') {
  const row: IntervalSnapshot = {
    id: BigInt(id),
    machineId: 'm',
    startedAtMs,
    endedAtMs,
    state: s,
    reasonId: null,
    sourceCode: null,
    productId: null,
    workOrderId: null,
    isClassified: false,
  };
  return row;
}

describe('replayTimeline', () => {
  it('starts at the first state, merges repeated tuples, carries the product over', () => {
    const segments = replayTimeline(null, [
      product(1, 'P'),
      state(2, 'PRODUCING'),
      state(3, 'PRODUCING'),
      state(4, 'DOWN'),
      product(5, 'Q'),
    ]);
    expect(summary(segments)).toEqual([
      [2, 'PRODUCING', 'P'],
      [4, 'DOWN', 'P'],
      [5, 'DOWN', 'Q'],
    ]);
  });

  it('lets the last of several events at one instant win, undoing a boundary', () => {
    expect(summary(replayTimeline(null, [state(1, 'DOWN'), state(2, 'IDLE'), state(2, 'DOWN')]))).toEqual([
      [1, 'DOWN', null],
    ]);
  });

  it('keeps a redundant event that a later insertion makes meaningful', () => {
    // DOWN@1, DOWN@3 (redundant), then a late IDLE@2: DOWN@3 now starts an interval.
    expect(summary(replayTimeline(null, [state(1, 'DOWN'), state(2, 'IDLE'), state(3, 'DOWN')]))).toEqual([
      [1, 'DOWN', null],
      [2, 'IDLE', null],
      [3, 'DOWN', null],
    ]);
  });
});

describe('replayTimeline with a supervisor split', () => {
  const split = (tsMs: number): TimelineEvent => ({ kind: 'split', tsMs });

  it('keeps the split boundary although the state does not change there', () => {
    expect(summary(replayTimeline(null, [state(1, 'DOWN'), split(5), state(6, 'DOWN'), state(9, 'IDLE')]))).toEqual([
      [1, 'DOWN', null],
      [5, 'DOWN', null],
      [9, 'IDLE', null],
    ]);
  });

  it('gives the second part the state a late event brought in before the split', () => {
    expect(summary(replayTimeline(null, [state(1, 'DOWN'), state(3, 'IDLE'), split(5)]))).toEqual([
      [1, 'DOWN', null],
      [3, 'IDLE', null],
      [5, 'IDLE', null],
    ]);
  });

  it('is not undone by events at the same instant, and is ignored before the first state or on a boundary', () => {
    expect(summary(replayTimeline(null, [split(0), state(1, 'DOWN'), split(1), split(5), state(5, 'IDLE')]))).toEqual([
      [1, 'DOWN', null],
      [5, 'IDLE', null],
    ]);
    expect(summary(replayTimeline(null, [state(1, 'DOWN'), split(5), state(5, 'IDLE'), state(5, 'DOWN')]))).toEqual([
      [1, 'DOWN', null],
      [5, 'DOWN', null],
    ]);
  });

  it('keeps the classified reason of the second part when the timeline is recomputed', () => {
    const base = stored(1, 1, 5, 'DOWN');
    const after: IntervalSnapshot = { ...stored(2, 5, null, 'DOWN'), reasonId: 'jam', isClassified: true };
    const plan = planTimeline('m', base, [base, after], [split(5), state(8, 'DOWN')]);
    expect(plan).toEqual({ deletes: [], updates: [], inserts: [], changedCurrent: null });
  });
});

describe('planTimeline', () => {
  it('splits the interval that contains a late event and keeps the ones after it', () => {
    const base = stored(1, 0, 10, 'PRODUCING');
    const plan = planTimeline('m', base, [base, stored(2, 10, null, 'DOWN')], [state(5, 'IDLE'), state(10, 'DOWN')]);
    expect(plan.deletes).toEqual([]);
    expect(plan.updates.map((u) => [u.id, u.startedAtMs, u.endedAtMs])).toEqual([[1n, 0, 5]]);
    expect(plan.inserts.map((u) => [u.startedAtMs, u.endedAtMs, u.state])).toEqual([[5, 10, 'IDLE']]);
    expect(plan.changedCurrent).toBeNull();
  });

  it('deletes rows the replay no longer has and reports the new current interval', () => {
    const base = stored(1, 0, 10, 'PRODUCING');
    const plan = planTimeline('m', base, [base, stored(2, 10, null, 'DOWN')], [state(10, 'PRODUCING')]);
    expect(plan.deletes).toEqual([2n]);
    expect(plan.updates.map((u) => [u.id, u.endedAtMs])).toEqual([[1n, null]]);
    expect(plan.changedCurrent?.id).toBe(1n);
  });

  it('keeps the reason of a classified interval', () => {
    const base = { ...stored(1, 0, null, 'DOWN'), reasonId: 'R', isClassified: true };
    const plan = planTimeline('m', base, [base], [state(5, 'IDLE')]);
    expect(plan.updates).toEqual([{ ...base, endedAtMs: 5 }]);
  });
});
