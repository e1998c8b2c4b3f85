// Reads the plant to simulate from the database once at start: every active machine with the products it
// can make (ideal cycle time per machine, else per line — schema.prisma IdealCycleTime: "the machine row
// wins"), its line's shift pattern in the site's time zone and the planned downtime of its line or itself
// still to come, the unplanned downtime reasons breakdowns are attributed to and the planned ones. Sorted, so
// that the same database and seed give the same simulation.
import type { PrismaClient } from '@takt/db';
import type { MachineCalendar, ScheduledDowntime } from './machine-schedule.ts';
import type { SimProduct } from './machine-model.ts';

export type SimulatedMachine = {
  path: string;
  products: SimProduct[];
  /** The line's shift pattern; null when the line has none. */
  calendar: MachineCalendar | null;
  /** Planned downtime of the line or the machine ending after the load time, by start. */
  plannedDowntime: ScheduledDowntime[];
};

export type SimulatedPlant = {
  machines: SimulatedMachine[];
  /** Leaf reasons (those with a category) of kind UNPLANNED; all UNPLANNED codes when there is no tree. */
  downReasonCodes: string[];
  /** Every reason code of kind PLANNED. */
  plannedReasonCodes: string[];
};

export type LoadSimulatedPlantOptions = {
  prisma: PrismaClient;
  /** The simulator's start time: planned downtime that ended before it is left out. */
  fromMs: number;
};

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export async function loadSimulatedPlant(options: LoadSimulatedPlantOptions): Promise<SimulatedPlant> {
  const { prisma, fromMs } = options;
  const [machines, cycleTimes, reasons, plannedDowntime] = await Promise.all([
    prisma.machine.findMany({
      where: { archivedAt: null, line: { archivedAt: null } },
      select: {
        id: true,
        path: true,
        lineId: true,
        line: {
          select: {
            area: { select: { site: { select: { timeZone: true } } } },
            shiftPattern: {
              select: {
                shifts: {
                  select: {
                    code: true,
                    startMinute: true,
                    durationMin: true,
                    weekdays: true,
                    breaks: {
                      select: { name: true, offsetMin: true, durationMin: true },
                      orderBy: { offsetMin: 'asc' },
                    },
                  },
                  orderBy: { code: 'asc' },
                },
              },
            },
          },
        },
      },
      orderBy: { path: 'asc' },
    }),
    prisma.idealCycleTime.findMany({
      where: { product: { archivedAt: null } },
      select: { lineId: true, machineId: true, idealCycleTimeSec: true, product: { select: { code: true } } },
    }),
    prisma.downtimeReason.findMany({
      where: { archivedAt: null },
      select: { code: true, parentId: true, kind: true },
      orderBy: { code: 'asc' },
    }),
    prisma.plannedDowntime.findMany({
      where: { endsAt: { gt: new Date(fromMs) } },
      select: { lineId: true, machineId: true, startsAt: true, endsAt: true, reason: { select: { code: true } } },
      orderBy: [{ startsAt: 'asc' }, { endsAt: 'asc' }, { id: 'asc' }],
    }),
  ]);

  const simulated = machines.map((machine): SimulatedMachine => {
    const cycleTimeByProduct = new Map<string, number>();
    for (const row of cycleTimes)
      if (row.lineId === machine.lineId) cycleTimeByProduct.set(row.product.code, row.idealCycleTimeSec);
    for (const row of cycleTimes)
      if (row.machineId === machine.id) cycleTimeByProduct.set(row.product.code, row.idealCycleTimeSec);
    const products = [...cycleTimeByProduct]
      .map(([code, idealCycleTimeSec]) => ({ code, idealCycleTimeSec }))
      .sort(byCode);
    const pattern = machine.line.shiftPattern;
    return {
      path: machine.path,
      products,
      calendar: pattern === null ? null : { timeZone: machine.line.area.site.timeZone, shifts: pattern.shifts },
      plannedDowntime: plannedDowntime
        .filter((row) => row.lineId === machine.lineId || row.machineId === machine.id)
        .map((row) => ({
          startMs: row.startsAt.getTime(),
          endMs: row.endsAt.getTime(),
          reasonCode: row.reason?.code ?? null,
        })),
    };
  });
  const unplanned = reasons.filter((reason) => reason.kind === 'UNPLANNED');
  const leaves = unplanned.filter((reason) => reason.parentId !== null);
  return {
    machines: simulated,
    downReasonCodes: (leaves.length > 0 ? leaves : unplanned).map((reason) => reason.code),
    plannedReasonCodes: reasons.filter((reason) => reason.kind === 'PLANNED').map((reason) => reason.code),
  };
}
