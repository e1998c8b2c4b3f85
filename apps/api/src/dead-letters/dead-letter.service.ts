// Dead-letter list (ADMIN): what the ingest could not apply, newest first, per source.
import type { TDeadLetterQuery, TDeadLetter } from '@takt/contracts';
import { DataSourceKind, type PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
import { listDeadLetterRows } from './dead-letter.repository.ts';

const SOURCE_KINDS = new Set<string>(Object.values(DataSourceKind));

/** The cursor is the id of the last row of the previous page, so that new dead letters never shift pages. */
function beforeIdOf(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[1-9][0-9]{0,18}$/.test(cursor)) {
    throw new AppError('BAD_REQUEST', 'Invalid cursor', {
      detail: 'Use nextCursor as given.',
      errors: [{ path: 'query.cursor', message: 'Not a cursor of this list' }],
    });
  }
  return BigInt(cursor);
}

/** One page of dead letters; `source` is a source kind (`MQTT_JSON`, `HTTP`, …) or a data_source code. */
export async function listDeadLetters(options: {
  prisma: PrismaClient;
  query: TDeadLetterQuery;
}): Promise<{ items: TDeadLetter[]; nextCursor: string | null }> {
  const { prisma, query } = options;
  const { source } = query;
  const isKind = source !== undefined && SOURCE_KINDS.has(source);
  const rows = await listDeadLetterRows(prisma, {
    ...(isKind ? { sourceKind: source as DataSourceKind } : {}),
    ...(source !== undefined && !isKind ? { dataSourceCode: source } : {}),
    ...(query.from === undefined ? {} : { from: new Date(query.from) }),
    ...(query.cursor === undefined ? {} : { beforeId: beforeIdOf(query.cursor) }),
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: String(row.id),
      receivedAt: row.receivedAt.toISOString(),
      dataSourceId: row.dataSourceId,
      sourceKind: row.sourceKind,
      address: row.address,
      payload: row.payload,
      isPayloadTruncated: row.payloadTruncated,
      reason: row.reason,
    })),
    nextCursor: rows.length > query.limit ? String(page.at(-1)?.id ?? '') : null,
  };
}
