import { test, expect } from 'vitest';
import { createTestDatabase } from '@takt/db/testing';
import { Prisma } from '@takt/db';
test('probe', async () => {
  const t0 = Date.now();
  const db = await createTestDatabase('probe');
  console.log('create ms', Date.now() - t0);
  const rows = await db.prisma.$queryRaw<{ a: Date; b: bigint; c: string }[]>`SELECT ${new Date(1732520000123)}::timestamptz AS a, ${10n}::bigint AS b, ${'x'}::text AS c, ${[1,2]}::int[] AS d`;
  console.log(rows);
  await db.drop();
}, 30000);
