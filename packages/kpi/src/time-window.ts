// Half-open time windows `[startMs, endMs)` in epoch milliseconds and the small set algebra the time model is
// built on: clip, intersect, merge, subtract. Every list these functions return is sorted, disjoint and free of
// empty windows, so durations can be summed without double counting.

export type TTimeWindow = { startMs: number; endMs: number };

/** Length of a window in milliseconds; 0 for an empty or inverted one. */
export function windowDurationMs(window: TTimeWindow): number {
  return Math.max(0, window.endMs - window.startMs);
}

/** Intersection of two windows, or null when they share no instant (windows that only touch do not overlap). */
export function intersect(a: TTimeWindow, b: TTimeWindow): TTimeWindow | null {
  const startMs = Math.max(a.startMs, b.startMs);
  const endMs = Math.min(a.endMs, b.endMs);
  return endMs > startMs ? { startMs, endMs } : null;
}

/** Clips an interval to a range, keeping its other fields; an open end (`endMs: null`) runs to the range end. */
export function clipInterval<T extends { startMs: number; endMs: number | null }>(
  interval: T,
  range: TTimeWindow,
): (Omit<T, 'startMs' | 'endMs'> & TTimeWindow) | null {
  const clipped = intersect({ startMs: interval.startMs, endMs: interval.endMs ?? range.endMs }, range);
  return clipped === null ? null : { ...interval, startMs: clipped.startMs, endMs: clipped.endMs };
}

/** Sorts windows and merges overlapping or touching ones; drops empty windows. */
export function normalizeWindows(windows: readonly TTimeWindow[]): TTimeWindow[] {
  const sorted = windows
    .filter((w) => w.endMs > w.startMs)
    .map((w) => ({ startMs: w.startMs, endMs: w.endMs }))
    .sort((a, b) => a.startMs - b.startMs);
  const merged: TTimeWindow[] = [];
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && w.startMs <= last.endMs) last.endMs = Math.max(last.endMs, w.endMs);
    else merged.push(w);
  }
  return merged;
}

/** Instants that lie in both lists of windows. */
export function intersectWindows(a: readonly TTimeWindow[], b: readonly TTimeWindow[]): TTimeWindow[] {
  const left = normalizeWindows(a);
  const right = normalizeWindows(b);
  const result: TTimeWindow[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const l = left[i] as TTimeWindow;
    const r = right[j] as TTimeWindow;
    const overlap = intersect(l, r);
    if (overlap !== null) result.push(overlap);
    // Advance whichever window ends first: it cannot overlap anything further in the other list.
    if (l.endMs <= r.endMs) i++;
    else j++;
  }
  return result;
}

/** Instants of `from` that lie in none of `remove`. */
export function subtractWindows(from: readonly TTimeWindow[], remove: readonly TTimeWindow[]): TTimeWindow[] {
  const holes = normalizeWindows(remove);
  const result: TTimeWindow[] = [];
  for (const w of normalizeWindows(from)) {
    let cursorMs = w.startMs;
    for (const hole of holes) {
      if (hole.endMs <= cursorMs) continue;
      if (hole.startMs >= w.endMs) break;
      if (hole.startMs > cursorMs) result.push({ startMs: cursorMs, endMs: hole.startMs });
      cursorMs = Math.max(cursorMs, hole.endMs);
      if (cursorMs >= w.endMs) break;
    }
    if (cursorMs < w.endMs) result.push({ startMs: cursorMs, endMs: w.endMs });
  }
  return result;
}

/** Total length of a list of windows in milliseconds, counting overlaps once. */
export function totalDurationMs(windows: readonly TTimeWindow[]): number {
  return normalizeWindows(windows).reduce((sum, w) => sum + (w.endMs - w.startMs), 0);
}

/** Index of the window of a sorted, disjoint list that contains the instant, or -1. */
export function findWindowIndex(windows: readonly TTimeWindow[], tsMs: number): number {
  let low = 0;
  let high = windows.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const w = windows[mid] as TTimeWindow;
    if (tsMs < w.startMs) high = mid - 1;
    else if (tsMs >= w.endMs) low = mid + 1;
    else return mid;
  }
  return -1;
}
