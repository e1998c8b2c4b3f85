// The split of a range between rollup rows and exact cells: together they cover the machine's range exactly once,
// no exact cell crosses a cut point, and no rollup row that the SQL reads has a cut point inside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandLocalDays } from '@takt/kpi';
import { HOUR_MS } from './kpi-sql.types.ts';
import { pieceIndexOf, planMachineRange, type TMachineRangePlan } from './range-plan.ts';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const h = (hours: number) => T0 + hours * HOUR_MS;
const hours = (plan: TMachineRangePlan) =>
  plan.rollupSpans.filter((s) => s.level === 'HOUR').map(({ startMs, endMs }) => ({ startMs, endMs }));
const days = (plan: TMachineRangePlan) =>
  plan.rollupSpans.filter((s) => s.level === 'DAY').map(({ startMs, endMs }) => ({ startMs, endMs }));

describe('planMachineRange', () => {
  it('reads whole covered hours from rollups and computes the partial edges exactly', () => {
    const plan = planMachineRange({
      cutsMs: [h(1.5), h(10.25)],
      toMs: h(10.25),
      coverage: { fromMs: h(0), toMs: h(24), stale: [] },
      useRollups: true,
    });
    expect(hours(plan)).toEqual([{ startMs: h(2), endMs: h(10) }]);
    expect(plan.exactCells).toEqual([
      { startMs: h(1.5), endMs: h(2), pieceIndex: 0 },
      { startMs: h(10), endMs: h(10.25), pieceIndex: 0 },
    ]);
  });

  it('reads whole local days from day rollups, hours around them, and computes the rest', () => {
    const localDays = expandLocalDays({ timeZone: 'UTC', fromMs: h(0), toMs: h(72) });
    const plan = planMachineRange({
      cutsMs: [h(5.5), h(24), h(48), h(70)],
      toMs: h(70),
      coverage: { fromMs: h(0), toMs: h(69), stale: [] },
      useRollups: true,
      localDays,
    });
    expect(days(plan)).toEqual([{ startMs: h(24), endMs: h(48) }]);
    expect(hours(plan)).toEqual([
      { startMs: h(6), endMs: h(24) },
      { startMs: h(48), endMs: h(69) },
    ]);
    expect(plan.exactCells).toEqual([
      { startMs: h(5.5), endMs: h(6), pieceIndex: 0 },
      { startMs: h(69), endMs: h(70), pieceIndex: 2 },
    ]);
  });

  it('uses no day with a cut point inside, nor one whose ends are not on UTC hours (UTC+05:30)', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(30), h(96)],
      toMs: h(96),
      coverage: { fromMs: h(0), toMs: h(96), stale: [] },
      useRollups: true,
      localDays: expandLocalDays({ timeZone: 'UTC', fromMs: h(0), toMs: h(96) }),
    });
    expect(days(plan)).toEqual([
      { startMs: h(0), endMs: h(24) },
      { startMs: h(48), endMs: h(96) },
    ]);
    expect(hours(plan)).toEqual([{ startMs: h(24), endMs: h(48) }]);
    const kolkata = planMachineRange({
      cutsMs: [h(0), h(96)],
      toMs: h(96),
      coverage: { fromMs: h(0), toMs: h(96), stale: [] },
      useRollups: true,
      localDays: expandLocalDays({ timeZone: 'Asia/Kolkata', fromMs: h(0), toMs: h(96) }),
    });
    expect(days(kolkata)).toEqual([]);
    expect(hours(kolkata)).toEqual([{ startMs: h(0), endMs: h(96) }]);
  });

  it('computes hours outside the coverage exactly (never rolled up, or the running hour)', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(24)],
      toMs: h(24),
      coverage: { fromMs: h(5), toMs: h(20), stale: [] },
      useRollups: true,
    });
    expect(hours(plan)).toEqual([{ startMs: h(5), endMs: h(20) }]);
    expect(plan.exactCells).toEqual([
      { startMs: h(0), endMs: h(5), pieceIndex: 0 },
      { startMs: h(20), endMs: h(24), pieceIndex: 0 },
    ]);
  });

  it('computes stale hours inside the coverage exactly (a configuration change not yet recomputed)', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(72)],
      toMs: h(72),
      coverage: { fromMs: h(0), toMs: h(72), stale: [{ startMs: h(30), endMs: h(33) }] },
      useRollups: true,
      localDays: expandLocalDays({ timeZone: 'UTC', fromMs: h(0), toMs: h(72) }),
    });
    // The day holding the stale hours is not read either: its row sums them.
    expect(days(plan)).toEqual([
      { startMs: h(0), endMs: h(24) },
      { startMs: h(48), endMs: h(72) },
    ]);
    expect(hours(plan)).toEqual([
      { startMs: h(24), endMs: h(30) },
      { startMs: h(33), endMs: h(48) },
    ]);
    expect(plan.exactCells).toEqual([{ startMs: h(30), endMs: h(33), pieceIndex: 0 }]);
  });

  it('splits an hour with a bucket boundary inside (a shift at 06:30) into exact cells on either side', () => {
    const plan = planMachineRange({
      cutsMs: [h(0), h(6.5), h(14.5), h(24)],
      toMs: h(24),
      coverage: { fromMs: h(0), toMs: h(24), stale: [] },
      useRollups: true,
    });
    expect(hours(plan)).toEqual([{ startMs: h(0), endMs: h(24) }]);
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
      [{ fromMs: h(0), toMs: h(48), stale: [] }, false],
    ] as const) {
      const plan = planMachineRange({ cutsMs: [h(0), h(24), h(48)], toMs: h(30), coverage, useRollups });
      expect(plan.rollupSpans).toEqual([]);
      expect(plan.exactCells).toEqual([
        { startMs: h(0), endMs: h(24), pieceIndex: 0 },
        { startMs: h(24), endMs: h(30), pieceIndex: 1 },
      ]);
    }
  });

  it('covers [from, machine end) exactly once, with no exact cell across a cut and no read row with a cut inside', () => {
    const ms = fc.integer({ min: 0, max: 120 * HOUR_MS });
    fc.assert(
      fc.property(
        fc.uniqueArray(ms, { minLength: 2, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 4 }),
        ms,
        fc.option(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 30 })), { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', null),
        (rawCuts, hourCuts, rawToMs, coverageHours, staleHours, useRollups, timeZone) => {
          const cutsMs = [...new Set([...rawCuts.map((c) => T0 + c), ...hourCuts.map(h)])].sort((a, b) => a - b);
          const fromMs = cutsMs[0] as number;
          const lastMs = cutsMs[cutsMs.length - 1] as number;
          const toMs = Math.min(T0 + rawToMs, lastMs);
          const coverage =
            coverageHours === null
              ? null
              : {
                  fromMs: h(Math.min(...coverageHours)),
                  toMs: h(Math.max(...coverageHours)),
                  stale: staleHours.map(([startHour, length]) => ({
                    startMs: h(startHour),
                    endMs: h(startHour + length),
                  })),
                };
          const localDays = timeZone === null ? undefined : expandLocalDays({ timeZone, fromMs, toMs: lastMs });
          const plan = planMachineRange({ cutsMs, toMs, coverage, useRollups, localDays });

          const readRows: { startMs: number; endMs: number }[] = [];
          for (const span of plan.rollupSpans) {
            expect(useRollups && coverage !== null).toBe(true);
            expect(span.startMs).toBeGreaterThanOrEqual(coverage?.fromMs ?? Infinity);
            expect(span.endMs).toBeLessThanOrEqual(coverage?.toMs ?? -Infinity);
            for (const stale of coverage?.stale ?? []) {
              expect(span.endMs <= stale.startMs || span.startMs >= stale.endMs).toBe(true);
            }
            const rows =
              span.level === 'DAY'
                ? (localDays ?? []).filter((d) => d.startMs >= span.startMs && d.endMs <= span.endMs)
                : Array.from({ length: (span.endMs - span.startMs) / HOUR_MS }, (_, k) => ({
                    startMs: span.startMs + k * HOUR_MS,
                    endMs: span.startMs + (k + 1) * HOUR_MS,
                  }));
            const hasCutInside = (r: { startMs: number; endMs: number }) =>
              cutsMs.some((c) => c > r.startMs && c < r.endMs);
            if (span.level === 'DAY') expect(rows.some(hasCutInside)).toBe(false);
            readRows.push(...rows.filter((r) => !hasCutInside(r)));
          }
          const pieces = [
            ...readRows,
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
