// The demo-plant seed: `seedDemoPlant()` writes Acme Manufacturing (two sites, seven lines, 33 machines),
// its products, shifts, reason tree, demo users, a work-order backlog and 30 days of machine history, so
// that dashboards show data on first start. `npm run db:seed` and the app launcher both call it. Finally it
// rolls the history up (catchUpRollups), so that the first dashboard reads rollups instead of raw history.
//
// Idempotent: configuration is keyed by stable codes and only inserted when missing; history is generated
// only for machines that have no state interval yet. A second run inserts nothing and changes nothing.
import type { PrismaClient } from '@takt/db';
import { catchUpRollups } from '@takt/kpi-sql';
import { seedLineHistory, type LineHistoryResult } from './history.seed.ts';
import { seedPlant } from './plant.seed.ts';
import { seedUsers } from './users.seed.ts';
import { seedWorkOrderBacklog } from './work-orders.seed.ts';

export { DEMO_USERS, type DemoUser } from './users.seed.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const BUCKET_SEC = 300;

export type SeedDemoPlantOptions = {
  prisma: PrismaClient;
  /** End of the simulated history (its last state stays open); the same `now` gives the same data. */
  now?: Date;
  /** Progress messages, one per line of history written. */
  log?: (message: string) => void;
  /** Length of the simulated history; 30 days unless a test wants less. */
  historyDays?: number;
};

/** Rows in the database after seeding. */
export type DemoPlantTotals = {
  sites: number;
  areas: number;
  lines: number;
  machines: number;
  products: number;
  idealCycleTimes: number;
  shiftPatterns: number;
  downtimeReasons: number;
  users: number;
  workOrders: number;
  stateIntervals: number;
  productionCounts: number;
};

export type SeedDemoPlantSummary = {
  totals: DemoPlantTotals;
  /** Configuration rows (plant, products, shifts, reasons, data source, backlog) this run inserted. */
  createdConfigRowCount: number;
  createdUserCount: number;
  /** True when this run simulated history for at least one machine. */
  isHistoryGenerated: boolean;
  history: LineHistoryResult;
  /** Machine-hours of KPI rollups this run wrote (history not rolled up yet, or hours completed since). */
  rollupMachineHours: number;
  durationMs: number;
};

async function countTotals(prisma: PrismaClient): Promise<DemoPlantTotals> {
  // One after the other: the embedded database serves one query at a time anyway.
  return {
    sites: await prisma.site.count(),
    areas: await prisma.area.count(),
    lines: await prisma.line.count(),
    machines: await prisma.machine.count(),
    products: await prisma.product.count(),
    idealCycleTimes: await prisma.idealCycleTime.count(),
    shiftPatterns: await prisma.shiftPattern.count(),
    downtimeReasons: await prisma.downtimeReason.count(),
    users: await prisma.user.count(),
    workOrders: await prisma.workOrder.count(),
    stateIntervals: await prisma.machineStateInterval.count(),
    productionCounts: await prisma.productionCount.count(),
  };
}

/** Seeds the demo plant where it is missing and reports what the database now holds. */
export async function seedDemoPlant(options: SeedDemoPlantOptions): Promise<SeedDemoPlantSummary> {
  const { prisma } = options;
  const log = options.log ?? (() => {});
  const startedMs = performance.now();
  const nowMs = (options.now ?? new Date()).getTime();
  const bucketMs = BUCKET_SEC * 1000;
  // Bucket-aligned, so that the first count bucket starts where the history does.
  const fromMs = Math.floor((nowMs - (options.historyDays ?? 30) * DAY_MS) / bucketMs) * bucketMs;

  const plant = await seedPlant(prisma);
  const users = await seedUsers(prisma);
  const supervisorId = users.userIdByUsername.get('supervisor') ?? null;
  const backlogCount = await seedWorkOrderBacklog({
    prisma,
    productIdByCode: plant.productIdByCode,
    supervisorId,
    nowMs,
  });

  const machineIds = plant.lines.flatMap((l) => l.machines.map((m) => m.id));
  const withHistory = await prisma.machineStateInterval.groupBy({
    by: ['machineId'],
    where: { machineId: { in: machineIds } },
  });
  const hasHistory = new Set(withHistory.map((row) => row.machineId));
  const history: LineHistoryResult = {
    machineCount: 0,
    workOrderCount: 0,
    workOrderDetailCount: 0,
    stateIntervalCount: 0,
    productionCountCount: 0,
  };
  for (const line of plant.lines) {
    const pending = new Set(line.machines.filter((m) => !hasHistory.has(m.id)).map((m) => m.id));
    if (pending.size === 0) continue;
    const result = await seedLineHistory({
      prisma,
      line,
      machineIds: pending,
      productIdByCode: plant.productIdByCode,
      reasonIdByCode: plant.reasonIdByCode,
      supervisorId,
      fromMs,
      toMs: nowMs,
      bucketSec: BUCKET_SEC,
    });
    log(
      `History of ${line.path}: ${result.machineCount} machines, ${result.workOrderCount} work orders, ` +
        `${result.stateIntervalCount} state intervals, ${result.productionCountCount} counts`,
    );
    history.machineCount += result.machineCount;
    history.workOrderCount += result.workOrderCount;
    history.workOrderDetailCount += result.workOrderDetailCount;
    history.stateIntervalCount += result.stateIntervalCount;
    history.productionCountCount += result.productionCountCount;
  }

  const rollupMachineHours = await catchUpRollups({ prisma, nowMs });
  if (rollupMachineHours > 0) log(`KPI rollups: ${rollupMachineHours} machine-hours`);

  return {
    totals: await countTotals(prisma),
    createdConfigRowCount: plant.createdCount + backlogCount,
    createdUserCount: users.createdCount,
    isHistoryGenerated: history.machineCount > 0,
    history,
    rollupMachineHours,
    durationMs: Math.round(performance.now() - startedMs),
  };
}

/** The one-line summary the CLI and the launcher print. */
export function formatSeedSummary(summary: SeedDemoPlantSummary): string {
  const t = summary.totals;
  const inserted =
    summary.createdConfigRowCount +
    summary.createdUserCount +
    summary.history.workOrderCount +
    summary.history.workOrderDetailCount +
    summary.history.stateIntervalCount +
    summary.history.productionCountCount;
  return (
    `Demo plant: ${t.sites} sites, ${t.areas} areas, ${t.lines} lines, ${t.machines} machines, ${t.products} products, ` +
    `${t.downtimeReasons} reasons, ${t.users} users, ${t.workOrders} work orders, ${t.stateIntervals} state intervals, ` +
    `${t.productionCounts} counts; ` +
    (summary.isHistoryGenerated
      ? `history generated for ${summary.history.machineCount} machines`
      : 'history already present') +
    `; ${inserted} rows inserted in ${(summary.durationMs / 1000).toFixed(1)} s.`
  );
}
