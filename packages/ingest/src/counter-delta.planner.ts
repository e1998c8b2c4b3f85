// Turns cumulative counter readings (a PLC's good/reject counter) into count deltas. Pure: the writer loads the
// reading before the earliest new one and the logged readings after it, and adds the difference between the
// deltas of the new series and those of the old one, so that a late reading lands where it belongs and the
// stored counts equal those of in-order arrival.
//
// Rules (documented in apps/bridge/README.md):
// - the first reading of a counter is its baseline: delta 0 (we do not know since when it counted);
// - a reading ≥ the previous one: delta = difference;
// - a reading below the previous one is a reset (PLC restart, counter cleared): the new value counted from 0,
//   delta = value; except a rollover of a 16- or 32-bit counter, recognised when the previous reading lies in
//   the top 1/16 of the range and the new one in the bottom 1/16: delta = value + 2^bits − previous.

/** Counter widths whose wrap-around is recognised as a rollover rather than a reset. */
export const COUNTER_ROLLOVER_MODULI = [2 ** 16, 2 ** 32] as const;

export type CounterReading = {
  tsMs: number;
  value: number;
  seq: number | null;
  /** Arrival order: logged readings by id, new readings after them. */
  order: number;
};

export type CounterContribution = { tsMs: number; delta: number };

/** Parts counted between two consecutive readings `previous` → `value` of one counter. */
export function counterDeltaOf(previous: number, value: number): number {
  if (value >= previous) return value - previous;
  for (const modulus of COUNTER_ROLLOVER_MODULI) {
    const band = modulus / 16;
    if (previous < modulus && previous >= modulus - band && value < band) return value + modulus - previous;
  }
  return value;
}

/** Timeline order of readings: time, then sender sequence, then arrival. */
export function compareReadings(a: CounterReading, b: CounterReading): number {
  return a.tsMs - b.tsMs || (a.seq ?? -1) - (b.seq ?? -1) || a.order - b.order;
}

function contributions(series: readonly CounterReading[]): CounterContribution[] {
  const result: CounterContribution[] = [];
  for (let index = 1; index < series.length; index += 1) {
    const previous = series[index - 1];
    const current = series[index];
    if (!previous || !current) continue;
    const delta = counterDeltaOf(previous.value, current.value);
    if (delta !== 0) result.push({ tsMs: current.tsMs, delta });
  }
  return result;
}

/**
 * The delta changes caused by adding `added` to a counter whose logged readings are `before` (the last one
 * before the earliest added reading, if any) and `after` (those at or after it): removed old contributions
 * are negative, new ones positive. Sums per time equal the in-order result.
 */
export function planCounterDeltas(
  before: CounterReading | null,
  after: readonly CounterReading[],
  added: readonly CounterReading[],
): CounterContribution[] {
  const oldSeries = [...(before ? [before] : []), ...after].sort(compareReadings);
  const newSeries = [...oldSeries, ...added].sort(compareReadings);
  const byTs = new Map<number, number>();
  for (const { tsMs, delta } of contributions(oldSeries)) byTs.set(tsMs, (byTs.get(tsMs) ?? 0) - delta);
  for (const { tsMs, delta } of contributions(newSeries)) byTs.set(tsMs, (byTs.get(tsMs) ?? 0) + delta);
  return [...byTs].filter(([, delta]) => delta !== 0).map(([tsMs, delta]) => ({ tsMs, delta }));
}
