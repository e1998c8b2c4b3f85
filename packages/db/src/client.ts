// The one way to get a Prisma client: Prisma Client 7 over @prisma/adapter-pg (no native engine).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type { PrismaClient };

export type CreatePrismaClientOptions = {
  /** Pool size: connections this client opens at most. */
  maxConnections?: number;
};

/** A Prisma client for `databaseUrl`; call `$disconnect()` when done. */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
