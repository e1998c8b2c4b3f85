// Cumulative counter readings (counter events): the batch's new readings of each counter are merged with the
// logged ones around them and turned into count adjustments by counter-delta.planner.ts (a late reading lands
// where it belongs); counter_state keeps each counter's latest reading.
import { Prisma } from '@takt/db';
import type { CountAdjustment } from './count-bucket.writer.ts';
import { planCounterDeltas, type CounterReading } from './counter-delta.planner.ts';
import { groupBy } from './group-by.ts';
import type { ResolvedEvent } from './resolved-event.ts';
import { encodePlainArray, encodeTextArray } from './sql-array.encoder.ts';
import { NEW_EVENT_ORDER_BASE } from './timeline-order.ts';

export type CounterSeries = {
  machineId: string;
  kind: 'counter:good' | 'counter:reject';
  counter: 'good' | 'reject';
  minTsMs: number;
  readings: CounterReading[];
  /** The batch's latest reading (by time, the later arrival on a tie): the new counter_state. */
  latest: { tsMs: number; value: number };
};

export type CounterPlan = { adjustments: CountAdjustment[]; series: CounterSeries[] };

type LoggedReadingRow = {
  machine_id: string;
  kind: string;
  id: bigint;
  ts_ms: number;
  seq: bigint | null;
  counter_value: bigint | null;
  is_before: boolean;
};

/** Turns new counter readings into count adjustments (see counter-delta.planner.ts). */
export async function planCounters(
  tx: Prisma.TransactionClient,
  events: readonly ResolvedEvent[],
): Promise<CounterPlan> {
  // Per machine: its good and its reject series.
  const seriesByMachine = new Map<string, [CounterSeries | null, CounterSeries | null]>();
  const list: CounterSeries[] = [];
  for (const event of events) {
    const { body } = event;
    if (body.kind !== 'counter') continue;
    let pair = seriesByMachine.get(event.machineId);
    if (!pair) {
      pair = [null, null];
      seriesByMachine.set(event.machineId, pair);
    }
    const slot = body.counter === 'good' ? 0 : 1;
    let series = pair[slot];
    if (!series) {
      series = {
        machineId: event.machineId,
        kind: body.counter === 'good' ? 'counter:good' : 'counter:reject',
        counter: body.counter,
        minTsMs: event.tsMs,
        readings: [],
        latest: { tsMs: event.tsMs, value: body.value },
      };
      pair[slot] = series;
      list.push(series);
    }
    if (event.tsMs < series.minTsMs) series.minTsMs = event.tsMs;
    if (event.tsMs >= series.latest.tsMs) series.latest = { tsMs: event.tsMs, value: body.value };
    series.readings.push({
      tsMs: event.tsMs,
      value: body.value,
      seq: event.seq,
      order: NEW_EVENT_ORDER_BASE + series.readings.length,
    });
  }
  if (list.length === 0) return { adjustments: [], series: [] };
  // Per series: the last logged reading before its earliest new one (found through max(ts) on the index, then
  // ordered by seq and id among the few rows at that instant) and the logged readings from there on.
  const logged = await tx.$queryRaw<LoggedReadingRow[]>`
    WITH k AS (
      SELECT k.machine_id, k.kind, timestamptz 'epoch' + k.min_ms * interval '1 millisecond' AS min_ts
      FROM unnest(${encodeTextArray(list.map((s) => s.machineId))}::uuid[],
                  ${encodeTextArray(list.map((s) => s.kind))}::text[],
                  ${encodePlainArray(list.map((s) => s.minTsMs))}::bigint[]) AS k(machine_id, kind, min_ms)
    )
    SELECT e.machine_id::text AS machine_id, e.kind, e.id, (extract(epoch FROM e.ts) * 1000)::float8 AS ts_ms,
           e.seq, e.counter_value, e.is_before
    FROM k CROSS JOIN LATERAL (
      (SELECT l.id, l.machine_id, l.kind, l.ts, l.seq, l.counter_value, true AS is_before
       FROM ingest_timeline_event l
       WHERE l.machine_id = k.machine_id AND l.kind = k.kind
         AND l.ts = (SELECT max(p.ts) FROM ingest_timeline_event p
                     WHERE p.machine_id = k.machine_id AND p.kind = k.kind AND p.ts < k.min_ts)
       ORDER BY l.seq DESC NULLS LAST, l.id DESC LIMIT 1)
      UNION ALL
      (SELECT l.id, l.machine_id, l.kind, l.ts, l.seq, l.counter_value, false AS is_before
       FROM ingest_timeline_event l
       WHERE l.machine_id = k.machine_id AND l.kind = k.kind AND l.ts >= k.min_ts)
    ) e`;
  const loggedByKey = groupBy(logged, (row) => `${row.machine_id}|${row.kind}`);
  const adjustments: CountAdjustment[] = [];
  for (const series of list) {
    let before: CounterReading | null = null;
    const after: CounterReading[] = [];
    for (const row of loggedByKey.get(`${series.machineId}|${series.kind}`) ?? []) {
      const reading: CounterReading = {
        tsMs: row.ts_ms,
        value: Number(row.counter_value ?? 0),
        seq: row.seq === null ? null : Number(row.seq),
        order: Number(row.id),
      };
      if (row.is_before) before = reading;
      else after.push(reading);
    }
    const isGood = series.counter === 'good';
    for (const { tsMs, delta } of planCounterDeltas(before, after, series.readings)) {
      adjustments.push({
        machineId: series.machineId,
        tsMs,
        good: isGood ? delta : 0,
        reject: isGood ? 0 : delta,
      });
    }
  }
  return { adjustments, series: list };
}

/** counter_state: each counter's latest reading, unless a later one is stored already (a statement part). */
export function counterStatePart(series: readonly CounterSeries[]): Prisma.Sql {
  return Prisma.sql`counter_states AS (
    INSERT INTO counter_state AS c (machine_id, signal, last_value, last_ts)
    SELECT u.machine_id, u.signal::"SignalKind", u.value, timestamptz 'epoch' + u.ts_ms * interval '1 millisecond'
    FROM unnest(${encodeTextArray(series.map((s) => s.machineId))}::uuid[],
                ${encodeTextArray(series.map((s) => (s.counter === 'good' ? 'GOOD_COUNT' : 'REJECT_COUNT')))}::text[],
                ${encodePlainArray(series.map((s) => s.latest.value))}::bigint[],
                ${encodePlainArray(series.map((s) => s.latest.tsMs))}::bigint[])
         AS u(machine_id, signal, value, ts_ms)
    ON CONFLICT (machine_id, signal) DO UPDATE
    SET last_value = EXCLUDED.last_value, last_ts = EXCLUDED.last_ts
    WHERE c.last_ts <= EXCLUDED.last_ts
    RETURNING 1
  )`;
}
