// The explanation behind a machine's OEE, condensed for reading (pure): time per state within the range, and per
// product the counted parts with the ideal cycle time that turns them into net run time.
import type { TKpiExplainResponse, TMachineState } from '@takt/contracts';

type TExplainMachine = TKpiExplainResponse['machines'][number];

export type TStateTotal = { state: TMachineState; durationSec: number; intervalCount: number };

/**
 * Time spent in each state within `[fromMs, toMs)`, longest first. Intervals reach beyond the range (the one in
 * progress at its start, the open one at its end), so each is clipped; an open interval lasts until `toMs`.
 */
export function stateTotalsOf(
  intervals: TExplainMachine['stateIntervals'],
  fromMs: number,
  toMs: number,
): TStateTotal[] {
  const totals = new Map<TMachineState, TStateTotal>();
  for (const interval of intervals) {
    const startMs = Math.max(fromMs, Date.parse(interval.startedAt));
    const endMs = Math.min(toMs, interval.endedAt === null ? toMs : Date.parse(interval.endedAt));
    if (endMs <= startMs) continue;
    const total = totals.get(interval.state) ?? { state: interval.state, durationSec: 0, intervalCount: 0 };
    total.durationSec += (endMs - startMs) / 1000;
    total.intervalCount += 1;
    totals.set(interval.state, total);
  }
  return [...totals.values()].sort((a, b) => b.durationSec - a.durationSec);
}

export type TProductCount = {
  /** null: parts counted without a product. */
  productCode: string | null;
  goodCount: number;
  rejectCount: number;
  /** null: no ideal cycle time, so these parts are left out of performance. */
  idealCycleTimeSec: number | null;
  idealCycleTimeSource: 'MACHINE' | 'LINE' | null;
  /** Ideal cycle time × all parts: this product's share of net run time. */
  idealTimeSec: number | null;
};

/** Counted parts per product with their ideal cycle time, in product code order, parts without a product last. */
export function productCountsOf(machine: Pick<TExplainMachine, 'counts' | 'idealCycleTimes'>): TProductCount[] {
  const idealById = new Map(machine.idealCycleTimes.map((ideal) => [ideal.product.id, ideal]));
  const byProduct = new Map<string, TProductCount>();
  for (const count of machine.counts) {
    const key = count.product?.id ?? '';
    const ideal = count.product === null ? undefined : idealById.get(count.product.id);
    const entry = byProduct.get(key) ?? {
      productCode: count.product?.code ?? null,
      goodCount: 0,
      rejectCount: 0,
      idealCycleTimeSec: ideal?.idealCycleTimeSec ?? null,
      idealCycleTimeSource: ideal?.source ?? null,
      idealTimeSec: null,
    };
    entry.goodCount += count.goodCount;
    entry.rejectCount += count.rejectCount;
    byProduct.set(key, entry);
  }
  return [...byProduct.values()]
    .map((entry) => ({
      ...entry,
      idealTimeSec:
        entry.idealCycleTimeSec === null ? null : entry.idealCycleTimeSec * (entry.goodCount + entry.rejectCount),
    }))
    .sort((a, b) => {
      if (a.productCode === null || b.productCode === null)
        return Number(a.productCode === null) - Number(b.productCode === null);
      return a.productCode.localeCompare(b.productCode);
    });
}
