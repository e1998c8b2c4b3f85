// What to do when a batch's transaction fails. Failures are classified by the codes the error carries — the
// PostgreSQL SQLSTATE (PostgreSQL 15 Appendix A), Prisma's error code, the driver adapter's error kind, Node's
// socket error code — never by message text:
// - connection (class 08, 57P01–57P03 shutdown/restart, 53300 too many connections, unreachable, timed out):
//   retried with backoff, the whole batch, as long as `maxTransientAttempts` allows (then handed back as
//   "database unavailable", for the bridge's spool);
// - a failure without any code is a connection failure when the database does not answer a probe right after
//   (node-postgres reports a dropped or refused-then-closed connection as a bare Error), else it is unknown; so is
//   an expired transaction (Prisma P2028 with meta.timeTaken: the batch outlived its timeout), which splitting
//   may cure where retrying the whole batch would not;
// - conflict (40001 serialization failure, 40P01 deadlock) and unknown failures: retried with backoff while the
//   batch's retry budget (`maxDataErrorAttempts` − 1) lasts, then handled as data errors;
// - data (class 22 data exception, class 23 integrity violation, anything else PostgreSQL refuses): the batch is
//   split in halves, written first half first, until the event PostgreSQL refuses is alone; that event is
//   dead-lettered with a reason naming the SQLSTATE, and every other event of the batch is written once.
// Reasons never carry the driver's or PostgreSQL's message text (it may quote the refused value); the log has it.
import { Prisma } from '@takt/db';
import type { Logger } from 'pino';

export type WriteFailureKind = 'connection' | 'conflict' | 'data' | 'unknown';

export type WriteFailure = {
  kind: WriteFailureKind;
  /** The PostgreSQL SQLSTATE, when PostgreSQL raised the error. */
  sqlState: string | null;
  /** Why the write failed, for dead letters and results: never the driver's text. */
  reason: string;
};

const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);
// Prisma: P1001 cannot reach, P1002 reach timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 no pool connection in time, P2028 transaction API (could not start in time; an expired
// transaction is told apart by meta.timeTaken).
const CONNECTION_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
// @prisma/adapter-pg error kinds of socket and connection failures.
const CONNECTION_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const CONNECTION_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// Words for the SQLSTATEs an event's values can cause (PostgreSQL 15 Appendix A).
const SQLSTATE_WORDS: Record<string, string> = {
  '22001': 'text too long',
  '22003': 'number out of range',
  '22007': 'malformed date/time',
  '22008': 'date/time out of range',
  '22021': 'text contains a NUL byte',
  '22P02': 'malformed value',
  '22P05': 'text contains a character the database cannot store',
  '23502': 'a required value is missing',
  '23503': 'refers to a row that does not exist',
  '23505': 'conflicts with a stored row',
  '23514': 'breaks a check constraint',
};

type ErrorCodes = {
  sqlState: string | null;
  prismaCode: string | null;
  adapterKind: string | null;
  socketCode: string | null;
  isExpiredTransaction: boolean;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const stringOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The codes along an error's chain: Prisma's known request error → meta.driverAdapterError → its cause (the
 * adapter's mapped error, with PostgreSQL's `originalCode`), `cause` links, a raw pg DatabaseError (code +
 * severity) or a Node system error (code + syscall).
 */
function codesOf(error: unknown): ErrorCodes {
  const codes: ErrorCodes = {
    sqlState: null,
    prismaCode: null,
    adapterKind: null,
    socketCode: null,
    isExpiredTransaction: false,
  };
  const queue: unknown[] = [error];
  for (let step = 0; step < 8 && queue.length > 0; step += 1) {
    const current = queue.shift();
    if (!isRecord(current)) continue;
    if (current instanceof Prisma.PrismaClientKnownRequestError) {
      codes.prismaCode ??= current.code;
      if (isRecord(current.meta)) {
        if (current.code === 'P2028' && 'timeTaken' in current.meta) codes.isExpiredTransaction = true;
        queue.push(current.meta.driverAdapterError);
      }
    }
    const code = stringOf(current.code);
    codes.sqlState ??= stringOf(current.originalCode);
    if (code !== null && typeof current.severity === 'string') codes.sqlState ??= code;
    if (code !== null && typeof current.syscall === 'string') codes.socketCode ??= code;
    if (!(current instanceof Error)) codes.adapterKind ??= stringOf(current.kind);
    queue.push(current.cause);
  }
  return codes;
}

function reasonOf(sqlState: string | null, isExpiredTransaction: boolean): string {
  if (isExpiredTransaction) return 'write failed: the transaction took too long';
  if (sqlState === null) return 'write failed: unexpected error (details in the ingest log)';
  const words = SQLSTATE_WORDS[sqlState];
  if (sqlState.startsWith('22')) return `invalid value: ${words ?? 'the database refused a value'} (${sqlState})`;
  if (sqlState.startsWith('23')) return `integrity violation: ${words ?? 'the database refused the row'} (${sqlState})`;
  return `write failed: the database refused the write (${sqlState})`;
}

/** Classifies a failed write by its codes (see the module header). */
export function classifyWriteFailure(error: unknown): WriteFailure {
  const { sqlState, prismaCode, adapterKind, socketCode, isExpiredTransaction } = codesOf(error);
  const isConnection =
    (sqlState !== null && (sqlState.startsWith('08') || CONNECTION_SQLSTATES.has(sqlState))) ||
    (prismaCode !== null && CONNECTION_PRISMA_CODES.has(prismaCode) && !isExpiredTransaction) ||
    (adapterKind !== null && CONNECTION_ADAPTER_KINDS.has(adapterKind)) ||
    (socketCode !== null && CONNECTION_SOCKET_CODES.has(socketCode));
  const reason = reasonOf(sqlState, isExpiredTransaction);
  if (isConnection) return { kind: 'connection', sqlState, reason };
  if (sqlState !== null && CONFLICT_SQLSTATES.has(sqlState)) return { kind: 'conflict', sqlState, reason };
  if (sqlState !== null) return { kind: 'data', sqlState, reason };
  return { kind: 'unknown', sqlState, reason };
}

/**
 * classifyWriteFailure, with a failure without any code taken for a connection failure when the database does not
 * answer `isDatabaseReachable` (see the module header).
 */
export async function classifyWriteFailureProbing(
  error: unknown,
  isDatabaseReachable: () => Promise<boolean>,
): Promise<WriteFailure> {
  const failure = classifyWriteFailure(error);
  if (failure.kind !== 'unknown' || (await isDatabaseReachable())) return failure;
  return { ...failure, kind: 'connection' };
}

/** The full text of an error and its causes, for the log only (it may quote refused values). */
export function describeErrorForLog(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.message}${typeof code === 'string' ? ` [${code}]` : ''}`);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.join(' ← ');
}

/** Why writeWithRetry gave items up. */
export type GiveUp =
  | { kind: 'unavailable' }
  | { kind: 'stopped' }
  /** The item alone still fails: `reason` says why (from classifyWriteFailure). */
  | { kind: 'refused'; reason: string };

export type WriteWithRetryOptions<T> = {
  items: readonly T[];
  /** Writes `items` in one transaction; `isRetry`: an earlier attempt of (some of) them failed. */
  write: (items: readonly T[], isRetry: boolean) => Promise<void>;
  /** Settles items that will not be written; must not reject. */
  giveUp: (items: readonly T[], why: GiveUp) => Promise<void>;
  isStopped: () => boolean;
  /** Whether the database answers now (a `SELECT 1`); asked after a failure without any code. */
  isDatabaseReachable: () => Promise<boolean>;
  maxTransientAttempts: number;
  maxDataErrorAttempts: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  logger: Logger;
  /** Called on every failed attempt (statistics). */
  onFailedAttempt?: () => void;
};

// Unref'd: a retry pending at shutdown must not keep the process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Writes `items`, retrying and splitting by the failure policy of the module header; never rejects. */
export async function writeWithRetry<T>(options: WriteWithRetryOptions<T>): Promise<void> {
  const { write, giveUp, isStopped, isDatabaseReachable, maxTransientAttempts, logger } = options;
  const { retryInitialDelayMs, retryMaxDelayMs } = options;
  // Parts still to write, the next one last; a failing part is split into two in its place.
  const parts: { items: readonly T[]; isRetry: boolean }[] = [{ items: options.items, isRetry: false }];
  const remainingItems = (): T[] => parts.toReversed().flatMap((part) => part.items);
  let transientFailures = 0;
  let retriesLeft = options.maxDataErrorAttempts - 1;
  let consecutiveFailures = 0;
  const backOff = async (part: { items: readonly T[] }, failure: WriteFailure, error: unknown): Promise<void> => {
    consecutiveFailures += 1;
    const delayMs = Math.min(retryMaxDelayMs, retryInitialDelayMs * 2 ** (consecutiveFailures - 1));
    logger.warn(
      {
        items: part.items.length,
        delayMs,
        kind: failure.kind,
        sqlState: failure.sqlState,
        error: describeErrorForLog(error),
      },
      'batch write failed: retrying',
    );
    parts.push({ items: part.items, isRetry: true });
    await sleep(delayMs);
  };

  for (let part = parts.pop(); part !== undefined; part = parts.pop()) {
    if (isStopped()) {
      parts.push(part);
      const unwritten = remainingItems();
      logger.error({ items: unwritten.length }, 'stopped with an unwritten batch; its events are lost');
      await giveUp(unwritten, { kind: 'stopped' });
      return;
    }
    try {
      await write(part.items, part.isRetry);
      consecutiveFailures = 0;
      continue;
    } catch (error) {
      options.onFailedAttempt?.();
      const failure = await classifyWriteFailureProbing(error, isDatabaseReachable);
      if (failure.kind === 'connection') {
        transientFailures += 1;
        if (transientFailures >= maxTransientAttempts) {
          parts.push(part);
          logger.error(
            { items: part.items.length, error: describeErrorForLog(error) },
            'database unavailable: batch given up',
          );
          await giveUp(remainingItems(), { kind: 'unavailable' });
          return;
        }
        await backOff(part, failure, error);
        continue;
      }
      if (failure.kind !== 'data' && retriesLeft > 0) {
        retriesLeft -= 1;
        await backOff(part, failure, error);
        continue;
      }
      if (part.items.length > 1) {
        // Isolate what PostgreSQL refuses: each half in its own transaction, in order.
        const middle = Math.ceil(part.items.length / 2);
        parts.push(
          { items: part.items.slice(middle), isRetry: true },
          { items: part.items.slice(0, middle), isRetry: true },
        );
        logger.warn(
          { items: part.items.length, sqlState: failure.sqlState, error: describeErrorForLog(error) },
          'batch refused: writing it in halves to isolate the refused event',
        );
        continue;
      }
      logger.error(
        { sqlState: failure.sqlState, reason: failure.reason, error: describeErrorForLog(error) },
        'event refused by the database: dead-lettered',
      );
      await giveUp(part.items, { kind: 'refused', reason: failure.reason });
    }
  }
}
