// Data access of the downtime-reason tree.
import type { Prisma } from '@takt/db';
import type { TDowntimeKind } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';

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

/** Writes `data` if nobody changed the reason meanwhile (version guard) and bumps its version. */
export function updateReason(
  db: Db,
  current: { id: string; version: number },
  data: Partial<ReasonData>,
): Promise<ReasonRow> {
  return db.downtimeReason.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export async function deleteReason(db: Db, id: string): Promise<void> {
  await db.downtimeReason.delete({ where: { id } });
}

/** Sets `archivedAt` of the reason and, for a category, of its reasons that differ; returns the reason. */
export async function setReasonArchivedAt(
  db: Db,
  current: { id: string; version: number },
  archivedAt: Date | null,
): Promise<ReasonRow> {
  await db.downtimeReason.updateMany({
    where: { parentId: current.id, archivedAt: archivedAt === null ? { not: null } : null },
    data: { archivedAt, version: { increment: 1 } },
  });
  return db.downtimeReason.update({
    where: { id: current.id, version: current.version },
    data: { archivedAt, version: { increment: 1 } },
  });
}

/** How many state intervals and planned downtimes point at the reason. */
export async function usageOf(db: Db, id: string): Promise<{ intervals: number; plannedDowntimes: number }> {
  const [intervals, plannedDowntimes] = await Promise.all([
    db.machineStateInterval.count({ where: { reasonId: id } }),
    db.plannedDowntime.count({ where: { reasonId: id } }),
  ]);
  return { intervals, plannedDowntimes };
}
