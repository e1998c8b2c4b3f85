// classifyWriteFailure on the errors a real PostgreSQL, Prisma 7 and @prisma/adapter-pg raise (write-retry.test.ts
// covers the table of codes).
import { createPrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyWriteFailure } from './write-retry.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('write_retry');
});
afterAll(() => db?.drop());

/** The error a transaction running `work` fails with. */
async function failureOf(work: Parameters<TestDatabase['prisma']['$transaction']>[0]) {
  try {
    await db.prisma.$transaction(work, { timeout: 2_000 });
  } catch (error) {
    return classifyWriteFailure(error);
  }
  throw new Error('the transaction did not fail');
}

describe('classifyWriteFailure against PostgreSQL', () => {
  it('classifies text with a NUL byte as a data error, without the database text', async () => {
    const failure = await failureOf(async (tx) => {
      await tx.$executeRaw`INSERT INTO ingest_event_key (event_key) VALUES (${'http|id|J\u0000AM'})`;
    });
    expect(failure).toEqual({
      kind: 'data',
      sqlState: '22021',
      reason: 'invalid value: text contains a NUL byte (22021)',
    });
  });

  it('classifies a value beyond int8 and a duplicate key as data errors', async () => {
    expect(
      await failureOf(async (tx) => {
        await tx.$queryRaw`SELECT ${'9223372036854775808'}::bigint`;
      }),
    ).toMatchObject({ kind: 'data', sqlState: '22003' });
    expect(
      await failureOf(async (tx) => {
        await tx.$executeRaw`INSERT INTO ingest_event_key (event_key) VALUES ('k'), ('k')`;
      }),
    ).toMatchObject({ kind: 'data', sqlState: '23505' });
  });

  it('classifies a deadlock as a conflict and a terminated backend as a connection failure', async () => {
    expect(
      await failureOf(async (tx) => {
        await tx.$executeRaw`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01', MESSAGE = 'deadlock'; END $$`;
      }),
    ).toMatchObject({ kind: 'conflict', sqlState: '40P01' });
    expect(
      await failureOf(async (tx) => {
        await tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
      }),
    ).toMatchObject({ kind: 'connection', sqlState: '57P01' });
  });

  it('classifies an unreachable server as a connection failure, an expired transaction as unknown', async () => {
    const unreachable = createPrismaClient('postgresql://postgres@127.0.0.1:1/takt', { maxConnections: 1 });
    try {
      await unreachable.$transaction(async (tx) => tx.$queryRaw`SELECT 1`);
      expect.unreachable();
    } catch (error) {
      expect(classifyWriteFailure(error)).toMatchObject({ kind: 'connection', sqlState: null });
    } finally {
      await unreachable.$disconnect();
    }
    expect(
      await failureOf(async (tx) => {
        await tx.$queryRaw`SELECT pg_sleep(2.5)::text`;
        await tx.$queryRaw`SELECT 1`;
      }),
    ).toEqual({ kind: 'unknown', sqlState: null, reason: 'write failed: the transaction took too long' });
  });
});
