// State intervals (machine_state_interval) of the machines a batch changes: their base interval and logged
// timeline events are read, merged with the batch's new state / product / work-order events, recomputed by
// timeline.planner.ts (the result does not depend on arrival order), and the difference is written (deletes,
// updates, inserts; ids of unchanged rows stay; a supervisor's classified reason is kept).
import type { TMachineState } from '@takt/contracts';
import type { Prisma } from '@takt/db';
import { groupBy } from './group-by.ts';
import type { ResolvedEvent } from './resolved-event.ts';
import { compareTimeline, NEW_EVENT_ORDER_BASE, type Sortable } from './timeline-order.ts';
import { planTimeline, type IntervalSnapshot, type TimelineEvent } from './timeline.planner.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

type IntervalRow = {
  id: bigint;
  machine_id: string;
  state: TMachineState;
  started_at: Date;
  ended_at: Date | null;
  reason_id: string | null;
  product_id: string | null;
  work_order_id: string | null;
  source_code: string | null;
  is_classified: boolean;
  is_base: boolean;
};

type LogRow = {
  id: bigint;
  machine_id: string;
  kind: string;
  ts: Date;
  seq: bigint | null;
  state: TMachineState | null;
  reason_id: string | null;
  source_code: string | null;
  has_product: boolean;
  product_id: string | null;
  work_order_id: string | null;
  counter_value: bigint | null;
};

function toSnapshot(row: IntervalRow): IntervalSnapshot {
  return {
    id: row.id,
    machineId: row.machine_id,
    state: row.state,
    startedAtMs: row.started_at.getTime(),
    endedAtMs: row.ended_at?.getTime() ?? null,
    reasonId: row.reason_id,
    productId: row.product_id,
    workOrderId: row.work_order_id,
    sourceCode: row.source_code,
    isClassified: row.is_classified,
  };
}

function toTimelineEvent(row: LogRow): TimelineEvent & Sortable {
  const common = { tsMs: row.ts.getTime(), seq: row.seq === null ? null : Number(row.seq), order: Number(row.id) };
  if (row.kind === 'product') return { ...common, kind: 'product', productId: row.product_id };
  if (row.kind === 'work_order') return { ...common, kind: 'work_order', workOrderId: row.work_order_id };
  if (row.kind === 'split') return { ...common, kind: 'split' };
  return {
    ...common,
    kind: 'state',
    state: row.state ?? 'OFFLINE',
    reasonId: row.reason_id,
    sourceCode: row.source_code,
    hasProduct: row.has_product,
    productId: row.product_id,
  };
}

export type TimelineOutcome = {
  deletes: bigint[];
  updates: IntervalSnapshot[];
  inserts: IntervalSnapshot[];
  changedCurrent: IntervalSnapshot[];
};

/** Recomputes the intervals of every machine with new timeline events, from the interval before the earliest one. */
export async function planTimelines(
  tx: Prisma.TransactionClient,
  events: readonly ResolvedEvent[],
): Promise<TimelineOutcome> {
  const outcome: TimelineOutcome = { deletes: [], updates: [], inserts: [], changedCurrent: [] };
  const byMachine = groupBy(events, (event) => event.machineId);
  if (byMachine.size === 0) return outcome;
  const machineIds = [...byMachine.keys()];
  const minTs = machineIds.map((id) => iso(Math.min(...(byMachine.get(id) ?? []).map((e) => e.tsMs))));
  // The base of each machine: its latest interval starting before the earliest new event. Rows from there on
  // are the ones the recomputation may change; logged events at or after the earliest new one are replayed.
  const [intervals, logged] = await Promise.all([
    tx.$queryRaw<IntervalRow[]>`
      WITH k AS (SELECT * FROM unnest(${machineIds}::uuid[], ${minTs}::timestamptz[]) AS k(machine_id, min_ts)),
      base AS (
        SELECT k.machine_id, b.started_at FROM k
        LEFT JOIN LATERAL (
          SELECT started_at FROM machine_state_interval s
          WHERE s.machine_id = k.machine_id AND s.started_at < k.min_ts ORDER BY s.started_at DESC LIMIT 1
        ) b ON true
      )
      SELECT s.id, s.machine_id::text AS machine_id, s.state::text AS state, s.started_at, s.ended_at,
             s.reason_id::text AS reason_id, s.product_id::text AS product_id,
             s.work_order_id::text AS work_order_id, s.source_code, s.classified_at IS NOT NULL AS is_classified,
             s.started_at = base.started_at AS is_base
      FROM base JOIN machine_state_interval s
        ON s.machine_id = base.machine_id AND (base.started_at IS NULL OR s.started_at >= base.started_at)`,
    tx.$queryRaw<LogRow[]>`
      WITH k AS (SELECT * FROM unnest(${machineIds}::uuid[], ${minTs}::timestamptz[]) AS k(machine_id, min_ts)),
      base AS (
        SELECT k.machine_id, k.min_ts, b.started_at FROM k
        LEFT JOIN LATERAL (
          SELECT started_at FROM machine_state_interval s
          WHERE s.machine_id = k.machine_id AND s.started_at < k.min_ts ORDER BY s.started_at DESC LIMIT 1
        ) b ON true
      )
      SELECT e.id, e.machine_id::text AS machine_id, e.kind, e.ts, e.seq, e.state::text AS state,
             e.reason_id::text AS reason_id, e.source_code, e.has_product, e.product_id::text AS product_id,
             e.work_order_id::text AS work_order_id, e.counter_value
      FROM base JOIN ingest_timeline_event e
        ON e.machine_id = base.machine_id AND e.kind IN ('state', 'product', 'work_order', 'split')
       AND (base.started_at IS NULL OR e.ts >= base.min_ts)`,
  ]);
  const intervalsByMachine = groupBy(intervals, (row) => row.machine_id);
  const loggedByMachine = groupBy(logged, (row) => row.machine_id);
  for (const [machineId, newEvents] of byMachine) {
    const rows = (intervalsByMachine.get(machineId) ?? []).map((row) => ({ row, snapshot: toSnapshot(row) }));
    const base = rows.find(({ row }) => row.is_base)?.snapshot ?? null;
    const timeline: (TimelineEvent & Sortable)[] = (loggedByMachine.get(machineId) ?? []).map(toTimelineEvent);
    newEvents.forEach((event, index) => {
      const common = { tsMs: event.tsMs, seq: event.seq, order: NEW_EVENT_ORDER_BASE + index };
      const { body } = event;
      if (body.kind === 'state') timeline.push({ ...common, ...body });
      else if (body.kind === 'product') timeline.push({ ...common, kind: 'product', productId: body.productId });
      else if (body.kind === 'work_order')
        timeline.push({ ...common, kind: 'work_order', workOrderId: body.workOrderId });
    });
    timeline.sort(compareTimeline);
    const plan = planTimeline(
      machineId,
      base,
      rows.map(({ snapshot }) => snapshot),
      timeline,
    );
    outcome.deletes.push(...plan.deletes);
    outcome.updates.push(...plan.updates);
    outcome.inserts.push(...plan.inserts);
    if (plan.changedCurrent) outcome.changedCurrent.push(plan.changedCurrent);
  }
  return outcome;
}

/** Writes a timeline outcome: deletes, then updates (closed rows before open ones), then inserts. */
export async function writeIntervals(tx: Prisma.TransactionClient, outcome: TimelineOutcome): Promise<void> {
  if (outcome.deletes.length > 0) {
    await tx.$executeRaw`
      DELETE FROM machine_state_interval WHERE id = ANY(${outcome.deletes.map(String)}::bigint[])`;
  }
  // Closed rows first, the (at most one per machine) open row after: the partial unique index allows one open
  // interval per machine at every moment, and non-deferred unique indexes are checked row by row.
  const closed = outcome.updates.filter((row) => row.endedAtMs !== null);
  const open = outcome.updates.filter((row) => row.endedAtMs === null);
  for (const rows of [closed, open]) {
    if (rows.length === 0) continue;
    await tx.$executeRaw`
      UPDATE machine_state_interval AS s
      SET state = u.state::"MachineState", ended_at = u.ended_at, reason_id = u.reason_id,
          product_id = u.product_id, work_order_id = u.work_order_id, source_code = u.source_code
      FROM unnest(${rows.map((r) => String(r.id))}::bigint[], ${rows.map((r) => r.state)}::text[],
                  ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[], ${rows.map((r) => r.reasonId)}::uuid[],
                  ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.workOrderId)}::uuid[],
                  ${rows.map((r) => r.sourceCode)}::text[])
           AS u(id, state, ended_at, reason_id, product_id, work_order_id, source_code)
      WHERE s.id = u.id`;
  }
  const rows = outcome.inserts;
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO machine_state_interval
      (machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id, source_code)
    SELECT u.machine_id, u.state::"MachineState", u.started_at, u.ended_at, u.reason_id, u.product_id,
           u.work_order_id, u.source_code
    FROM unnest(${rows.map((r) => r.machineId)}::uuid[], ${rows.map((r) => r.state)}::text[],
                ${rows.map((r) => iso(r.startedAtMs))}::timestamptz[], ${rows.map((r) => iso(r.endedAtMs))}::timestamptz[],
                ${rows.map((r) => r.reasonId)}::uuid[], ${rows.map((r) => r.productId)}::uuid[],
                ${rows.map((r) => r.workOrderId)}::uuid[], ${rows.map((r) => r.sourceCode)}::text[])
         AS u(machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id, source_code)`;
}
