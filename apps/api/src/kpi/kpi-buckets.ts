// Series buckets of a KPI query (pure): hours and days of the site's time zone, or the shifts of each line's
// pattern, turned into cut points for the range queries of @takt/kpi-sql and a map from each bucket to the pieces
// between cut points that make it up. Hour and day buckets partition the range; shift buckets need not (time
// between shifts belongs to no shift, and each line has its own pattern), so their pieces are kept per line.
import { DateTime } from 'luxon';
import type { TKpiBucket } from '@takt/contracts';
import { expandLocalDays, expandShiftCalendar, type TShiftDefinition } from '@takt/kpi';

/** Pieces are kept per group; for shift buckets a group is a line, for hours and days everything is group 0. */
export type TBucketPart = { groupNo: number; pieceIndex: number };

export type TSeriesBucket = {
  fromMs: number;
  toMs: number;
  label: string;
  localDate: string | null;
  shiftCode: string | null;
  parts: TBucketPart[];
};

export type TBucketPlan = {
  /** Sorted, distinct cut points; the first and last are the range's ends. */
  cutsMs: number[];
  buckets: TSeriesBucket[];
  /** Whether machines are grouped by line (shift buckets). */
  isGroupedByLine: boolean;
};

export type TBucketLine = { groupNo: number; patternId: string | null; shifts: readonly TShiftDefinition[] };

export type TPlanBucketsInput = {
  bucket: TKpiBucket;
  fromMs: number;
  toMs: number;
  timeZone: string;
  /** The lines of the scope (for shift buckets). */
  lines: readonly TBucketLine[];
};

/** Cut points and series buckets of `[fromMs, toMs)`. An empty range has no buckets. */
export function planBuckets(input: TPlanBucketsInput): TBucketPlan {
  const { fromMs, toMs, timeZone } = input;
  if (toMs <= fromMs) return { cutsMs: [fromMs, fromMs], buckets: [], isGroupedByLine: false };
  if (input.bucket === 'shift') return planShiftBuckets(input);

  const windows =
    input.bucket === 'day'
      ? expandLocalDays({ timeZone, fromMs, toMs }).map((d) => ({ ...d, localDate: d.localDate, label: d.localDate }))
      : localHours(timeZone, fromMs, toMs);
  const cutsMs = distinctSorted([fromMs, toMs, ...windows.flatMap((w) => [w.startMs, w.endMs])]).filter(
    (ms) => ms >= fromMs && ms <= toMs,
  );
  const buckets = windows.map((w, index): TSeriesBucket => ({
    fromMs: Math.max(w.startMs, fromMs),
    toMs: Math.min(w.endMs, toMs),
    label: w.label,
    localDate: w.localDate,
    shiftCode: null,
    // Consecutive windows clipped to the range: window i is exactly piece i.
    parts: [{ groupNo: 0, pieceIndex: index }],
  }));
  return { cutsMs, buckets, isGroupedByLine: false };
}

function localHours(timeZone: string, fromMs: number, toMs: number) {
  const hours: { startMs: number; endMs: number; label: string; localDate: string }[] = [];
  // Luxon adds hours as elapsed time: a DST day has 23 or 25 of them.
  let hour = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf('hour');
  while (hour.toMillis() < toMs) {
    const next = hour.plus({ hours: 1 });
    hours.push({
      startMs: hour.toMillis(),
      endMs: next.toMillis(),
      label: hour.toISO({ suppressMilliseconds: true, suppressSeconds: true }) ?? '',
      localDate: hour.toISODate() ?? '',
    });
    hour = next;
  }
  return hours;
}

function planShiftBuckets(input: TPlanBucketsInput): TBucketPlan {
  const { fromMs, toMs, timeZone } = input;
  const windows = input.lines.flatMap((line) =>
    expandShiftCalendar({ shifts: line.shifts, timeZone, fromMs, toMs }).map((w) => ({
      groupNo: line.groupNo,
      // Lines on one pattern share its shifts; lines on different patterns keep theirs apart.
      key: `${line.patternId ?? ''}/${w.shiftDate}/${w.shiftCode}`,
      shiftDate: w.shiftDate,
      shiftCode: w.shiftCode,
      startMs: Math.max(w.startMs, fromMs),
      endMs: Math.min(w.endMs, toMs),
    })),
  );
  const cutsMs = distinctSorted([fromMs, toMs, ...windows.flatMap((w) => [w.startMs, w.endMs])]);
  const byKey = new Map<string, TSeriesBucket>();
  for (const w of windows) {
    if (w.endMs <= w.startMs) continue;
    const bucket = byKey.get(w.key) ?? {
      fromMs: w.startMs,
      toMs: w.endMs,
      label: `${w.shiftDate} ${w.shiftCode}`,
      localDate: w.shiftDate,
      shiftCode: w.shiftCode,
      parts: [],
    };
    bucket.fromMs = Math.min(bucket.fromMs, w.startMs);
    bucket.toMs = Math.max(bucket.toMs, w.endMs);
    const first = cutsMs.indexOf(w.startMs);
    const last = cutsMs.indexOf(w.endMs);
    for (let pieceIndex = first; pieceIndex < last; pieceIndex++) bucket.parts.push({ groupNo: w.groupNo, pieceIndex });
    byKey.set(w.key, bucket);
  }
  const buckets = [...byKey.values()].sort((a, b) => a.fromMs - b.fromMs || a.label.localeCompare(b.label));
  return { cutsMs, buckets, isGroupedByLine: true };
}

function distinctSorted(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
