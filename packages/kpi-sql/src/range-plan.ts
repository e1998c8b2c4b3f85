// How a range query splits a machine's time between rollups and exact computation (pure, no I/O).
//
// The caller cuts the range into pieces (its cut points: the range ends and every bucket boundary) and wants
// components per machine and per piece. Rollup rows can be used inside the machine's coverage when no cut point lies
// inside them: day rows (local days of the site that start and end on UTC hours) first, hour rows for the rest.
// Everything else is computed exactly, in cells that never cross a cut point: the partial hours at the ends, hours
// with a bucket boundary inside (a shift starting at 06:30, local midnight in a UTC+05:30 zone), and time outside
// the coverage (never rolled up, or the running hour) or stale inside it (a configuration change not yet recomputed).
import { intersectWindows, normalizeWindows, subtractWindows, type TTimeWindow } from '@takt/kpi';
import { ceilHourMs, floorHourMs, HOUR_MS, type TRollupCoverage } from './kpi-sql.types.ts';

/** Exact computation of `[startMs, endMs)`, which lies in piece `pieceIndex` (`[cuts[i], cuts[i + 1])`). */
export type TExactCell = TTimeWindow & { pieceIndex: number };

/** Rollup rows to read: whole days (kpi_rollup_day) or whole hours (kpi_rollup_hour) in `[startMs, endMs)`. */
export type TRollupSpan = TTimeWindow & { level: 'DAY' | 'HOUR' };

export type TMachineRangePlan = { rollupSpans: TRollupSpan[]; exactCells: TExactCell[] };

export type TPlanMachineRangeInput = {
  /** Sorted, distinct cut points; the first and last are the range's ends. */
  cutsMs: readonly number[];
  /** The machine's own end, at most the range's end (an archived machine stops early). */
  toMs: number;
  coverage: TRollupCoverage | null;
  useRollups: boolean;
  /** Local days of the machine's site around the range (expandLocalDays); without them only hour rows are read. */
  localDays?: readonly TTimeWindow[];
};

/** Which days and hours of one machine come from rollups and which cells are computed exactly. */
export function planMachineRange(input: TPlanMachineRangeInput): TMachineRangePlan {
  const { cutsMs, coverage } = input;
  const fromMs = cutsMs[0];
  if (fromMs === undefined) return { rollupSpans: [], exactCells: [] };
  const toMs = Math.min(input.toMs, cutsMs[cutsMs.length - 1] ?? fromMs);
  if (toMs <= fromMs) return { rollupSpans: [], exactCells: [] };
  const whole: TTimeWindow = { startMs: fromMs, endMs: toMs };
  if (!input.useRollups || coverage === null) return { rollupSpans: [], exactCells: splitAtCuts([whole], cutsMs) };

  // Rows are read only where they are current: inside the coverage, outside its stale hours.
  const usable = intersectWindows(
    subtractWindows([{ startMs: coverage.fromMs, endMs: coverage.toMs }], coverage.stale),
    [whole],
  );
  const hasCutInside = (w: TTimeWindow) => cutsMs.some((c) => c > w.startMs && c < w.endMs);
  const days = normalizeWindows(
    (input.localDays ?? []).filter(
      (d) =>
        usable.some((u) => d.startMs >= u.startMs && d.endMs <= u.endMs) &&
        d.startMs % HOUR_MS === 0 &&
        d.endMs % HOUR_MS === 0 &&
        !hasCutInside(d),
    ),
  );
  const hours = subtractWindows(
    usable.map((u) => ({ startMs: ceilHourMs(u.startMs), endMs: floorHourMs(u.endMs) })),
    days,
  );

  // Hours with a cut point inside: the SQL skips them (their start and last millisecond fall in different
  // pieces), so they are computed here.
  const straddling: TTimeWindow[] = [];
  for (const cutMs of cutsMs) {
    if (cutMs % HOUR_MS === 0) continue;
    const hourMs = floorHourMs(cutMs);
    if (hours.some((h) => hourMs >= h.startMs && hourMs < h.endMs))
      straddling.push({ startMs: hourMs, endMs: hourMs + HOUR_MS });
  }
  const exact = normalizeWindows([...subtractWindows([whole], [...days, ...hours]), ...straddling]);
  return {
    rollupSpans: [
      ...days.map((w): TRollupSpan => ({ ...w, level: 'DAY' })),
      ...hours.map((w): TRollupSpan => ({ ...w, level: 'HOUR' })),
    ],
    exactCells: splitAtCuts(exact, cutsMs),
  };
}

// Splits windows at the cut points inside them; each part is labelled with the piece it lies in.
function splitAtCuts(windows: readonly TTimeWindow[], cutsMs: readonly number[]): TExactCell[] {
  const cells: TExactCell[] = [];
  for (const window of windows) {
    let pieceIndex = pieceIndexOf(window.startMs, cutsMs);
    let startMs = window.startMs;
    while (startMs < window.endMs && pieceIndex >= 0 && pieceIndex < cutsMs.length - 1) {
      const endMs = Math.min(window.endMs, cutsMs[pieceIndex + 1] ?? window.endMs);
      if (endMs > startMs) cells.push({ startMs, endMs, pieceIndex });
      startMs = endMs;
      pieceIndex++;
    }
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
