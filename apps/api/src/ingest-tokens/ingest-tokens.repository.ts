// Data access for ingest API tokens: the only ingest-tokens module that touches Prisma.
import type { PrismaClient } from '@takt/db';
import type { Db } from '../db/transaction.ts';
import type { TIngestToken } from '@takt/contracts';

const TOKEN_SELECT = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { username: true } },
} as const;

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { username: string } | null;
};

function toToken(row: TokenRow): TIngestToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.username ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    isRevoked: row.revokedAt !== null,
  };
}

/** Up to `limit` tokens, newest first, created before `before` (the last token of the previous page). */
export async function listTokens(
  prisma: PrismaClient,
  limit: number,
  before: { createdAt: Date; id: string } | undefined,
): Promise<TIngestToken[]> {
  const rows = await prisma.ingestToken.findMany({
    where:
      before === undefined
        ? {}
        : { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: TOKEN_SELECT,
  });
  return rows.map(toToken);
}

export async function insertToken(
  tx: Db,
  data: { name: string; tokenHash: string; prefix: string; createdById: string },
): Promise<TIngestToken> {
  return toToken(await tx.ingestToken.create({ data, select: TOKEN_SELECT }));
}

/** Locks the token row so that two revocations serialise. */
export async function lockToken(tx: Db, id: string): Promise<TIngestToken | null> {
  await tx.$queryRaw`SELECT id FROM ingest_token WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.ingestToken.findUnique({ where: { id }, select: TOKEN_SELECT });
  return row === null ? null : toToken(row);
}

export async function markRevoked(tx: Db, id: string, at: Date): Promise<TIngestToken> {
  return toToken(await tx.ingestToken.update({ where: { id }, data: { revokedAt: at }, select: TOKEN_SELECT }));
}
