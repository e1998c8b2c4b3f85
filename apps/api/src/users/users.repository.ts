// Data access for user administration: the only users module that touches Prisma.
import type { TRole, TUserAccount } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';

const ACCOUNT_SELECT = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  disabledAt: true,
  passwordChangedAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const;

type AccountRow = {
  id: string;
  username: string;
  displayName: string;
  role: TRole;
  disabledAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

function toAccount(row: AccountRow): TUserAccount {
  return {
    ...row,
    isDisabled: row.disabledAt !== null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    passwordChangedAt: row.passwordChangedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One page ordered by username; `afterUsername` is the cursor. */
export async function listAccounts(db: Db, limit: number, afterUsername: string | undefined): Promise<TUserAccount[]> {
  const rows = await db.user.findMany({
    where: afterUsername === undefined ? {} : { username: { gt: afterUsername } },
    orderBy: { username: 'asc' },
    take: limit,
    select: ACCOUNT_SELECT,
  });
  return rows.map(toAccount);
}

export async function findAccount(db: Db, id: string): Promise<TUserAccount | null> {
  const row = await db.user.findUnique({ where: { id }, select: ACCOUNT_SELECT });
  return row === null ? null : toAccount(row);
}

/** Locks the row (FOR UPDATE) so that concurrent admin changes of one user serialise. */
export async function lockAccount(tx: Db, id: string): Promise<TUserAccount | null> {
  await tx.$queryRaw`SELECT id FROM app_user WHERE id = ${id}::uuid FOR UPDATE`;
  return findAccount(tx, id);
}

/**
 * Ids of the enabled ADMIN users, locked: two admins demoting each other at once serialise here, so the
 * last-admin rule cannot be raced.
 */
export async function lockActiveAdminIds(tx: Db): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM app_user WHERE role = 'ADMIN' AND disabled_at IS NULL ORDER BY id FOR UPDATE`;
  return rows.map((row) => row.id);
}

export async function usernameExists(db: Db, username: string): Promise<boolean> {
  const row = await db.user.findFirst({
    where: { username: { equals: username, mode: 'insensitive' } },
    select: { id: true },
  });
  return row !== null;
}

/** A new account: its name, role and the hash of its initial password. */
export type NewAccount = { username: string; displayName: string; role: TRole; passwordHash: string };

export async function insertAccount(tx: Db, data: NewAccount): Promise<TUserAccount> {
  return toAccount(await tx.user.create({ data, select: ACCOUNT_SELECT }));
}

/** Writes `data` if nobody changed the account meanwhile (version guard) and bumps its version. */
export async function updateAccount(
  tx: Db,
  current: { id: string; version: number },
  data: {
    displayName?: string;
    role?: TRole;
    disabledAt?: Date | null;
    passwordHash?: string;
    passwordChangedAt?: Date;
  },
): Promise<TUserAccount> {
  return toAccount(
    await tx.user.update({
      where: { id: current.id, version: current.version },
      data: { ...data, version: { increment: 1 } },
      select: ACCOUNT_SELECT,
    }),
  );
}

/** Ends every session of the user (disable, password reset or change). Returns how many ended. */
export async function deleteUserSessions(tx: Db, userId: string, exceptSessionId?: string): Promise<number> {
  const result = await tx.session.deleteMany({
    where: { userId, ...(exceptSessionId === undefined ? {} : { id: { not: exceptSessionId } }) },
  });
  return result.count;
}

export async function findPasswordHash(db: Db, userId: string): Promise<string | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return row?.passwordHash ?? null;
}
