// The one way the API runs a unit of work: one transaction, and the database refusals a request can cause — a
// duplicate, a reference to or from a row that another request just changed, a row gone meanwhile, concurrent
// writers in conflict — answered as problems (409/404) instead of 500s. The data layer's shared plumbing: with the
// repositories, the only code that touches Prisma at run time.
import { Prisma, type PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';

/** A client or a transaction: reads work on either, writes are given the transaction. */
export type Db = Prisma.TransactionClient;

/** A refusal of the database that a client's request caused. */
export type DbConflict =
  /** A unique constraint or index (`constraint` is its name, e.g. `site_code_key`). */
  | { kind: 'unique'; constraint: string | undefined }
  /** A foreign key: `referencedBy` is the table still pointing at a deleted row, else the row pointed at is gone. */
  | { kind: 'foreign-key'; constraint: string | undefined; referencedBy: string | undefined }
  /** The row a write named is gone (or no longer matches its version guard). */
  | { kind: 'not-found' }
  /** A serialization failure or a deadlock with a concurrent transaction (SQLSTATE 40001, 40P01). */
  | { kind: 'write-conflict' };

export type TransactionOptions = {
  /** A specific answer to a conflict (e.g. 409 naming the duplicate code); undefined keeps the default answer. */
  onConflict?(conflict: DbConflict): AppError | undefined;
  /** Longest the transaction may run, in ms (default Prisma's 5 s), and wait for a connection. */
  timeoutMs?: number;
  maxWaitMs?: number;
};

type AdapterCause = { kind?: string; originalMessage?: string; constraint?: { index?: string } };

function adapterCause(error: Prisma.PrismaClientKnownRequestError): AdapterCause {
  const meta = error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined;
  return meta?.driverAdapterError?.cause ?? {};
}

/** The conflict behind a database error, or undefined when it is not one a client causes. */
function conflictOf(error: unknown): DbConflict | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const cause = adapterCause(error);
  if (error.code === 'P2002' || cause.kind === 'UniqueConstraintViolation') {
    return { kind: 'unique', constraint: cause.constraint?.index };
  }
  if (error.code === 'P2003' || cause.kind === 'ForeignKeyConstraintViolation') {
    // PostgreSQL names the referencing table only when a delete or key update is refused.
    const referencedBy = /^update or delete on table "[^"]+" violates .* on table "([^"]+)"/.exec(
      cause.originalMessage ?? '',
    )?.[1];
    return { kind: 'foreign-key', constraint: cause.constraint?.index, referencedBy };
  }
  if (error.code === 'P2025') return { kind: 'not-found' };
  if (error.code === 'P2034' || cause.kind === 'TransactionWriteConflict') return { kind: 'write-conflict' };
  return undefined;
}

function defaultAnswer(conflict: DbConflict): AppError {
  switch (conflict.kind) {
    case 'unique':
      return new AppError('CONFLICT', 'Already in use', {
        detail: `Another item already has this value (${conflict.constraint ?? 'unique constraint'}).`,
      });
    case 'foreign-key':
      return conflict.referencedBy === undefined
        ? new AppError('CONFLICT', 'Reference gone', {
            detail: 'The request refers to an item that no longer exists: reload and try again.',
          })
        : new AppError('CONFLICT', 'Still referenced', {
            detail: `The item is still referenced by ${conflict.referencedBy.replaceAll('_', ' ')} data.`,
          });
    case 'not-found':
      return new AppError('NOT_FOUND', 'Not found', {
        detail: 'The item was removed meanwhile: reload and try again.',
      });
    case 'write-conflict':
      return new AppError('CONFLICT', 'Concurrent change', {
        detail: 'Another change to the same data ran at the same time: send the request again.',
      });
  }
}

/** Runs `work` in one transaction (a change and its audit entry commit together) and answers its conflicts. */
export async function inTransaction<T>(
  prisma: PrismaClient,
  work: (tx: Db) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await prisma.$transaction(work, { timeout: options.timeoutMs, maxWait: options.maxWaitMs });
  } catch (error) {
    const conflict = conflictOf(error);
    if (conflict === undefined) throw error;
    throw options.onConflict?.(conflict) ?? defaultAnswer(conflict);
  }
}
