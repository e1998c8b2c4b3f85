// The audit trail as admins query it: filters by entity, actor, action and time, newest first.
import type { TAuditEntry, TAuditQuery } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
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

/** The cursor is the id of the last entry of the previous page, so that new entries never shift pages. */
function beforeIdOf(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[1-9][0-9]{0,18}$/.test(cursor)) {
    throw new AppError('BAD_REQUEST', 'Invalid cursor', {
      detail: 'Pass the nextCursor of the previous page unchanged.',
      errors: [{ path: 'query.cursor', message: 'Not a cursor of this list' }],
    });
  }
  return BigInt(cursor);
}

/** A page of audit entries matching the query, newest first. */
export async function queryAuditLog(
  prisma: PrismaClient,
  query: TAuditQuery,
): Promise<{ items: TAuditEntry[]; nextCursor: string | null }> {
  const rows = await findAuditEntries(
    prisma,
    {
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      action: query.action,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      beforeId: beforeIdOf(query.cursor),
    },
    query.limit + 1,
  );
  const hasMore = rows.length > query.limit;
  const items = (hasMore ? rows.slice(0, query.limit) : rows).map(toAuditEntryDto);
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
