// The timeline log (ingest_timeline_event): every applied state, product and work-order event and every counter
// reading of a batch, kept for the reorder window so that a late event can be put in its place. Written as parts
// of the batch's one combined statement (ingest-batch.writer.ts), each insert in batch order, so that ids order
// equal-time events by arrival.
import { Prisma } from '@takt/db';
import type { ResolvedEvent } from './resolved-event.ts';
import { encodePlainArray, encodeTextArray } from './sql-array.encoder.ts';

/** The timeline log inserts of the batch's fresh events, as parts (`name AS (...)`) of the batch's write statement. */
export function timelineLogParts(events: readonly ResolvedEvent[]): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  // Counter readings, most of a busy batch, go as narrow rows: machines by index into the batch's few ids.
  const machineIndex = new Map<string, number>();
  const counterMachine: number[] = [];
  const counterIsGood: boolean[] = [];
  const counterTsMs: number[] = [];
  const counterSeq: (number | null)[] = [];
  const counterValue: number[] = [];
  const changes: ResolvedEvent[] = [];
  for (const event of events) {
    const { body } = event;
    if (body.kind === 'counter') {
      let index = machineIndex.get(event.machineId);
      if (index === undefined) {
        index = machineIndex.size + 1;
        machineIndex.set(event.machineId, index);
      }
      counterMachine.push(index);
      counterIsGood.push(body.counter === 'good');
      counterTsMs.push(event.tsMs);
      counterSeq.push(event.seq);
      counterValue.push(body.value);
    } else if (body.kind === 'state' || body.kind === 'product' || body.kind === 'work_order') {
      changes.push(event);
    }
  }
  // Each insert goes in batch order, so that ids order equal-time readings (and changes) by arrival.
  if (counterMachine.length > 0) {
    parts.push(Prisma.sql`logged_readings AS (
      INSERT INTO ingest_timeline_event (machine_id, kind, ts, seq, counter_value)
      SELECT (${encodeTextArray([...machineIndex.keys()])}::uuid[])[u.machine],
             CASE WHEN u.is_good THEN 'counter:good' ELSE 'counter:reject' END,
             timestamptz 'epoch' + u.ts_ms * interval '1 millisecond', u.seq, u.counter_value
      FROM unnest(${encodePlainArray(counterMachine)}::int[], ${encodePlainArray(counterIsGood)}::boolean[],
                  ${encodePlainArray(counterTsMs)}::bigint[], ${encodePlainArray(counterSeq)}::bigint[],
                  ${encodePlainArray(counterValue)}::bigint[])
           WITH ORDINALITY AS u(machine, is_good, ts_ms, seq, counter_value, ord)
      ORDER BY u.ord
      RETURNING 1)`);
  }
  if (changes.length === 0) return parts;
  const rows = changes.map((event) => {
    const { body } = event;
    const row = {
      machineId: event.machineId,
      kind: body.kind,
      tsMs: event.tsMs,
      seq: event.seq,
      state: null as string | null,
      reasonId: null as string | null,
      sourceCode: null as string | null,
      hasProduct: false,
      productId: null as string | null,
      workOrderId: null as string | null,
    };
    if (body.kind === 'state') {
      row.state = body.state;
      row.reasonId = body.reasonId;
      row.sourceCode = body.sourceCode;
      row.hasProduct = body.hasProduct;
      row.productId = body.productId;
    } else if (body.kind === 'product') {
      row.hasProduct = true;
      row.productId = body.productId;
    } else if (body.kind === 'work_order') {
      row.workOrderId = body.workOrderId;
    }
    return row;
  });
  parts.push(Prisma.sql`logged_changes AS (
    INSERT INTO ingest_timeline_event
      (machine_id, kind, ts, seq, state, reason_id, source_code, has_product, product_id, work_order_id)
    SELECT u.machine_id, u.kind, timestamptz 'epoch' + u.ts_ms * interval '1 millisecond', u.seq,
           u.state::"MachineState", u.reason_id, u.source_code, u.has_product, u.product_id, u.work_order_id
    FROM unnest(${encodeTextArray(rows.map((r) => r.machineId))}::uuid[], ${encodeTextArray(rows.map((r) => r.kind))}::text[],
                ${encodePlainArray(rows.map((r) => r.tsMs))}::bigint[], ${encodePlainArray(rows.map((r) => r.seq))}::bigint[],
                ${encodeTextArray(rows.map((r) => r.state))}::text[], ${encodeTextArray(rows.map((r) => r.reasonId))}::uuid[],
                ${encodeTextArray(rows.map((r) => r.sourceCode))}::text[],
                ${encodePlainArray(rows.map((r) => r.hasProduct))}::boolean[],
                ${encodeTextArray(rows.map((r) => r.productId))}::uuid[],
                ${encodeTextArray(rows.map((r) => r.workOrderId))}::uuid[])
         WITH ORDINALITY AS u(machine_id, kind, ts_ms, seq, state, reason_id, source_code, has_product, product_id,
                              work_order_id, ord)
    ORDER BY u.ord
    RETURNING 1)`);
  return parts;
}
