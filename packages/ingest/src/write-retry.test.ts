// Failure classification by codes (errors shaped as Prisma 7 + @prisma/adapter-pg, pg and Node raise them; the
// same shapes from a real PostgreSQL are checked in write-retry.int.test.ts) and the retry / bisection policy.
import { Prisma } from '@takt/db';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { classifyWriteFailure, writeWithRetry, type GiveUp, type WriteFailureKind } from './write-retry.ts';

const SECRET = 'invalid byte sequence for encoding "UTF8": 0x00 in "J\u0000AM"';

/** A Prisma known request error carrying the adapter's mapped driver error, as Prisma 7 raises them. */
function prismaError(code: string, adapterCause?: Record<string, unknown>): Error {
  const driverAdapterError = Object.assign(new Error(SECRET), { name: 'DriverAdapterError', cause: adapterCause });
  return new Prisma.PrismaClientKnownRequestError(`Raw query failed. ${SECRET}`, {
    code,
    clientVersion: '7.10.1',
    meta: adapterCause === undefined ? {} : { driverAdapterError },
  });
}
const postgres = (sqlState: string, kind = 'postgres') =>
  prismaError('P2010', { originalCode: sqlState, originalMessage: SECRET, kind, code: sqlState, severity: 'ERROR' });

describe('classifyWriteFailure', () => {
  it.each<[string, unknown, WriteFailureKind, string]>([
    ['a NUL byte (22021)', postgres('22021'), 'data', 'invalid value: text contains a NUL byte (22021)'],
    [
      'int8 overflow (22003)',
      postgres('22003', 'ValueOutOfRange'),
      'data',
      'invalid value: number out of range (22003)',
    ],
    ['another data exception', postgres('22999'), 'data', 'invalid value: the database refused a value (22999)'],
    [
      'a foreign key (23503)',
      postgres('23503', 'ForeignKeyConstraintViolation'),
      'data',
      'integrity violation: refers to a row that does not exist (23503)',
    ],
    ['an undefined table (42P01)', postgres('42P01'), 'data', 'write failed: the database refused the write (42P01)'],
    [
      'a raw pg DatabaseError',
      Object.assign(new Error(SECRET), { code: '22P02', severity: 'ERROR' }),
      'data',
      'invalid value: malformed value (22P02)',
    ],
    [
      'a deadlock (40P01)',
      postgres('40P01', 'TransactionWriteConflict'),
      'conflict',
      'write failed: the database refused the write (40P01)',
    ],
    [
      'a serialization failure (40001)',
      postgres('40001'),
      'conflict',
      'write failed: the database refused the write (40001)',
    ],
    ['admin shutdown (57P01)', postgres('57P01'), 'connection', 'write failed: the database refused the write (57P01)'],
    [
      'a connection failure (08006)',
      postgres('08006'),
      'connection',
      'write failed: the database refused the write (08006)',
    ],
    [
      'too many connections (53300)',
      postgres('53300'),
      'connection',
      'write failed: the database refused the write (53300)',
    ],
    [
      'unreachable (P1001)',
      prismaError('P1001', { kind: 'DatabaseNotReachable', host: 'db', port: 5432 }),
      'connection',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'a closed connection (adapter kind)',
      prismaError('P2010', { kind: 'ConnectionClosed' }),
      'connection',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'no transaction in time (P2028)',
      prismaError('P2028'),
      'connection',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'an expired transaction (P2028 with timeTaken)',
      new Prisma.PrismaClientKnownRequestError('Transaction API error: expired', {
        code: 'P2028',
        clientVersion: '7.10.1',
        meta: { operation: 'query', timeout: 30_000, timeTaken: 30_412 },
      }),
      'unknown',
      'write failed: the transaction took too long',
    ],
    [
      'a socket error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 }),
      'connection',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'a socket error as cause',
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET', syscall: 'read' }) }),
      'connection',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'an error without codes',
      new Error('Connection terminated unexpectedly'),
      'unknown',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'codes only in the message text',
      new Error('ECONNREFUSED 08006 57P01 P1001'),
      'unknown',
      'write failed: unexpected error (details in the ingest log)',
    ],
    [
      'a program error',
      new RangeError('Invalid time value'),
      'unknown',
      'write failed: unexpected error (details in the ingest log)',
    ],
  ])('%s', (_, error, kind, reason) => {
    const failure = classifyWriteFailure(error);
    expect(failure).toMatchObject({ kind, reason });
    expect(failure.reason).not.toContain('UTF8');
  });
});

// ---- writeWithRetry -----------------------------------------------------------------------------------------

type Run = { written: number[]; writes: number[][]; givenUp: { items: number[]; why: GiveUp }[] };

/** Runs writeWithRetry over `items`; `failureOf` says which error (if any) an attempt at `items` throws. */
async function run(
  items: number[],
  failureOf: (items: readonly number[], attempt: number) => unknown,
  options: {
    maxTransientAttempts?: number;
    maxDataErrorAttempts?: number;
    isStopped?: () => boolean;
    isDatabaseReachable?: () => boolean;
  } = {},
): Promise<Run> {
  const result: Run = { written: [], writes: [], givenUp: [] };
  await writeWithRetry<number>({
    items,
    write: async (part) => {
      result.writes.push([...part]);
      const error = failureOf(part, result.writes.length);
      if (error) throw error;
      result.written.push(...part);
    },
    giveUp: async (part, why) => {
      result.givenUp.push({ items: [...part], why });
    },
    isStopped: options.isStopped ?? (() => false),
    isDatabaseReachable: async () => options.isDatabaseReachable?.() ?? true,
    maxTransientAttempts: options.maxTransientAttempts ?? Number.POSITIVE_INFINITY,
    maxDataErrorAttempts: options.maxDataErrorAttempts ?? 3,
    retryInitialDelayMs: 1,
    retryMaxDelayMs: 4,
    logger: pino({ level: 'silent' }),
  });
  return result;
}

describe('writeWithRetry', () => {
  const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

  it('splits a refused batch until each refused item is alone, and writes every other item once, in order', async () => {
    const poison = new Set([3, 11, 12]);
    const result = await run(items, (part) => (part.some((n) => poison.has(n)) ? postgres('22021') : null));
    expect(result.written).toEqual(items.filter((n) => !poison.has(n)));
    expect(result.givenUp).toEqual(
      [3, 11, 12].map((n) => ({
        items: [n],
        why: { kind: 'refused', reason: 'invalid value: text contains a NUL byte (22021)' },
      })),
    );
    expect(result.writes.length).toBeLessThanOrEqual(2 * items.length);
  });

  it('retries connection failures of the same items until they go through', async () => {
    const result = await run(items, (_, attempt) => (attempt <= 3 ? postgres('57P01') : null));
    expect(result.writes).toEqual([items, items, items, items]);
    expect(result.written).toEqual(items);
    expect(result.givenUp).toEqual([]);
  });

  it('hands everything left back as unavailable after maxTransientAttempts connection failures', async () => {
    const result = await run(
      items,
      (part, attempt) =>
        attempt === 1 && part.includes(3) ? postgres('22021') : prismaError('P1001', { kind: 'DatabaseNotReachable' }),
      { maxTransientAttempts: 2 },
    );
    expect(result.written).toEqual([]);
    expect(result.givenUp).toEqual([{ items, why: { kind: 'unavailable' } }]);
  });

  it('retries conflicts and failures without codes within the budget, then isolates as for refused data', async () => {
    const deadlockOnce = await run(items, (_, attempt) => (attempt === 1 ? postgres('40P01') : null));
    expect(deadlockOnce.writes).toHaveLength(2);
    expect(deadlockOnce.written).toEqual(items);

    const alwaysFailing = new Set([5]);
    const result = await run(
      items,
      (part) => (part.some((n) => alwaysFailing.has(n)) ? new RangeError('Invalid time value') : null),
      { maxDataErrorAttempts: 2 },
    );
    expect(result.writes.slice(0, 2)).toEqual([items, items]); // one retry of the whole batch, then halves
    expect(result.written).toEqual(items.filter((n) => n !== 5));
    expect(result.givenUp).toEqual([
      { items: [5], why: { kind: 'refused', reason: 'write failed: unexpected error (details in the ingest log)' } },
    ]);
  });

  it('takes a failure without any code for a connection failure while the database does not answer', async () => {
    const dropped = () => new Error('Connection terminated unexpectedly');
    // Five attempts fail while the database does not answer the probe; the sixth goes through.
    const outage = await run(items, (_, attempt) => (attempt <= 5 ? dropped() : null), {
      maxDataErrorAttempts: 1,
      isDatabaseReachable: () => false,
    });
    expect(outage.writes).toHaveLength(6);
    expect(outage.writes.every((part) => part.length === items.length)).toBe(true);
    expect(outage.written).toEqual(items);

    const handedBack = await run(items, dropped, { maxTransientAttempts: 3, isDatabaseReachable: () => false });
    expect(handedBack.givenUp).toEqual([{ items, why: { kind: 'unavailable' } }]);
  });

  it('gives the unwritten items up as stopped once the pipeline is stopped', async () => {
    let isStopped = false;
    const result = await run(
      items,
      (part) => {
        isStopped = true;
        return part.includes(13) ? postgres('22021') : null;
      },
      { isStopped: () => isStopped },
    );
    expect(result.writes).toEqual([items]);
    expect(result.givenUp).toEqual([{ items, why: { kind: 'stopped' } }]);
  });
});
