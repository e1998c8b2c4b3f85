// Data access of the audit log: appending entries (audit.service.ts composes them) and reading them newest first,
// keyset on the id.
import type { Prisma, PrismaClient } from '@takt/db';

export type AuditLogRow = Prisma.AuditLogModel;

/** Appends rows in the caller's transaction. */
export async function insertAuditRows(
  tx: Prisma.TransactionClient,
  rows: readonly Prisma.AuditLogCreateManyInput[],
): Promise<void> {
  if (rows.length === 1 && rows[0] !== undefined) await tx.auditLog.create({ data: rows[0] });
  else if (rows.length > 1) await tx.auditLog.createMany({ data: [...rows] });
}

export type AuditLogFilter = {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Only entries older than this id (the cursor). */
  beforeId?: bigint;
};

/** Up to `take` entries matching `filter`, newest (highest id) first. */
export function findAuditEntries(prisma: PrismaClient, filter: AuditLogFilter, take: number): Promise<AuditLogRow[]> {
  return prisma.auditLog.findMany({
    where: {
      entityType: filter.entityType,
      entityId: filter.entityId,
      actorId: filter.actorId,
      action: filter.action,
      at: { gte: filter.from, lt: filter.to },
      id: filter.beforeId === undefined ? undefined : { lt: filter.beforeId },
    },
    orderBy: { id: 'desc' },
    take,
  });
}
