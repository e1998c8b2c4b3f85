// Data access of the HTTP ingest, its token authentication and its status: the only ingest module of the API that
// touches Prisma.
import type { PrismaClient } from '@takt/db';

export type IngestSourceStatusRow = {
  sourceCode: string;
  sourceKind: string;
  isConnected: boolean | null;
  lastMessageAt: Date | null;
  messagesTotal: bigint;
  messagesPerSec: number;
  duplicates: bigint;
  deadLetters: bigint;
  spoolDepth: number;
  pendingEvents: number;
  unackedMessages: number;
  lagMs: number | null;
  updatedAt: Date;
};

/** Every source's status row, by source code. */
export async function listSourceStatus(prisma: PrismaClient): Promise<IngestSourceStatusRow[]> {
  return prisma.ingestSourceStatus.findMany({ orderBy: { sourceCode: 'asc' } });
}

/** The enabled HTTP data source (its signal mappings resolve `signal` events), or null. */
export async function findHttpDataSource(prisma: PrismaClient): Promise<{ id: string; code: string } | null> {
  return prisma.dataSource.findFirst({
    where: { kind: 'HTTP', isEnabled: true },
    select: { id: true, code: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** The ingest token with this SHA-256, revoked or not, or null. */
export function findIngestTokenByHash(
  prisma: PrismaClient,
  tokenHash: string,
): Promise<{ id: string; name: string; revokedAt: Date | null; lastUsedAt: Date | null } | null> {
  return prisma.ingestToken.findUnique({
    where: { tokenHash },
    select: { id: true, name: true, revokedAt: true, lastUsedAt: true },
  });
}

/** Records when the token was last used. */
export async function touchIngestToken(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.ingestToken.update({ where: { id }, data: { lastUsedAt: at } });
}
