// Writes 30 days of simulated history for one line (history.plan.ts): its work orders with their
// transitions, its planned maintenance, and every machine's state intervals and production counts. Count
// rows are tagged with their order, and each order's good_count / scrap_count snapshot is what the API
// answers for those rows (orderTotals).
//
// One transaction per line (holding the seed lock, see seed-lock.ts), so that an interrupted seed leaves
// a line either complete or untouched and the next run simply fills it in. Intervals and counts are the
// bulk (~190 k rows for the whole plant): they go in as one `INSERT … SELECT FROM unnest(arrays)` per
// 5 000 rows, which sends one parameter per column instead of one per value (measured about 5× faster
// than createMany).
import { randomUUID } from 'node:crypto';
import { type MachineState, type Prisma, WorkOrderStatus, type PrismaClient } from '@takt/db';
import { MACHINE_FAULTS, OCCASIONAL_FAULTS } from './plant.data.ts';
import type { SeededLine, SeededMachine } from './plant.seed.ts';
import {
  createMachineProfile,
  planLineHistory,
  simulateMachine,
  type LinePlan,
  type MachineHistory,
  type PlannedOrder,
} from './history.plan.ts';
import { createRandom } from './random.ts';
import { inSeedTransaction } from './seed-lock.ts';
import { expandShiftCalendar } from '@takt/kpi';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const INSERT_CHUNK_ROWS = 5_000;
/** Long enough for the biggest line on the single-threaded embedded database. */
const LINE_TRANSACTION_TIMEOUT_MS = 5 * 60_000;

type Db = Prisma.TransactionClient;

export type SeedLineHistoryOptions = {
  prisma: PrismaClient;
  line: SeededLine;
  /** Machines of the line that have no state interval yet; the others are left alone. */
  machineIds: ReadonlySet<string>;
  productIdByCode: ReadonlyMap<string, string>;
  reasonIdByCode: ReadonlyMap<string, string>;
  /** Who released and classified things in the simulated past. */
  supervisorId: string | null;
  fromMs: number;
  toMs: number;
  bucketSec: number;
};

export type LineHistoryResult = {
  machineCount: number;
  workOrderCount: number;
  /** Work-order transitions and planned downtimes written with the work orders. */
  workOrderDetailCount: number;
  stateIntervalCount: number;
  productionCountCount: number;
};

const NOTHING_WRITTEN: LineHistoryResult = {
  machineCount: 0,
  workOrderCount: 0,
  workOrderDetailCount: 0,
  stateIntervalCount: 0,
  productionCountCount: 0,
};

type IntervalRow = {
  machineId: string;
  state: MachineState;
  startedAt: string;
  endedAt: string | null;
  reasonId: string | null;
  productId: string | null;
  workOrderId: string | null;
  classifiedById: string | null;
  classifiedAt: string | null;
};

type CountRow = {
  machineId: string;
  bucketStart: string;
  productId: string;
  workOrderId: string | null;
  goodCount: number;
  rejectCount: number;
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function lookup(map: ReadonlyMap<string, string>, code: string, what: string): string {
  const id = map.get(code);
  if (id === undefined) throw new Error(`Demo history: unknown ${what} "${code}"`);
  return id;
}

async function insertIntervals(db: Db, rows: readonly IntervalRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + INSERT_CHUNK_ROWS);
    await db.$executeRaw`
      INSERT INTO machine_state_interval
        (machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id, classified_by_id, classified_at)
      SELECT * FROM unnest(
        ${chunk.map((r) => r.machineId)}::uuid[],
        ${chunk.map((r) => r.state)}::"MachineState"[],
        ${chunk.map((r) => r.startedAt)}::timestamptz[],
        ${chunk.map((r) => r.endedAt)}::timestamptz[],
        ${chunk.map((r) => r.reasonId)}::uuid[],
        ${chunk.map((r) => r.productId)}::uuid[],
        ${chunk.map((r) => r.workOrderId)}::uuid[],
        ${chunk.map((r) => r.classifiedById)}::uuid[],
        ${chunk.map((r) => r.classifiedAt)}::timestamptz[])`;
  }
}

async function insertCounts(db: Db, rows: readonly CountRow[], bucketSec: number): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + INSERT_CHUNK_ROWS);
    await db.$executeRaw`
      INSERT INTO production_count
        (machine_id, bucket_start, bucket_sec, product_id, work_order_id, good_count, reject_count)
      SELECT m, b, ${bucketSec}::int, p, w, g, r FROM unnest(
        ${chunk.map((r) => r.machineId)}::uuid[],
        ${chunk.map((r) => r.bucketStart)}::timestamptz[],
        ${chunk.map((r) => r.productId)}::uuid[],
        ${chunk.map((r) => r.workOrderId)}::uuid[],
        ${chunk.map((r) => r.goodCount)}::int[],
        ${chunk.map((r) => r.rejectCount)}::int[]) AS t(m, b, p, w, g, r)`;
  }
}

/** Target quantity: what was made for a finished order (orders close at their quantity), more for a running one. */
function targetQuantity(order: PlannedOrder, goodCount: number, idealCycleTimeSec: number): number {
  if (order.completedMs !== null) return Math.max(100, Math.floor(goodCount / 100) * 100);
  const plannedUnits = (order.plannedRunMs / 1000 / idealCycleTimeSec) * 0.85;
  return Math.ceil(Math.max(goodCount * 1.25, plannedUnits) / 100) * 100;
}

type SimulatedMachine = { machine: SeededMachine; history: MachineHistory };

/**
 * The good and scrap count of each planned order by the API's rule (apps/api work-order.service.ts), for the
 * count rows tagged with the order: good from the output machine (the most downstream one that counted for the
 * order), scrap from every machine of the line (a part rejected anywhere is scrap of the order).
 */
function orderTotals(
  plan: LinePlan,
  machinesInFlowOrder: readonly SimulatedMachine[],
): { goodCount: number; scrapCount: number }[] {
  const countsByOrderPerMachine = machinesInFlowOrder.map(({ history }) => {
    const byOrder = new Map<number, { goodCount: number; rejectCount: number }>();
    for (const count of history.counts) {
      const sum = byOrder.get(count.orderIndex) ?? { goodCount: 0, rejectCount: 0 };
      sum.goodCount += count.goodCount;
      sum.rejectCount += count.rejectCount;
      byOrder.set(count.orderIndex, sum);
    }
    return byOrder;
  });
  return plan.orders.map((order) => {
    const counted = countsByOrderPerMachine.flatMap((byOrder) => byOrder.get(order.index) ?? []);
    return {
      goodCount: counted.at(-1)?.goodCount ?? 0,
      scrapCount: counted.reduce((sum, machine) => sum + machine.rejectCount, 0),
    };
  });
}

function workOrderRows(
  line: SeededLine,
  plan: LinePlan,
  machinesInFlowOrder: readonly SimulatedMachine[],
  productIdByCode: ReadonlyMap<string, string>,
  supervisorId: string | null,
) {
  const random = createRandom(`${line.path}/work-orders`);
  const totals = orderTotals(plan, machinesInFlowOrder);
  const lastMachine = machinesInFlowOrder.at(-1)?.machine;
  const orders = plan.orders.map((order) => {
    const total = totals[order.index] ?? { goodCount: 0, scrapCount: 0 };
    const createdMs = order.startMs - Math.round(random.between(48, 144)) * HOUR_MS;
    const releasedMs = order.startMs - Math.round(random.between(8, 36)) * HOUR_MS;
    const idealCycleTimeSec = lastMachine?.idealCycleTimeSecByProduct.get(order.productCode) ?? 1;
    const transitions: { fromStatus: WorkOrderStatus | null; toStatus: WorkOrderStatus; atMs: number }[] = [
      { fromStatus: null, toStatus: WorkOrderStatus.DRAFT, atMs: createdMs },
      { fromStatus: WorkOrderStatus.DRAFT, toStatus: WorkOrderStatus.RELEASED, atMs: releasedMs },
      { fromStatus: WorkOrderStatus.RELEASED, toStatus: WorkOrderStatus.IN_PROGRESS, atMs: order.startMs },
    ];
    if (order.completedMs !== null) {
      transitions.push({
        fromStatus: WorkOrderStatus.IN_PROGRESS,
        toStatus: WorkOrderStatus.COMPLETED,
        atMs: order.completedMs,
      });
    }
    return {
      id: randomUUID(),
      number: `WO-${line.ordinal}${String(order.index + 1).padStart(3, '0')}`,
      productId: lookup(productIdByCode, order.productCode, 'product'),
      lineId: line.id,
      status: order.completedMs === null ? WorkOrderStatus.IN_PROGRESS : WorkOrderStatus.COMPLETED,
      targetQuantity: targetQuantity(order, total.goodCount, idealCycleTimeSec),
      goodCount: total.goodCount,
      scrapCount: total.scrapCount,
      dueAt: new Date(order.startMs + order.plannedRunMs * 2 + DAY_MS),
      startedAt: new Date(order.startMs),
      completedAt: order.completedMs === null ? null : new Date(order.completedMs),
      createdAt: new Date(createdMs),
      updatedAt: new Date(order.completedMs ?? order.startMs),
      // Every transition is an update of the row, and each update bumps the version.
      version: transitions.length,
      transitions: transitions.map((t) => ({ ...t, actorId: supervisorId })),
    };
  });
  return orders;
}

/** Simulates and writes the history of the line's machines in `machineIds`; work orders only for a fresh line. */
export async function seedLineHistory(options: SeedLineHistoryOptions): Promise<LineHistoryResult> {
  const { prisma, line, machineIds, productIdByCode, reasonIdByCode, supervisorId, fromMs, toMs, bucketSec } = options;
  const machines = line.machines.filter((m) => machineIds.has(m.id));
  if (machines.length === 0) return NOTHING_WRITTEN;
  // Work orders belong to the whole line: write them only when no machine of it has history yet, so a
  // machine whose history went missing alone does not get a second set of orders.
  const isFreshLine = machines.length === line.machines.length;

  const calendar = expandShiftCalendar({
    shifts: line.shifts,
    timeZone: line.timeZone,
    fromMs,
    toMs: toMs + 14 * DAY_MS,
  });
  const plan = planLineHistory({
    calendar,
    fromMs,
    toMs,
    productCodes: line.productCodes,
    random: createRandom(line.path),
  });
  const histories = line.machines.map((machine) => {
    const profile = createMachineProfile(
      createRandom(`${machine.path}/profile`),
      MACHINE_FAULTS[machine.kind],
      OCCASIONAL_FAULTS,
    );
    return {
      machine,
      history: simulateMachine({
        plan,
        profile,
        random: createRandom(`${machine.path}/history`),
        idealCycleTimeSec: (productCode) => {
          const seconds = machine.idealCycleTimeSecByProduct.get(productCode);
          if (seconds === undefined) throw new Error(`No ideal cycle time for ${productCode} on ${machine.path}`);
          return seconds;
        },
        bucketSec,
        isFirstInLine: machine.sequence === 0,
      }),
    };
  });

  if (histories.length === 0) throw new Error(`Line ${line.path} has no machines`);
  const workOrders = isFreshLine ? workOrderRows(line, plan, histories, productIdByCode, supervisorId) : [];
  const workOrderIdByIndex = new Map(workOrders.map((wo, index) => [index, wo.id]));
  const productIdByIndex = plan.orders.map((o) => lookup(productIdByCode, o.productCode, 'product'));
  const reasonId = (code: string | null): string | null =>
    code === null ? null : lookup(reasonIdByCode, code, 'reason');

  const intervalRows: IntervalRow[] = [];
  const countRows: CountRow[] = [];
  for (const { machine, history } of histories) {
    if (!machineIds.has(machine.id)) continue;
    for (const interval of history.intervals) {
      const index = interval.orderIndex;
      intervalRows.push({
        machineId: machine.id,
        state: interval.state,
        startedAt: iso(interval.startMs),
        endedAt: interval.endMs === null ? null : iso(interval.endMs),
        reasonId: reasonId(interval.reasonCode),
        productId: index === null ? null : (productIdByIndex[index] ?? null),
        workOrderId: index === null ? null : (workOrderIdByIndex.get(index) ?? null),
        classifiedById: interval.classifiedAtMs === null ? null : supervisorId,
        classifiedAt: interval.classifiedAtMs === null ? null : iso(interval.classifiedAtMs),
      });
    }
    for (const count of history.counts) {
      countRows.push({
        machineId: machine.id,
        bucketStart: iso(count.bucketStartMs),
        productId: lookup(productIdByCode, plan.orders[count.orderIndex]?.productCode ?? '', 'product'),
        workOrderId: workOrderIdByIndex.get(count.orderIndex) ?? null,
        goodCount: count.goodCount,
        rejectCount: count.rejectCount,
      });
    }
  }

  const isWritten = await inSeedTransaction(
    prisma,
    async (tx) => {
      // Another process may have written this line while we simulated it.
      if ((await tx.machineStateInterval.count({ where: { machineId: { in: [...machineIds] } } })) > 0) return false;
      if (workOrders.length > 0) {
        await tx.workOrder.createMany({ data: workOrders.map(({ transitions: _, ...row }) => row) });
        await tx.workOrderTransition.createMany({
          data: workOrders.flatMap((wo) =>
            wo.transitions.map((t) => ({
              workOrderId: wo.id,
              fromStatus: t.fromStatus,
              toStatus: t.toStatus,
              at: new Date(t.atMs),
              actorId: t.actorId,
            })),
          ),
        });
        await tx.plannedDowntime.createMany({
          data: plan.plannedStops.map((stop) => ({
            lineId: line.id,
            reasonId: reasonId(stop.reasonCode),
            startsAt: new Date(stop.startMs),
            endsAt: new Date(stop.endMs),
            note: stop.note,
          })),
        });
      }
      await insertIntervals(tx, intervalRows);
      await insertCounts(tx, countRows, bucketSec);
      return true;
    },
    { timeoutMs: LINE_TRANSACTION_TIMEOUT_MS },
  );
  if (!isWritten) return NOTHING_WRITTEN;

  return {
    machineCount: machines.length,
    workOrderCount: workOrders.length,
    workOrderDetailCount:
      workOrders.length === 0
        ? 0
        : workOrders.reduce((sum, wo) => sum + wo.transitions.length, 0) + plan.plannedStops.length,
    stateIntervalCount: intervalRows.length,
    productionCountCount: countRows.length,
  };
}
