// Dead-letter list (ADMIN): what the ingest could not apply, newest first, per source.
import {
  DATA_SOURCE_KINDS,
  sequenceOrderCursor,
  type TDataSourceKind,
  type TDeadLetter,
  type TDeadLetterQuery,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { toPage, type Page } from '../http/page.ts';
import { listDeadLetterRows } from './dead-letter.repository.ts';

const SOURCE_KINDS = new Set<string>(DATA_SOURCE_KINDS);

/** One page of dead letters; `source` is a source kind (`MQTT_JSON`, `HTTP`, …) or a data_source code. */
export async function listDeadLetters(options: {
  prisma: PrismaClient;
  query: TDeadLetterQuery;
}): Promise<Page<TDeadLetter>> {
  const { prisma, query } = options;
  const { source } = query;
  const isKind = source !== undefined && SOURCE_KINDS.has(source);
  const rows = await listDeadLetterRows(prisma, {
    ...(isKind ? { sourceKind: source as TDataSourceKind } : {}),
    ...(source !== undefined && !isKind ? { dataSourceCode: source } : {}),
    ...(query.from === undefined ? {} : { from: new Date(query.from) }),
    // The cursor is the id of the last row shown, so that new dead letters never shift pages.
    ...(query.cursor === undefined ? {} : { beforeId: query.cursor[0] }),
    take: query.limit + 1,
  });
  return toPage(
    rows,
    query.limit,
    (row) => ({
      id: String(row.id),
      receivedAt: row.receivedAt.toISOString(),
      dataSourceId: row.dataSourceId,
      sourceKind: row.sourceKind,
      address: row.address,
      payload: row.payload,
      isPayloadTruncated: row.payloadTruncated,
      reason: row.reason,
    }),
    (row) => sequenceOrderCursor.encode([row.id]),
  );
}
