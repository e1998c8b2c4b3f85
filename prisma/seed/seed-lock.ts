// Seeding writes that check-then-insert (history, backlog) run in a transaction holding one advisory
// lock, so that two processes seeding the same empty database at once (say, two apps on first start)
// take turns, and the second finds the first one's rows instead of failing on a unique key.
import type { Prisma, PrismaClient } from '@takt/db';

/** An arbitrary constant shared by every seeding process ("takt" in ASCII). */
const SEED_LOCK_KEY = 0x74616b74;

export type SeedTransactionOptions = { timeoutMs: number };

/** Runs `write` in a transaction that holds the seed lock until it commits or rolls back. */
export function inSeedTransaction<T>(
  prisma: PrismaClient,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
  options: SeedTransactionOptions,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`;
      return write(tx);
    },
    // maxWait covers waiting for a pool connection; the lock wait counts against the timeout.
    { timeout: options.timeoutMs, maxWait: 60_000 },
  );
}
