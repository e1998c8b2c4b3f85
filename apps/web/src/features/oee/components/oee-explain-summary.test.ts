// The explanation condensed: time per state clipped to the range (open intervals last until its end), and counted
// parts per product with the ideal cycle time that makes them net run time.
import { describe, expect, it } from 'vitest';
import type { TKpiExplainResponse } from '@takt/contracts';
import { productCountsOf, stateTotalsOf } from './oee-explain-summary.ts';

type TMachine = TKpiExplainResponse['machines'][number];
type TInterval = TMachine['stateIntervals'][number];

const interval = (state: TInterval['state'], startedAt: string, endedAt: string | null): TInterval => ({
  state,
  startedAt,
  endedAt,
  reason: null,
  product: null,
  sourceCode: null,
});

describe('stateTotalsOf', () => {
  const fromMs = Date.parse('2026-11-25T06:00:00Z');
  const toMs = Date.parse('2026-11-25T10:00:00Z');

  it('clips intervals to the range, longest state first', () => {
    const totals = stateTotalsOf(
      [
        interval('PRODUCING', '2026-11-25T05:00:00Z', '2026-11-25T07:00:00Z'),
        interval('DOWN', '2026-11-25T07:00:00Z', '2026-11-25T07:30:00Z'),
        interval('PRODUCING', '2026-11-25T07:30:00Z', '2026-11-25T09:00:00Z'),
        interval('IDLE', '2026-11-25T09:00:00Z', null),
      ],
      fromMs,
      toMs,
    );
    expect(totals).toEqual([
      { state: 'PRODUCING', durationSec: 9_000, intervalCount: 2 },
      { state: 'IDLE', durationSec: 3_600, intervalCount: 1 },
      { state: 'DOWN', durationSec: 1_800, intervalCount: 1 },
    ]);
  });

  it('leaves out intervals entirely outside the range', () => {
    expect(stateTotalsOf([interval('DOWN', '2026-11-25T11:00:00Z', null)], fromMs, toMs)).toEqual([]);
  });
});

describe('productCountsOf', () => {
  const product = (id: string, code: string) => ({ id, code });
  const count = (p: { id: string; code: string } | null, goodCount: number, rejectCount: number) => ({
    bucketStart: '2026-11-25T06:00:00Z',
    bucketSec: 300,
    product: p,
    goodCount,
    rejectCount,
  });
  const brk = product('b', 'BRK-1001');
  const hub = product('h', 'HUB-3001');

  it('sums parts per product and multiplies all parts by the ideal cycle time', () => {
    const rows = productCountsOf({
      counts: [count(hub, 10, 1), count(brk, 100, 2), count(brk, 50, 0), count(null, 5, 0)],
      idealCycleTimes: [{ product: brk, idealCycleTimeSec: 20, source: 'MACHINE' }],
    });
    expect(rows).toEqual([
      {
        productCode: 'BRK-1001',
        goodCount: 150,
        rejectCount: 2,
        idealCycleTimeSec: 20,
        idealCycleTimeSource: 'MACHINE',
        idealTimeSec: 3_040,
      },
      {
        productCode: 'HUB-3001',
        goodCount: 10,
        rejectCount: 1,
        idealCycleTimeSec: null,
        idealCycleTimeSource: null,
        idealTimeSec: null,
      },
      {
        productCode: null,
        goodCount: 5,
        rejectCount: 0,
        idealCycleTimeSec: null,
        idealCycleTimeSource: null,
        idealTimeSec: null,
      },
    ]);
  });
});
