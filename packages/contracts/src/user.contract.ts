// User administration (ADMIN) and the own-password change: the contract shared by the API and the web app.
// Password hashes never appear in any of these shapes.
import { z } from 'zod';
import { ZRole } from './roles.contract.ts';
import { cursorCodec, ZCursorText } from './cursor.contract.ts';
import { listOf, listQuery } from './list.contract.ts';

/** Minimum length of a new password (NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask for 12). */
export const PASSWORD_MIN_LENGTH = 12;

export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'Use at most 200 characters');

const ZUsername = z
  .string()
  .trim()
  .min(1, 'Username is required')
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash or underscore');
const ZDisplayName = z.string().trim().min(1, 'Display name is required').max(200);

/** A user as an admin sees it. */
export const ZUserAccount = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: ZRole,
  isDisabled: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  passwordChangedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type TUserAccount = z.infer<typeof ZUserAccount>;

export const ZUserAccountList = listOf(ZUserAccount);

/** Users are listed by username: a page continues after the last one. */
export const usernameCursor = cursorCodec(z.tuple([ZCursorText]));
export const ZUserListQuery = listQuery(usernameCursor);
export type TUserListQuery = z.infer<typeof ZUserListQuery>;
export type TUserAccountList = z.infer<typeof ZUserAccountList>;

export const ZCreateUserRequest = z
  .object({ username: ZUsername, displayName: ZDisplayName, role: ZRole, password: ZNewPassword })
  .meta({
    examples: [{ username: 'operator1', displayName: 'Olga Operator', role: 'VIEWER', password: 'correct-horse-42' }],
  });
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

export const ZUpdateUserRequest = z
  .object({ displayName: ZDisplayName.optional(), role: ZRole.optional() })
  .refine((body) => body.displayName !== undefined || body.role !== undefined, 'Change displayName or role')
  .meta({ examples: [{ displayName: 'Olga Operator', role: 'SUPERVISOR' }] });
export type TUpdateUserRequest = z.infer<typeof ZUpdateUserRequest>;

export const ZResetPasswordRequest = z
  .object({ password: ZNewPassword })
  .meta({ examples: [{ password: 'new-initial-pass-7' }] });
export type TResetPasswordRequest = z.infer<typeof ZResetPasswordRequest>;

export const ZChangePasswordRequest = z
  .object({ currentPassword: z.string().min(1, 'Current password is required').max(200), newPassword: ZNewPassword })
  .refine((body) => body.newPassword !== body.currentPassword, {
    message: 'Choose a password different from the current one',
    path: ['newPassword'],
  })
  .meta({ examples: [{ currentPassword: 'my-old-password-1', newPassword: 'my-new-password-2' }] });
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequest>;
