import { describe, expect, it } from 'vitest';
import { planStateIntervals, type IntervalSnapshot, type PlannedStateEvent } from './state-interval.planner.ts';

const M = '00000000-0000-4000-8000-000000000001';
const P1 = '00000000-0000-4000-8000-0000000000a1';
const P2 = '00000000-0000-4000-8000-0000000000b2';
const T0 = 1_732_520_000_000;

function open(
  state: IntervalSnapshot['state'],
  startedAtMs: number,
  extra: Partial<IntervalSnapshot> = {},
): IntervalSnapshot {
  return {
    id: 7n,
    machineId: M,
    state,
    startedAtMs,
    endedAtMs: null,
    reasonId: null,
    productId: null,
    sourceCode: null,
    ...extra,
  };
}

function ev(
  state: IntervalSnapshot['state'],
  tsMs: number,
  extra: Partial<PlannedStateEvent<string>> = {},
): PlannedStateEvent<string> {
  return {
    tsMs,
    state,
    sourceCode: null,
    reasonId: null,
    productId: undefined,
    isReplay: false,
    ref: `${state}@${tsMs}`,
    ...extra,
  };
}

describe('planStateIntervals', () => {
  it('opens the first interval of a machine', () => {
    const plan = planStateIntervals(M, null, [ev('PRODUCING', T0)]);
    expect(plan.updates).toEqual([]);
    expect(plan.inserts).toEqual([
      {
        id: null,
        machineId: M,
        state: 'PRODUCING',
        startedAtMs: T0,
        endedAtMs: null,
        reasonId: null,
        productId: null,
        sourceCode: null,
      },
    ]);
    expect(plan.changedCurrent?.state).toBe('PRODUCING');
  });

  it('closes the open interval at the event time and chains several changes exactly', () => {
    const plan = planStateIntervals(M, open('PRODUCING', T0), [
      ev('PRODUCING', T0 + 3000),
      ev('DOWN', T0 + 1000),
      ev('IDLE', T0 + 2000),
    ]);
    expect(plan.updates).toEqual([open('PRODUCING', T0, { endedAtMs: T0 + 1000 })]);
    expect(plan.inserts.map((i) => [i.state, i.startedAtMs, i.endedAtMs])).toEqual([
      ['DOWN', T0 + 1000, T0 + 2000],
      ['IDLE', T0 + 2000, T0 + 3000],
      ['PRODUCING', T0 + 3000, null],
    ]);
  });

  it('ignores a repeated identical state', () => {
    const plan = planStateIntervals(M, open('IDLE', T0), [ev('IDLE', T0 + 500), ev('IDLE', T0)]);
    expect(plan).toMatchObject({ updates: [], inserts: [], duplicateCount: 2, changedCurrent: null });
  });

  it('treats a new reason or product under the same state as a change', () => {
    const plan = planStateIntervals(M, open('DOWN', T0, { reasonId: P1 }), [ev('DOWN', T0 + 10, { reasonId: P2 })]);
    expect(plan.inserts).toHaveLength(1);
    expect(plan.updates[0]?.endedAtMs).toBe(T0 + 10);
  });

  it('keeps the product when the event names none, and switches it when it does', () => {
    const plan = planStateIntervals(M, open('PRODUCING', T0, { productId: P1 }), [
      ev('CHANGEOVER', T0 + 10),
      ev('PRODUCING', T0 + 20, { productId: P2 }),
    ]);
    expect(plan.inserts.map((i) => i.productId)).toEqual([P1, P2]);
  });

  it('replaces the open interval when a different state arrives at its exact start', () => {
    const plan = planStateIntervals(M, open('PRODUCING', T0), [ev('DOWN', T0)]);
    expect(plan.inserts).toEqual([]);
    expect(plan.updates).toEqual([open('DOWN', T0)]);
  });

  it('dead-letters an event older than the open interval, and keeps going', () => {
    const plan = planStateIntervals(M, open('PRODUCING', T0), [ev('DOWN', T0 - 1), ev('IDLE', T0 + 5)]);
    expect(plan.outOfOrder).toEqual([`DOWN@${T0 - 1}`]);
    expect(plan.inserts.map((i) => i.state)).toEqual(['IDLE']);
  });

  it('dead-letters an event inside a closed latest interval', () => {
    const closed = open('DOWN', T0, { endedAtMs: T0 + 100 });
    const plan = planStateIntervals(M, closed, [ev('IDLE', T0 + 50), ev('IDLE', T0 + 100)]);
    expect(plan.outOfOrder).toEqual([`IDLE@${T0 + 50}`]);
    expect(plan.updates).toEqual([]);
    expect(plan.inserts.map((i) => [i.startedAtMs, i.endedAtMs])).toEqual([[T0 + 100, null]]);
  });

  it('drops a stale replay (retained message) quietly', () => {
    const plan = planStateIntervals(M, open('OFFLINE', T0), [ev('PRODUCING', T0 - 60_000, { isReplay: true })]);
    expect(plan).toMatchObject({ outOfOrder: [], staleReplayCount: 1, inserts: [], updates: [] });
  });
});
