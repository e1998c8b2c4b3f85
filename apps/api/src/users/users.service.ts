// User administration use cases (ADMIN): list, create, change name/role, disable/enable, reset password.
// Every change is audited without secrets; the last enabled ADMIN can be neither disabled nor demoted.
import { hashPassword } from '@takt/auth';
import { Prisma, type PrismaClient } from '@takt/db';
import {
  usernameCursor,
  type TCreateUserRequest,
  type TRole,
  type TUpdateUserRequest,
  type TUserAccount,
  type TUserAccountList,
  type TUserListQuery,
} from '@takt/contracts';
import { recordAudit, userActor } from '../audit/audit.service.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import { AppError } from '../http/app-error.ts';
import { toPage } from '../http/page.ts';
import { assertVersion } from '../http/precondition.ts';
import {
  deleteUserSessions,
  findAccount,
  insertAccount,
  listAccounts,
  lockAccount,
  lockActiveAdminIds,
  updateAccount,
  usernameExists,
} from './users.repository.ts';

/** Who acts and under which request, for the audit log. */
export type Caller = { auth: AuthContext; requestId: string };

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'User not found', { detail: `No user has the id ${id}.` });
}

/** The audit view of an account: no password hash ever reaches the log. */
function auditView(account: TUserAccount): Prisma.InputJsonValue {
  const { id, username, displayName, role, isDisabled, version } = account;
  return { id, username, displayName, role, isDisabled, version };
}

/** One page of users, ordered by username. */
export async function listUsers(options: { prisma: PrismaClient; query: TUserListQuery }): Promise<TUserAccountList> {
  const { limit, cursor } = options.query;
  const rows = await listAccounts(options.prisma, limit + 1, cursor?.[0]);
  return toPage(
    rows,
    limit,
    (account) => account,
    (account) => usernameCursor.encode([account.username]),
  );
}

export async function getUser(options: { prisma: PrismaClient; id: string }): Promise<TUserAccount> {
  const account = await findAccount(options.prisma, options.id);
  if (account === null) throw notFound(options.id);
  return account;
}

function usernameTaken(username: string): AppError {
  return new AppError('CONFLICT', 'Username taken', {
    detail: `A user named "${username}" already exists.`,
    errors: [{ path: 'body.username', message: 'Already taken' }],
  });
}

export async function createUser(options: {
  prisma: PrismaClient;
  caller: Caller;
  input: TCreateUserRequest;
}): Promise<TUserAccount> {
  const { prisma, caller, input } = options;
  if (await usernameExists(prisma, input.username)) throw usernameTaken(input.username);
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await insertAccount(tx, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
      });
      await recordAudit(tx, {
        actor: userActor(caller.auth),
        action: 'user.created',
        entityType: 'user',
        entityId: created.id,
        after: auditView(created),
        requestId: caller.requestId,
      });
      return created;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw usernameTaken(input.username);
    throw error;
  }
}

/** Throws 409 when taking `target` out of the enabled ADMINs would leave none. */
async function assertNotLastAdmin(tx: Prisma.TransactionClient, target: TUserAccount, change: string): Promise<void> {
  const adminIds = await lockActiveAdminIds(tx);
  if (adminIds.length === 1 && adminIds[0] === target.id) {
    throw new AppError('CONFLICT', 'Last administrator', {
      detail: `${target.username} is the last enabled ADMIN and cannot be ${change}: make another user ADMIN first.`,
    });
  }
}

type ChangeOptions = { prisma: PrismaClient; caller: Caller; id: string; expectedVersion?: number };

/** Runs one audited change of a user under a row lock. */
async function changeUser(
  options: ChangeOptions,
  action: string,
  apply: (tx: Prisma.TransactionClient, before: TUserAccount) => Promise<TUserAccount>,
): Promise<TUserAccount> {
  const { prisma, caller, id } = options;
  return prisma.$transaction(async (tx) => {
    const before = await lockAccount(tx, id);
    if (before === null) throw notFound(id);
    assertVersion(options.expectedVersion, before.version, 'user');
    const after = await apply(tx, before);
    // A no-op (disabling a disabled user) changes nothing, so there is nothing to audit.
    if (after === before) return after;
    await recordAudit(tx, {
      actor: userActor(caller.auth),
      action,
      entityType: 'user',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
      requestId: caller.requestId,
    });
    return after;
  });
}

export async function updateUser(options: ChangeOptions & { input: TUpdateUserRequest }): Promise<TUserAccount> {
  const { input } = options;
  return changeUser(options, 'user.updated', async (tx, before) => {
    const isDemotion = input.role !== undefined && before.role === 'ADMIN' && input.role !== 'ADMIN';
    if (isDemotion && !before.isDisabled) await assertNotLastAdmin(tx, before, 'demoted');
    const data: { displayName?: string; role?: TRole } = {};
    if (input.displayName !== undefined) data.displayName = input.displayName;
    if (input.role !== undefined) data.role = input.role;
    return updateAccount(tx, before.id, data);
  });
}

/** Disables the user and ends all of its sessions at once. Disabling a disabled user changes nothing. */
export async function disableUser(options: ChangeOptions): Promise<TUserAccount> {
  return changeUser(options, 'user.disabled', async (tx, before) => {
    if (before.isDisabled) return before;
    if (before.role === 'ADMIN') await assertNotLastAdmin(tx, before, 'disabled');
    const after = await updateAccount(tx, before.id, { disabledAt: new Date() });
    await deleteUserSessions(tx, before.id);
    return after;
  });
}

export async function enableUser(options: ChangeOptions): Promise<TUserAccount> {
  return changeUser(options, 'user.enabled', async (tx, before) =>
    before.isDisabled ? updateAccount(tx, before.id, { disabledAt: null }) : before,
  );
}

/** An admin sets a new password for the user; all of the user's sessions end. */
export async function resetUserPassword(options: ChangeOptions & { password: string }): Promise<TUserAccount> {
  const passwordHash = await hashPassword(options.password);
  return changeUser(options, 'user.password-reset', async (tx, before) => {
    const after = await updateAccount(tx, before.id, { passwordHash, passwordChangedAt: new Date() });
    await deleteUserSessions(tx, before.id);
    return after;
  });
}
