// Reads the plant to simulate from the database once at start: every active machine with the products it
// can make (ideal cycle time per machine, else per line — schema.prisma IdealCycleTime: "the machine row
// wins") and the unplanned downtime reasons breakdowns are attributed to. Sorted, so that the same
// database and seed give the same simulation.
import type { PrismaClient } from '@takt/db';
import type { SimProduct } from './machine-model.ts';

export type SimulatedMachine = { path: string; products: SimProduct[] };

export type SimulatedPlant = {
  machines: SimulatedMachine[];
  /** Leaf reasons (those with a category) of kind UNPLANNED; all UNPLANNED codes when there is no tree. */
  downReasonCodes: string[];
};

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export async function loadSimulatedPlant(prisma: PrismaClient): Promise<SimulatedPlant> {
  const [machines, cycleTimes, reasons] = await Promise.all([
    prisma.machine.findMany({
      where: { archivedAt: null, line: { archivedAt: null } },
      select: { id: true, path: true, lineId: true },
      orderBy: { path: 'asc' },
    }),
    prisma.idealCycleTime.findMany({
      where: { product: { archivedAt: null } },
      select: { lineId: true, machineId: true, idealCycleTimeSec: true, product: { select: { code: true } } },
    }),
    prisma.downtimeReason.findMany({
      where: { archivedAt: null, kind: 'UNPLANNED' },
      select: { code: true, parentId: true },
      orderBy: { code: 'asc' },
    }),
  ]);

  const simulated = machines.map((machine) => {
    const cycleTimeByProduct = new Map<string, number>();
    for (const row of cycleTimes)
      if (row.lineId === machine.lineId) cycleTimeByProduct.set(row.product.code, row.idealCycleTimeSec);
    for (const row of cycleTimes)
      if (row.machineId === machine.id) cycleTimeByProduct.set(row.product.code, row.idealCycleTimeSec);
    const products = [...cycleTimeByProduct]
      .map(([code, idealCycleTimeSec]) => ({ code, idealCycleTimeSec }))
      .sort(byCode);
    return { path: machine.path, products };
  });
  const leaves = reasons.filter((reason) => reason.parentId !== null);
  return { machines: simulated, downReasonCodes: (leaves.length > 0 ? leaves : reasons).map((reason) => reason.code) };
}
