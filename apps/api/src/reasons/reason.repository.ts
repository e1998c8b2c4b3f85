// Data access of the downtime-reason tree.
import type { Prisma } from '@takt/db';
import type { TDowntimeKind } from '@takt/contracts';

export type Db = Prisma.TransactionClient;
export type ReasonRow = Prisma.DowntimeReasonGetPayload<object>;

export function listReasons(db: Db, options: { includeArchived: boolean }): Promise<ReasonRow[]> {
  return db.downtimeReason.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ code: 'asc' }],
  });
}

export function findReason(db: Db, id: string): Promise<ReasonRow | null> {
  return db.downtimeReason.findUnique({ where: { id } });
}

export function countChildren(db: Db, id: string): Promise<number> {
  return db.downtimeReason.count({ where: { parentId: id } });
}

export function childKinds(db: Db, id: string): Promise<{ code: string; kind: TDowntimeKind }[]> {
  return db.downtimeReason.findMany({ where: { parentId: id }, select: { code: true, kind: true } });
}

export type ReasonData = { code: string; name: string; kind: TDowntimeKind; parentId: string | null };

export function createReason(db: Db, data: ReasonData): Promise<ReasonRow> {
  return db.downtimeReason.create({ data });
}

export function updateReason(db: Db, id: string, data: Partial<ReasonData>): Promise<ReasonRow> {
  return db.downtimeReason.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
}

export async function deleteReason(db: Db, id: string): Promise<void> {
  await db.downtimeReason.delete({ where: { id } });
}

/** Archives the reason and, for a category, its reasons; returns the reason. */
export async function archiveReason(db: Db, id: string, at: Date): Promise<ReasonRow> {
  await db.downtimeReason.updateMany({
    where: { parentId: id, archivedAt: null },
    data: { archivedAt: at, version: { increment: 1 } },
  });
  return db.downtimeReason.update({ where: { id }, data: { archivedAt: at, version: { increment: 1 } } });
}

/** How many state intervals and planned downtimes point at the reason. */
export async function usageOf(db: Db, id: string): Promise<{ intervals: number; plannedDowntimes: number }> {
  const [intervals, plannedDowntimes] = await Promise.all([
    db.machineStateInterval.count({ where: { reasonId: id } }),
    db.plannedDowntime.count({ where: { reasonId: id } }),
  ]);
  return { intervals, plannedDowntimes };
}
