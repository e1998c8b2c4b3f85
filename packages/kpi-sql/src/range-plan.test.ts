// The split of a range between rollup hours and exact cells: together they cover the machine's range exactly once,
// no exact cell crosses a cut point, and no rollup hour that the SQL reads has a cut point inside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from './kpi-sql.types.ts';
import { pieceIndexOf, planMachineRange } from './range-plan.ts';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const h = (hours: number) => T0 + hours * HOUR_MS;

describe('planMachineRange', () => {
  it('reads whole covered hours from rollups and computes the partial edges exactly', () => {
    const plan = planMachineRange({
      cutsMs: [h(1.5), h(10.25)],
      toMs: h(10.25),
      coverage: { fromMs: h(0), toMs: h(24) },
      useRollups: true,
    });
    expect(plan.rollupHours).toEqual({ startMs: h(2), endMs: h(10) });
    expect(plan.exactCells).toEqual([
      { startMs: h(1.5), endMs: h(2), pieceIndex: 0 },
      { startMs: h(10), endMs: h(10.25), pieceIndex: 0 },
    ]);
  });

  it('computes hours outside the coverage exactly (never rolled up, or the running hour)', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(24)],
      toMs: h(24),
      coverage: { fromMs: h(5), toMs: h(20) },
      useRollups: true,
    });
    expect(plan.rollupHours).toEqual({ startMs: h(5), endMs: h(20) });
    expect(plan.exactCells).toEqual([
      { startMs: h(0), endMs: h(5), pieceIndex: 0 },
      { startMs: h(20), endMs: h(24), pieceIndex: 0 },
    ]);
  });

  it('splits an hour with a bucket boundary inside (a shift at 06:30) into exact cells on either side', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(6.5), h(14.5), h(24)],
      toMs: h(24),
      coverage: { fromMs: h(0), toMs: h(24) },
      useRollups: true,
    });
    expect(plan.rollupHours).toEqual({ startMs: h(0), endMs: h(24) });
    expect(plan.exactCells).toEqual([
      { startMs: h(6), endMs: h(6.5), pieceIndex: 0 },
      { startMs: h(6.5), endMs: h(7), pieceIndex: 1 },
      { startMs: h(14), endMs: h(14.5), pieceIndex: 1 },
      { startMs: h(14.5), endMs: h(15), pieceIndex: 2 },
    ]);
  });

  it('computes everything exactly without rollups or coverage, cut at every piece', () => {
    for (const [coverage, useRollups] of [
      [null, true],
      [{ fromMs: h(0), toMs: h(48) }, false],
    ] as const) {
      const plan = planMachineRange({ cutsMs: [h(0), h(24), h(48)], toMs: h(30), coverage, useRollups });
      expect(plan.rollupHours).toBeNull();
      expect(plan.exactCells).toEqual([
        { startMs: h(0), endMs: h(24), pieceIndex: 0 },
        { startMs: h(24), endMs: h(30), pieceIndex: 1 },
      ]);
    }
  });

  it('covers [from, machine end) exactly once, with no exact cell across a cut and no read hour with a cut inside', () => {
    const ms = fc.integer({ min: 0, max: 72 * HOUR_MS });
    fc.assert(
      fc.property(
        fc.uniqueArray(ms, { minLength: 2, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 72 }), { maxLength: 4 }),
        ms,
        fc.option(fc.tuple(fc.integer({ min: 0, max: 72 }), fc.integer({ min: 0, max: 72 }))),
        fc.boolean(),
        (rawCuts, hourCuts, rawToMs, coverageHours, useRollups) => {
          const cutsMs = [...new Set([...rawCuts.map((c) => T0 + c), ...hourCuts.map(h)])].sort((a, b) => a - b);
          const fromMs = cutsMs[0] as number;
          const lastMs = cutsMs[cutsMs.length - 1] as number;
          const toMs = Math.min(T0 + rawToMs, lastMs);
          const coverage =
            coverageHours === null
              ? null
              : { fromMs: h(Math.min(...coverageHours)), toMs: h(Math.max(...coverageHours)) };
          const plan = planMachineRange({ cutsMs, toMs, coverage, useRollups });

          const readHours: number[] = [];
          if (plan.rollupHours !== null) {
            expect(useRollups && coverage !== null).toBe(true);
            for (let hourMs = plan.rollupHours.startMs; hourMs < plan.rollupHours.endMs; hourMs += HOUR_MS) {
              const hasCutInside = cutsMs.some((c) => c > hourMs && c < hourMs + HOUR_MS);
              if (!hasCutInside) readHours.push(hourMs);
            }
          }
          const pieces = [
            ...readHours.map((startMs) => ({ startMs, endMs: startMs + HOUR_MS })),
            ...plan.exactCells.map((c) => {
              expect(pieceIndexOf(c.startMs, cutsMs)).toBe(c.pieceIndex);
              expect(c.endMs).toBeLessThanOrEqual(cutsMs[c.pieceIndex + 1] as number);
              return c;
            }),
          ].sort((a, b) => a.startMs - b.startMs);
          let cursorMs = fromMs;
          for (const piece of pieces) {
            expect(piece.startMs).toBe(cursorMs);
            expect(piece.endMs).toBeGreaterThan(piece.startMs);
            cursorMs = piece.endMs;
          }
          expect(cursorMs).toBe(Math.max(fromMs, toMs));
        },
      ),
    );
  });
});

describe('pieceIndexOf', () => {
  it('finds the half-open piece holding an instant, or -1 outside', () => {
    const cuts = [10, 20, 30];
    expect([9, 10, 19, 20, 29, 30].map((ms) => pieceIndexOf(ms, cuts))).toEqual([-1, 0, 0, 1, 1, -1]);
  });
});
