// Data access of the health check: one round trip to PostgreSQL.
import type { PrismaClient } from '@takt/db';

/** Resolves when PostgreSQL answers a trivial query. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
