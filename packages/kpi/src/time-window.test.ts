// Window algebra: worked cases for each helper plus fast-check properties (measure identities on random lists).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clipInterval,
  findWindowIndex,
  intersect,
  intersectWindows,
  normalizeWindows,
  subtractWindows,
  totalDurationMs,
  windowDurationMs,
  type TTimeWindow,
} from './time-window.ts';

const w = (startMs: number, endMs: number): TTimeWindow => ({ startMs, endMs });

describe('intersect', () => {
  it('returns the overlap of two windows', () => {
    expect(intersect(w(0, 10), w(5, 20))).toEqual(w(5, 10));
    expect(intersect(w(5, 20), w(0, 10))).toEqual(w(5, 10));
    expect(intersect(w(0, 10), w(2, 3))).toEqual(w(2, 3));
  });

  it('is null for windows that only touch (half-open) or are apart', () => {
    expect(intersect(w(0, 10), w(10, 20))).toBeNull();
    expect(intersect(w(0, 10), w(11, 20))).toBeNull();
    expect(intersect(w(5, 5), w(0, 10))).toBeNull();
  });
});

describe('clipInterval', () => {
  const range = w(100, 200);

  it('clips both ends and keeps the other fields', () => {
    expect(clipInterval({ startMs: 50, endMs: 150, state: 'DOWN' }, range)).toEqual({
      startMs: 100,
      endMs: 150,
      state: 'DOWN',
    });
    expect(clipInterval({ startMs: 150, endMs: 250 }, range)).toEqual(w(150, 200));
  });

  it('runs an open interval to the range end', () => {
    expect(clipInterval({ startMs: 120, endMs: null }, range)).toEqual(w(120, 200));
    expect(clipInterval({ startMs: 0, endMs: null }, range)).toEqual(w(100, 200));
  });

  it('is null outside the range, including an open interval that starts at its end', () => {
    expect(clipInterval({ startMs: 0, endMs: 100 }, range)).toBeNull();
    expect(clipInterval({ startMs: 200, endMs: null }, range)).toBeNull();
  });
});

describe('normalizeWindows', () => {
  it('sorts, merges overlapping and touching windows, drops empty ones', () => {
    expect(normalizeWindows([w(20, 30), w(0, 10), w(10, 15), w(25, 40), w(50, 50), w(60, 55)])).toEqual([
      w(0, 15),
      w(20, 40),
    ]);
  });

  it('does not mutate its input', () => {
    const input = [w(0, 10), w(5, 20)];
    normalizeWindows(input);
    expect(input).toEqual([w(0, 10), w(5, 20)]);
  });
});

describe('intersectWindows / subtractWindows', () => {
  it('intersects two lists', () => {
    expect(intersectWindows([w(0, 10), w(20, 30)], [w(5, 25)])).toEqual([w(5, 10), w(20, 25)]);
    expect(intersectWindows([w(0, 10)], [])).toEqual([]);
  });

  it('subtracts holes, including ones that cover a window whole or reach past it', () => {
    expect(subtractWindows([w(0, 100)], [w(10, 20), w(30, 40)])).toEqual([w(0, 10), w(20, 30), w(40, 100)]);
    expect(subtractWindows([w(0, 10), w(20, 30)], [w(5, 25)])).toEqual([w(0, 5), w(25, 30)]);
    expect(subtractWindows([w(0, 10)], [w(-5, 15)])).toEqual([]);
    expect(subtractWindows([w(0, 10)], [])).toEqual([w(0, 10)]);
  });

  it('totals durations counting overlaps once', () => {
    expect(totalDurationMs([w(0, 10), w(5, 15), w(20, 21)])).toBe(16);
    expect(windowDurationMs(w(10, 5))).toBe(0);
  });
});

describe('findWindowIndex', () => {
  it('finds the window that contains an instant, respecting half-open ends', () => {
    const list = [w(0, 10), w(20, 30)];
    expect(findWindowIndex(list, 0)).toBe(0);
    expect(findWindowIndex(list, 9)).toBe(0);
    expect(findWindowIndex(list, 10)).toBe(-1);
    expect(findWindowIndex(list, 25)).toBe(1);
    expect(findWindowIndex(list, 30)).toBe(-1);
    expect(findWindowIndex([], 0)).toBe(-1);
  });
});

describe('window algebra properties', () => {
  const windowArb = fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 }))
    .map(([startMs, lengthMs]) => w(startMs, startMs + lengthMs));
  const listArb = fc.array(windowArb, { maxLength: 8 });

  it('|A| = |A ∩ B| + |A − B|, and the results are sorted, disjoint and non-empty', () => {
    fc.assert(
      fc.property(listArb, listArb, (a, b) => {
        const both = intersectWindows(a, b);
        const onlyA = subtractWindows(a, b);
        expect(totalDurationMs(both) + totalDurationMs(onlyA)).toBe(totalDurationMs(a));
        for (const list of [both, onlyA]) {
          list.forEach((x, i) => {
            expect(x.endMs).toBeGreaterThan(x.startMs);
            const next = list[i + 1];
            if (next) expect(next.startMs).toBeGreaterThan(x.endMs - 1);
          });
        }
        expect(totalDurationMs(intersectWindows(onlyA, b))).toBe(0);
      }),
    );
  });

  it('every instant is classified consistently by the three operations', () => {
    fc.assert(
      fc.property(listArb, listArb, fc.integer({ min: -10, max: 1300 }), (a, b, t) => {
        const inA = findWindowIndex(normalizeWindows(a), t) >= 0;
        const inB = findWindowIndex(normalizeWindows(b), t) >= 0;
        expect(findWindowIndex(intersectWindows(a, b), t) >= 0).toBe(inA && inB);
        expect(findWindowIndex(subtractWindows(a, b), t) >= 0).toBe(inA && !inB);
      }),
    );
  });
});
