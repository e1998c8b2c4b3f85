// User administration use cases (ADMIN): list, create, change name/role, disable/enable, reset password.
// Every change is audited without secrets; the last enabled ADMIN can be neither disabled nor demoted.
import { hashPassword } from '@takt/auth';
import type { PrismaClient } from '@takt/db';
import {
  usernameCursor,
  type TCreateUserRequest,
  type TRole,
  type TUpdateUserRequest,
  type TUserAccount,
  type TUserAccountList,
  type TUserListQuery,
} from '@takt/contracts';
import { auditChange } from '../audit/audit.service.ts';
import { auditView, changeResource, versioned, type ChangeOptions, type Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { toPage } from '../http/page.ts';
import type { Versioned } from '../http/precondition.ts';
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

function usernameTaken(username: string): AppError {
  return new AppError('CONFLICT', 'Username taken', {
    detail: `A user named "${username}" already exists.`,
    errors: [{ path: 'body.username', message: 'Already taken' }],
  });
}

/** Throws 409 when taking `target` out of the enabled ADMINs would leave none. */
async function assertNotLastAdmin(tx: Db, target: TUserAccount, change: string): Promise<void> {
  const adminIds = await lockActiveAdminIds(tx);
  if (adminIds.length === 1 && adminIds[0] === target.id) {
    throw new AppError('CONFLICT', 'Last administrator', {
      detail: `${target.username} is the last enabled ADMIN and cannot be ${change}: make another user ADMIN first.`,
    });
  }
}

/**
 * A user account, created with a hashed initial password; changes lock its row so that concurrent admin changes of
 * one user queue.
 */
export const userResource: Resource<TUserAccount, TUserAccount, TCreateUserRequest, TUpdateUserRequest> = {
  entityType: 'user',
  label: 'User',
  toDto: (account) => account,
  // The audit view of an account: no password hash ever reaches the log.
  toAudit: ({ id, username, displayName, role, isDisabled, version }) => ({
    id,
    username,
    displayName,
    role,
    isDisabled,
    version,
  }),
  find: findAccount,
  findForChange: lockAccount,
  async create(tx, { password, ...account }) {
    if (await usernameExists(tx, account.username)) throw usernameTaken(account.username);
    return insertAccount(tx, { ...account, passwordHash: await hashPassword(password) });
  },
  async update(tx, before, input) {
    const isDemotion = input.role !== undefined && before.role === 'ADMIN' && input.role !== 'ADMIN';
    if (isDemotion && !before.isDisabled) await assertNotLastAdmin(tx, before, 'demoted');
    const data: { displayName?: string; role?: TRole } = {};
    if (input.displayName !== undefined) data.displayName = input.displayName;
    if (input.role !== undefined) data.role = input.role;
    return updateAccount(tx, before, data);
  },
  onConflict: (conflict, input) =>
    conflict.kind === 'unique' && input !== undefined && 'username' in input
      ? usernameTaken(input.username)
      : undefined,
};

type UserChange = ChangeOptions & { id: string; expectedVersion: number | undefined };

/** One audited change of a user under its row lock; a change that changes nothing is not audited. */
async function changeUser(
  options: UserChange,
  verb: string,
  apply: (tx: Db, before: TUserAccount) => Promise<TUserAccount>,
): Promise<Versioned<TUserAccount>> {
  return changeResource(userResource, options, async (tx, before) => {
    const after = await apply(tx, before);
    if (after !== before) {
      await auditChange(tx, options.change, {
        action: `user.${verb}`,
        entityType: 'user',
        entityId: before.id,
        before: auditView(userResource, before),
        after: auditView(userResource, after),
      });
    }
    return versioned(userResource, after);
  });
}

/** Disables the user and ends all of its sessions at once. Disabling a disabled user changes nothing. */
export async function disableUser(options: UserChange): Promise<Versioned<TUserAccount>> {
  return changeUser(options, 'disabled', async (tx, before) => {
    if (before.isDisabled) return before;
    if (before.role === 'ADMIN') await assertNotLastAdmin(tx, before, 'disabled');
    const after = await updateAccount(tx, before, { disabledAt: new Date() });
    await deleteUserSessions(tx, before.id);
    return after;
  });
}

export async function enableUser(options: UserChange): Promise<Versioned<TUserAccount>> {
  return changeUser(options, 'enabled', async (tx, before) =>
    before.isDisabled ? updateAccount(tx, before, { disabledAt: null }) : before,
  );
}

/** An admin sets a new password for the user; all of the user's sessions end. */
export async function resetUserPassword(options: UserChange & { password: string }): Promise<Versioned<TUserAccount>> {
  const passwordHash = await hashPassword(options.password);
  return changeUser(options, 'password-reset', async (tx, before) => {
    const after = await updateAccount(tx, before, { passwordHash, passwordChangedAt: new Date() });
    await deleteUserSessions(tx, before.id);
    return after;
  });
}
