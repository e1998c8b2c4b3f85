// The work-order backlog of the demo plant: orders not yet started, so that a supervisor has something
// to dispatch on first start. Released orders wait for dispatch to a line (no line yet); drafts wait for
// release. Orders that ran in the past are written with the history (history.seed.ts).
import { randomUUID } from 'node:crypto';
import { WorkOrderStatus, type PrismaClient } from '@takt/db';
import { inSeedTransaction } from './seed-lock.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

type BacklogOrder = {
  number: string;
  productCode: string;
  targetQuantity: number;
  status: typeof WorkOrderStatus.DRAFT | typeof WorkOrderStatus.RELEASED;
  createdDaysAgo: number;
  dueInDays: number;
};

export const DEMO_BACKLOG: readonly BacklogOrder[] = [
  {
    number: 'WO-9001',
    productCode: 'BRK-1001',
    targetQuantity: 2_400,
    status: WorkOrderStatus.RELEASED,
    createdDaysAgo: 3,
    dueInDays: 3,
  },
  {
    number: 'WO-9002',
    productCode: 'BTL-6002',
    targetQuantity: 40_000,
    status: WorkOrderStatus.RELEASED,
    createdDaysAgo: 2,
    dueInDays: 4,
  },
  {
    number: 'WO-9003',
    productCode: 'GBX-5001',
    targetQuantity: 800,
    status: WorkOrderStatus.RELEASED,
    createdDaysAgo: 2,
    dueInDays: 6,
  },
  {
    number: 'WO-9004',
    productCode: 'SHF-4001',
    targetQuantity: 1_500,
    status: WorkOrderStatus.DRAFT,
    createdDaysAgo: 1,
    dueInDays: 9,
  },
  {
    number: 'WO-9005',
    productCode: 'GRS-8001',
    targetQuantity: 30_000,
    status: WorkOrderStatus.DRAFT,
    createdDaysAgo: 1,
    dueInDays: 10,
  },
  {
    number: 'WO-9006',
    productCode: 'BRK-2001',
    targetQuantity: 1_200,
    status: WorkOrderStatus.DRAFT,
    createdDaysAgo: 0,
    dueInDays: 12,
  },
];

export type SeedBacklogOptions = {
  prisma: PrismaClient;
  productIdByCode: ReadonlyMap<string, string>;
  supervisorId: string | null;
  nowMs: number;
};

/** Creates the backlog orders whose number does not exist yet, each with its transitions; returns how many. */
export async function seedWorkOrderBacklog(options: SeedBacklogOptions): Promise<number> {
  const { prisma, productIdByCode, supervisorId, nowMs } = options;
  return inSeedTransaction(
    prisma,
    async (tx) => {
      const existing = await tx.workOrder.findMany({
        where: { number: { in: DEMO_BACKLOG.map((o) => o.number) } },
        select: { number: true },
      });
      const existingNumbers = new Set(existing.map((o) => o.number));
      const orders = DEMO_BACKLOG.filter((o) => !existingNumbers.has(o.number)).map((o) => {
        const productId = productIdByCode.get(o.productCode);
        if (productId === undefined) throw new Error(`Backlog order ${o.number}: unknown product ${o.productCode}`);
        // Whole hours, so that the same `now` gives the same rows and times look like someone typed them.
        const createdMs = Math.floor((nowMs - o.createdDaysAgo * DAY_MS - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
        const releasedMs = createdMs + HOUR_MS;
        return { ...o, id: randomUUID(), productId, createdMs, releasedMs };
      });
      if (orders.length === 0) return 0;
      await tx.workOrder.createMany({
        data: orders.map((o) => ({
          id: o.id,
          number: o.number,
          productId: o.productId,
          status: o.status,
          targetQuantity: o.targetQuantity,
          dueAt: new Date(Math.floor((nowMs + o.dueInDays * DAY_MS) / HOUR_MS) * HOUR_MS),
          createdAt: new Date(o.createdMs),
          updatedAt: new Date(o.status === WorkOrderStatus.RELEASED ? o.releasedMs : o.createdMs),
          // Each transition after creation is an update, and each update bumps the version.
          version: o.status === WorkOrderStatus.RELEASED ? 2 : 1,
        })),
      });
      await tx.workOrderTransition.createMany({
        data: orders.flatMap((o) => {
          const created = {
            workOrderId: o.id,
            actorId: supervisorId,
            fromStatus: null,
            toStatus: WorkOrderStatus.DRAFT,
            at: new Date(o.createdMs),
          };
          if (o.status !== WorkOrderStatus.RELEASED) return [created];
          return [
            created,
            {
              ...created,
              fromStatus: WorkOrderStatus.DRAFT,
              toStatus: WorkOrderStatus.RELEASED,
              at: new Date(o.releasedMs),
            },
          ];
        }),
      });
      return orders.length;
    },
    { timeoutMs: 30_000 },
  );
}
