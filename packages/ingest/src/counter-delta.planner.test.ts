import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterDeltaOf, planCounterDeltas, type CounterReading } from './counter-delta.planner.ts';

const reading = (tsMs: number, value: number, order = tsMs): CounterReading => ({ tsMs, value, seq: null, order });

describe('counterDeltaOf', () => {
  it.each([
    ['an increase', 100, 104, 4],
    ['no change', 100, 100, 0],
    ['a reset (counts from 0)', 100, 7, 7],
    ['a reset to 0', 100, 0, 0],
    ['a 16-bit rollover', 65_530, 4, 10],
    ['a 32-bit rollover', 4_294_967_290, 5, 11],
    ['a drop from the middle of the 16-bit range (reset, not rollover)', 30_000, 4, 4],
  ])('%s', (_name, previous, value, delta) => {
    expect(counterDeltaOf(previous, value)).toBe(delta);
  });
});

describe('planCounterDeltas', () => {
  it('takes the first reading as the baseline', () => {
    expect(planCounterDeltas(null, [], [reading(1, 100)])).toEqual([]);
    expect(planCounterDeltas(reading(1, 100), [], [reading(2, 103)])).toEqual([{ tsMs: 2, delta: 3 }]);
  });

  it('puts a late reading in its place, moving parts to its time', () => {
    // Stored 100 @1 → 110 @3 (10 at 3); the late 104 @2 makes it 4 at 2 and 6 at 3.
    expect(planCounterDeltas(reading(1, 100), [reading(3, 110)], [reading(2, 104)])).toEqual([
      { tsMs: 3, delta: -4 },
      { tsMs: 2, delta: 4 },
    ]);
  });

  it('a late reading before a reset changes what the reset counted', () => {
    // 100 @1 → 50 @3 (reset: 50); a late 120 @2 adds 20 at 2 and leaves the reset at 3 counting 50.
    const plan = planCounterDeltas(reading(1, 100), [reading(3, 50)], [reading(2, 120)]);
    expect(plan).toEqual([{ tsMs: 2, delta: 20 }]);
  });

  it('sums to the in-order deltas whatever the arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 20 }),
        fc.func(fc.nat()),
        (values, rank) => {
          const series = values.map((value, index) => reading(index + 1, value));
          const inOrder = new Map<number, number>();
          for (let i = 1; i < series.length; i += 1)
            inOrder.set(i + 1, counterDeltaOf(series[i - 1]?.value ?? 0, series[i]?.value ?? 0));
          // Apply in a shuffled order, one reading at a time, as separate batches would.
          const shuffled = [...series].sort((a, b) => rank(a.tsMs) - rank(b.tsMs) || a.tsMs - b.tsMs);
          const stored: CounterReading[] = [];
          const totals = new Map<number, number>();
          for (const [order, next] of shuffled.entries()) {
            const added = { ...next, order };
            const before = stored.filter((r) => r.tsMs < added.tsMs).sort((a, b) => b.tsMs - a.tsMs)[0] ?? null;
            const after = stored.filter((r) => r.tsMs >= added.tsMs);
            for (const { tsMs, delta } of planCounterDeltas(before, after, [added]))
              totals.set(tsMs, (totals.get(tsMs) ?? 0) + delta);
            stored.push(added);
          }
          const clean = (m: Map<number, number>) => [...m].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
          expect(clean(totals)).toEqual(clean(inOrder));
        },
      ),
      { numRuns: 100 },
    );
  });
});
