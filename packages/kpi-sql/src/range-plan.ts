// How a range query splits a machine's time between hour rollups and exact computation (pure, no I/O).
//
// The caller cuts the range into pieces (its cut points: the range ends and every bucket boundary), and wants
// components per machine and per piece. A rollup hour can be used when it is complete, covered by the machine's
// rollups, and inside one piece. Everything else is computed exactly, in cells that never cross a cut point: the
// partial hours at the ends, hours with a bucket boundary inside (a shift starting at 06:30, local midnight in a
// UTC+05:30 zone), and hours outside the coverage (never rolled up, or the running hour).
import { ceilHourMs, floorHourMs, HOUR_MS, type TRollupCoverage } from './kpi-sql.types.ts';
import type { TTimeWindow } from '@takt/kpi';

/** Exact computation of `[fromMs, toMs)`, which lies in piece `pieceIndex` (`[cuts[i], cuts[i + 1])`). */
export type TExactCell = TTimeWindow & { pieceIndex: number };

export type TMachineRangePlan = {
  /** Rollup hours `[fromMs, toMs)` to read (only those inside one piece), or null. */
  rollupHours: TTimeWindow | null;
  exactCells: TExactCell[];
};

export type TPlanMachineRangeInput = {
  /** Sorted, distinct cut points; the first and last are the range's ends. */
  cutsMs: readonly number[];
  /** The machine's own end, at most the range's end (an archived machine stops early). */
  toMs: number;
  coverage: TRollupCoverage | null;
  useRollups: boolean;
};

/** Which hours of one machine come from rollups and which cells are computed exactly. */
export function planMachineRange(input: TPlanMachineRangeInput): TMachineRangePlan {
  const { cutsMs, coverage } = input;
  const fromMs = cutsMs[0];
  if (fromMs === undefined) return { rollupHours: null, exactCells: [] };
  const toMs = Math.min(input.toMs, cutsMs[cutsMs.length - 1] ?? fromMs);
  if (toMs <= fromMs) return { rollupHours: null, exactCells: [] };

  let rollupHours: TTimeWindow | null = null;
  if (input.useRollups && coverage !== null) {
    const startMs = Math.max(ceilHourMs(fromMs), coverage.fromMs);
    const endMs = Math.min(floorHourMs(toMs), coverage.toMs);
    if (endMs > startMs) rollupHours = { startMs, endMs };
  }

  const exact: TTimeWindow[] = [];
  if (rollupHours === null) exact.push({ startMs: fromMs, endMs: toMs });
  else {
    if (fromMs < rollupHours.startMs) exact.push({ startMs: fromMs, endMs: rollupHours.startMs });
    // Hours of the rollup range with a cut point inside: the SQL skips them, so they are computed here.
    for (const cutMs of cutsMs) {
      if (cutMs % HOUR_MS === 0 || cutMs <= rollupHours.startMs || cutMs >= rollupHours.endMs) continue;
      const hourMs = floorHourMs(cutMs);
      const last = exact[exact.length - 1];
      if (last !== undefined && last.endMs >= hourMs) last.endMs = Math.max(last.endMs, hourMs + HOUR_MS);
      else exact.push({ startMs: hourMs, endMs: hourMs + HOUR_MS });
    }
    if (rollupHours.endMs < toMs) exact.push({ startMs: rollupHours.endMs, endMs: toMs });
  }
  return { rollupHours, exactCells: exact.flatMap((w) => splitAtCuts(w, cutsMs)) };
}

// Splits a window at the cut points inside it; each part is labelled with the piece it lies in.
function splitAtCuts(window: TTimeWindow, cutsMs: readonly number[]): TExactCell[] {
  const cells: TExactCell[] = [];
  let pieceIndex = pieceIndexOf(window.startMs, cutsMs);
  let startMs = window.startMs;
  while (startMs < window.endMs && pieceIndex >= 0 && pieceIndex < cutsMs.length - 1) {
    const endMs = Math.min(window.endMs, cutsMs[pieceIndex + 1] ?? window.endMs);
    if (endMs > startMs) cells.push({ startMs, endMs, pieceIndex });
    startMs = endMs;
    pieceIndex++;
  }
  return cells;
}

/** Index i of the piece `[cuts[i], cuts[i + 1])` holding `ms`, or -1 outside the cuts. */
export function pieceIndexOf(ms: number, cutsMs: readonly number[]): number {
  let low = 0;
  let high = cutsMs.length - 2;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((cutsMs[mid] ?? Infinity) <= ms) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found >= 0 && ms < (cutsMs[found + 1] ?? -Infinity) ? found : -1;
}
