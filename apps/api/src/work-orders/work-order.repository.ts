// Data access of work orders: the only work-order module that talks to Prisma. Writes lock the order row
// (and, when an order is to occupy a line, the line row) with SELECT … FOR UPDATE, so that concurrent
// transitions queue instead of racing; updates are guarded by the row's version. The output of a page of
// orders (counted + the work_order_adjustment ledger) is one SQL query (the rules are described in
// work-order.service.ts). The database backs the line lock up with the unique index
// work_order_one_running_per_line (one IN_PROGRESS or PAUSED order per line); should a write ever hit it,
// it answers the same 409 as the service's own check (work-order.service.ts).
import { appendLiveEvents, type Prisma } from '@takt/db';
import type { TWorkOrderStatus } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';
import type { CountedOutput, CountAdjustment } from './work-order-progress.ts';

export type WorkOrderRow = Prisma.WorkOrderModel;

/** A page request: `limit` rows older than the (createdAt, id) position of the previous page's last row. */
export type Keyset = { limit: number; before?: { createdAt: Date; id: string } };

// ---------------------------------------------------------------- work orders

export const findWorkOrder = (db: Db, id: string) => db.workOrder.findUnique({ where: { id } });
export const findWorkOrderByNumber = (db: Db, number: string) => db.workOrder.findUnique({ where: { number } });

/** Locks the order row until the transaction ends and reads it; null when it does not exist. */
export async function lockWorkOrder(tx: Db, id: string): Promise<WorkOrderRow | null> {
  await tx.$queryRaw`SELECT id FROM work_order WHERE id = ${id}::uuid FOR UPDATE`;
  return findWorkOrder(tx, id);
}

export type WorkOrderFilter = { statuses?: TWorkOrderStatus[]; lineId?: string; productId?: string };

/** Newest first; one row more than asked tells whether there is a next page. */
export function listWorkOrders(db: Db, filter: WorkOrderFilter, keyset: Keyset): Promise<WorkOrderRow[]> {
  const before = keyset.before;
  return db.workOrder.findMany({
    where: {
      status: filter.statuses === undefined ? undefined : { in: filter.statuses },
      lineId: filter.lineId,
      productId: filter.productId,
      ...(before === undefined
        ? {}
        : { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: keyset.limit + 1,
  });
}

export type WorkOrderData = {
  number: string;
  productId: string;
  targetQuantity: number;
  dueAt: Date | null;
};

export function createWorkOrder(tx: Db, data: WorkOrderData): Promise<WorkOrderRow> {
  return tx.workOrder.create({ data });
}

export type WorkOrderChange = Partial<WorkOrderData> & {
  status?: TWorkOrderStatus;
  lineId?: string;
  startedAt?: Date;
  completedAt?: Date;
  /** Snapshot of the totals (counted + adjustments) at this write. */
  goodCount: number;
  scrapCount: number;
};

/** Writes `change` over `current` if nobody changed it meanwhile (else P2025 → 412) and bumps the version. */
export function updateWorkOrder(
  tx: Db,
  current: { id: string; version: number },
  change: WorkOrderChange,
): Promise<WorkOrderRow> {
  return tx.workOrder.update({
    where: { id: current.id, version: current.version },
    data: { ...change, version: { increment: 1 } },
  });
}

export async function deleteWorkOrder(tx: Db, id: string): Promise<void> {
  await tx.workOrder.delete({ where: { id } });
}

/** Appends the `work-order` live event of `row` on each of `lineIds`, in the change's transaction. */
export async function appendWorkOrderEvents(
  tx: Db,
  row: WorkOrderRow,
  lineIds: readonly (string | null)[],
): Promise<void> {
  const payload = {
    workOrderId: row.id,
    number: row.number,
    status: row.status,
    lineId: row.lineId,
    version: row.version,
  };
  await appendLiveEvents(
    tx,
    lineIds.map((lineId) => ({ type: 'work-order' as const, lineId, payload })),
  );
}

// ---------------------------------------------------------------- transitions

export function insertTransition(
  tx: Db,
  data: {
    workOrderId: string;
    fromStatus: TWorkOrderStatus | null;
    toStatus: TWorkOrderStatus;
    at: Date;
    actorId: string;
    note: string | null;
  },
): Promise<unknown> {
  return tx.workOrderTransition.create({ data });
}

export function listTransitions(db: Db, workOrderId: string) {
  return db.workOrderTransition.findMany({
    where: { workOrderId },
    include: { actor: { select: { username: true } } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
}

// ---------------------------------------------------------------- adjustments

export function insertAdjustment(
  tx: Db,
  data: { workOrderId: string; goodDelta: number; scrapDelta: number; reason: string; actorId: string; at: Date },
) {
  return tx.workOrderAdjustment.create({ data });
}

export function listAdjustments(db: Db, workOrderId: string) {
  return db.workOrderAdjustment.findMany({
    where: { workOrderId },
    include: { actor: { select: { username: true } } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
}

// ---------------------------------------------------------------- products and lines

export const findProduct = (db: Db, id: string) =>
  db.product.findUnique({ where: { id }, select: { id: true, code: true, archivedAt: true } });

export const findLine = (db: Db, id: string) =>
  db.line.findUnique({
    where: { id },
    select: { id: true, code: true, name: true, archivedAt: true, area: { select: { name: true } } },
  });

/**
 * Locks the line row until the transaction ends: every transition into IN_PROGRESS takes this lock before
 * it looks for the line's running order, so two concurrent starts on one line run one after the other and
 * the second sees the first (READ COMMITTED reads a fresh snapshot after the lock wait).
 */
export async function lockLine(tx: Db, id: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM line WHERE id = ${id}::uuid FOR UPDATE`;
}

/** The other order that holds the line (IN_PROGRESS or PAUSED), if any. */
export function findLineHolder(
  tx: Db,
  lineId: string,
  exceptId: string,
  statuses: readonly TWorkOrderStatus[],
): Promise<{ id: string; number: string; status: TWorkOrderStatus } | null> {
  return tx.workOrder.findFirst({
    where: { lineId, status: { in: [...statuses] }, id: { not: exceptId } },
    select: { id: true, number: true, status: true },
  });
}

// ---------------------------------------------------------------- output (counted + adjustments)

type OutputRow = {
  work_order_id: string;
  run_sec: number;
  has_run: boolean;
  is_tagged: boolean;
  output_machine_id: string | null;
  good: bigint;
  reject: bigint;
  adjustment_good: bigint;
  adjustment_scrap: bigint;
};

export type WorkOrderOutput = { counted: CountedOutput; adjustment: CountAdjustment };

/**
 * The output of each order in `ids` at `now`. Counted: run windows from the transition history (each
 * IN_PROGRESS until the next transition, or `now`), then either the count rows tagged with the order or the
 * untagged rows of its line inside those windows; good from the most downstream machine, rejects from all.
 * Adjustments: the sums of the order's rows in work_order_adjustment.
 */
export async function readOutputs(db: Db, ids: string[], now: Date): Promise<Map<string, WorkOrderOutput>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<OutputRow[]>`
    WITH wo AS (
      SELECT w.id, w.line_id FROM work_order w WHERE w.id = ANY(${ids}::uuid[])
    ),
    marks AS (
      SELECT t.work_order_id, t.to_status, t.at,
             lead(t.at) OVER (PARTITION BY t.work_order_id ORDER BY t.at, t.id) AS next_at
        FROM work_order_transition t
       WHERE t.work_order_id = ANY(${ids}::uuid[])
    ),
    windows AS (
      SELECT m.work_order_id, m.at AS start_at, COALESCE(m.next_at, ${now}::timestamptz) AS end_at
        FROM marks m
       WHERE m.to_status = 'IN_PROGRESS'
    ),
    run AS (
      SELECT w.work_order_id, MIN(w.start_at) AS first_start_at,
             COALESCE(SUM(EXTRACT(EPOCH FROM (w.end_at - w.start_at))) FILTER (WHERE w.end_at > w.start_at), 0)
               AS run_sec
        FROM windows w
       GROUP BY w.work_order_id
    ),
    tagged AS (
      SELECT pc.work_order_id, pc.machine_id, SUM(pc.good_count) AS good, SUM(pc.reject_count) AS reject
        FROM production_count pc
       WHERE pc.work_order_id = ANY(${ids}::uuid[])
       GROUP BY pc.work_order_id, pc.machine_id
    ),
    line_counts AS (
      SELECT w.work_order_id, pc.machine_id, SUM(pc.good_count) AS good, SUM(pc.reject_count) AS reject
        FROM windows w
        JOIN wo ON wo.id = w.work_order_id
        JOIN machine m ON m.line_id = wo.line_id
        JOIN production_count pc
          ON pc.machine_id = m.id AND pc.work_order_id IS NULL
         AND pc.bucket_start >= w.start_at AND pc.bucket_start < w.end_at
       WHERE NOT EXISTS (SELECT 1 FROM tagged t WHERE t.work_order_id = w.work_order_id)
       GROUP BY w.work_order_id, pc.machine_id
    ),
    counted AS (
      SELECT work_order_id, machine_id, good, reject FROM tagged
      UNION ALL
      SELECT work_order_id, machine_id, good, reject FROM line_counts
    ),
    output_machine AS (
      (SELECT DISTINCT ON (t.work_order_id) t.work_order_id, t.machine_id
         FROM tagged t
         JOIN machine m ON m.id = t.machine_id
        ORDER BY t.work_order_id, m.sequence DESC, m.code DESC)
      UNION ALL
      (SELECT DISTINCT ON (wo.id) wo.id AS work_order_id, m.id AS machine_id
         FROM wo
         JOIN run r ON r.work_order_id = wo.id
         JOIN machine m ON m.line_id = wo.line_id AND (m.archived_at IS NULL OR m.archived_at > r.first_start_at)
        WHERE NOT EXISTS (SELECT 1 FROM tagged t WHERE t.work_order_id = wo.id)
        ORDER BY wo.id, m.sequence DESC, m.code DESC)
    ),
    adjustments AS (
      SELECT a.work_order_id, SUM(a.good_delta) AS good, SUM(a.scrap_delta) AS scrap
        FROM work_order_adjustment a
       WHERE a.work_order_id = ANY(${ids}::uuid[])
       GROUP BY a.work_order_id
    )
    SELECT wo.id::text AS work_order_id,
           COALESCE(r.run_sec, 0)::float8 AS run_sec,
           (r.first_start_at IS NOT NULL AND wo.line_id IS NOT NULL) AS has_run,
           EXISTS (SELECT 1 FROM tagged t WHERE t.work_order_id = wo.id) AS is_tagged,
           om.machine_id::text AS output_machine_id,
           COALESCE(out_counts.good, 0)::bigint AS good,
           COALESCE(all_counts.reject, 0)::bigint AS reject,
           COALESCE(adj.good, 0)::bigint AS adjustment_good,
           COALESCE(adj.scrap, 0)::bigint AS adjustment_scrap
      FROM wo
      LEFT JOIN run r ON r.work_order_id = wo.id
      LEFT JOIN output_machine om ON om.work_order_id = wo.id
      LEFT JOIN counted out_counts ON out_counts.work_order_id = wo.id AND out_counts.machine_id = om.machine_id
      LEFT JOIN (SELECT work_order_id, SUM(reject) AS reject FROM counted GROUP BY work_order_id) all_counts
        ON all_counts.work_order_id = wo.id
      LEFT JOIN adjustments adj ON adj.work_order_id = wo.id`;
  return new Map(
    rows.map((row) => [
      row.work_order_id,
      {
        counted: {
          goodCount: Number(row.good),
          scrapCount: Number(row.reject),
          source: row.is_tagged ? 'work-order-tag' : row.has_run ? 'line-output' : 'none',
          outputMachineId: row.output_machine_id,
          runTimeSec: row.run_sec,
        },
        adjustment: { goodCount: Number(row.adjustment_good), scrapCount: Number(row.adjustment_scrap) },
      },
    ]),
  );
}
