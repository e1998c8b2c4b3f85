// Series buckets: local days and hours across a clock change, and shifts per line (two patterns, a shift cut by the
// range), mapped onto the pieces between cut points.
import { describe, expect, it } from 'vitest';
import type { TShiftDefinition } from '@takt/kpi';
import { planBuckets } from './kpi-buckets.ts';

const BERLIN = 'Europe/Berlin';
// Saturday 29 March 2025 00:00 to Monday 31 March 00:00 in Berlin; Sunday has 23 hours.
const FROM_MS = Date.parse('2025-03-29T00:00:00+01:00');
const TO_MS = Date.parse('2025-03-31T00:00:00+02:00');
const HOUR_MS = 3_600_000;

describe('planBuckets', () => {
  it('cuts a range into local days, one piece each, a DST day lasting 23 hours', () => {
    const plan = planBuckets({ bucket: 'day', fromMs: FROM_MS, toMs: TO_MS, timeZone: BERLIN, lines: [] });
    expect(plan.cutsMs).toEqual([FROM_MS, Date.parse('2025-03-30T00:00:00+01:00'), TO_MS]);
    expect(plan.buckets.map((b) => [b.label, (b.toMs - b.fromMs) / HOUR_MS, b.parts])).toEqual([
      ['2025-03-29', 24, [{ groupNo: 0, pieceIndex: 0 }]],
      ['2025-03-30', 23, [{ groupNo: 0, pieceIndex: 1 }]],
    ]);
  });

  it('clips the first and last day to a range that starts and ends mid-day', () => {
    const fromMs = FROM_MS + 5.5 * HOUR_MS;
    const toMs = FROM_MS + 30 * HOUR_MS;
    const plan = planBuckets({ bucket: 'day', fromMs, toMs, timeZone: BERLIN, lines: [] });
    expect(plan.buckets.map((b) => [b.fromMs, b.toMs])).toEqual([
      [fromMs, FROM_MS + 24 * HOUR_MS],
      [FROM_MS + 24 * HOUR_MS, toMs],
    ]);
  });

  it('cuts a range into local hours, labelled with the local offset', () => {
    const fromMs = Date.parse('2025-03-30T00:00:00+01:00');
    const plan = planBuckets({ bucket: 'hour', fromMs, toMs: TO_MS, timeZone: BERLIN, lines: [] });
    expect(plan.buckets).toHaveLength(23);
    expect(plan.buckets.slice(1, 3).map((b) => b.label)).toEqual(['2025-03-30T01:00+01:00', '2025-03-30T03:00+02:00']);
    expect(plan.cutsMs).toHaveLength(24);
  });

  it('makes one bucket per shift window of each line, from the pieces inside it', () => {
    const early: TShiftDefinition = { code: 'early', startMinute: 360, durationMin: 480, weekdays: [6, 7], breaks: [] };
    const late: TShiftDefinition = { code: 'late', startMinute: 840, durationMin: 480, weekdays: [6, 7], breaks: [] };
    const a: TShiftDefinition = { code: 'A', startMinute: 390, durationMin: 510, weekdays: [6], breaks: [] };
    const fromMs = Date.parse('2025-03-29T10:00:00+01:00');
    const plan = planBuckets({
      bucket: 'shift',
      fromMs,
      toMs: TO_MS,
      timeZone: BERLIN,
      lines: [
        { groupNo: 0, patternId: 'p3', shifts: [early, late] },
        { groupNo: 1, patternId: 'p2', shifts: [a] },
      ],
    });
    expect(plan.isGroupedByLine).toBe(true);
    // Both Saturday morning shifts are cut by the range's start; ties sort by label.
    expect(plan.buckets.map((b) => b.label)).toEqual([
      '2025-03-29 A',
      '2025-03-29 early',
      '2025-03-29 late',
      '2025-03-30 early',
      '2025-03-30 late',
    ]);
    expect(plan.buckets.slice(0, 2).map((b) => b.fromMs)).toEqual([fromMs, fromMs]);
    for (const bucket of plan.buckets) {
      const pieces = bucket.parts.map((p) => [plan.cutsMs[p.pieceIndex], plan.cutsMs[p.pieceIndex + 1]] as const);
      expect(pieces[0]?.[0]).toBe(bucket.fromMs);
      expect(pieces.at(-1)?.[1]).toBe(bucket.toMs);
      expect(new Set(bucket.parts.map((p) => p.groupNo)).size).toBe(1);
    }
  });

  it('has no buckets for an empty range', () => {
    expect(planBuckets({ bucket: 'day', fromMs: FROM_MS, toMs: FROM_MS, timeZone: BERLIN, lines: [] }).buckets).toEqual(
      [],
    );
  });
});
