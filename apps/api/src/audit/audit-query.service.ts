// The audit trail as admins query it: filters by entity, actor, action and time, newest first.
import { sequenceOrderCursor, type TAuditEntry, type TAuditQuery } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { toPage, type Page } from '../http/page.ts';
import { findAuditEntries, type AuditLogRow } from './audit-log.repository.ts';

function toAuditEntryDto(row: AuditLogRow): TAuditEntry {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}

/** A page of audit entries matching the query, newest first. */
export async function queryAuditLog(prisma: PrismaClient, query: TAuditQuery): Promise<Page<TAuditEntry>> {
  const rows = await findAuditEntries(
    prisma,
    {
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      action: query.action,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      // The cursor is the id of the last entry shown, so that new entries never shift pages.
      beforeId: query.cursor?.[0],
    },
    query.limit + 1,
  );
  return toPage(rows, query.limit, toAuditEntryDto, (row) => sequenceOrderCursor.encode([row.id]));
}
