// Sign-in, sign-out and session resolution (OWASP Session Management Cheat Sheet: random tokens,
// stored hashed, rotated on login, idle and absolute expiry).
import { generateSecret, hashPassword, hashSecret, verifyPassword } from '@takt/auth';
import type { PrismaClient } from '@takt/db';
import type { TUser } from '@takt/contracts';
import { AppError } from '../http/app-error.ts';
import type { AuthContext } from './auth-context.ts';
import { inTransaction } from '../db/transaction.ts';
import type { LoginRateLimiter } from './login-rate-limiter.ts';
import type { SessionCache } from './session.cache.ts';
import { auditChange, type ChangeContext } from '../audit/audit.service.ts';
import {
  deleteSession,
  findPasswordHashById,
  findSessionByTokenHash,
  findUserByUsername,
  replaceSession,
  setPasswordAndReplaceSessions,
  touchSession,
} from './session.repository.ts';

export type SessionPolicy = { idleTimeoutMs: number; absoluteTimeoutMs: number };

/** Failed sign-ins are counted per account (guessing one password) and per IP (spraying many). */
export type LoginLimiters = { perAccount: LoginRateLimiter; perIp: LoginRateLimiter };

/** How often a session's last-seen time is written: idle expiry needs no finer grain. */
const TOUCH_INTERVAL_MS = 60_000;

let dummyHash: Promise<string> | undefined;
/** Verifying against a throwaway hash when the user does not exist keeps timing uniform. */
function hashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(generateSecret());
  return dummyHash;
}

export type LoginOptions = {
  prisma: PrismaClient;
  limiters: LoginLimiters;
  policy: SessionPolicy;
  username: string;
  password: string;
  ip: string;
  userAgent: string | null;
  /** Session token the client still holds, ended by the rotation. */
  previousToken: string | null;
  now: Date;
};

export type LoginResult = { user: TUser; token: string; csrfToken: string };

export async function login(options: LoginOptions): Promise<LoginResult> {
  const { prisma, limiters, now } = options;
  const accountKey = options.username.toLowerCase();
  const nowMs = now.getTime();
  const retryAfterMs = Math.max(
    limiters.perAccount.retryAfterMs(accountKey, nowMs),
    limiters.perIp.retryAfterMs(options.ip, nowMs),
  );
  if (retryAfterMs > 0) {
    const retryAfterSec = Math.ceil(retryAfterMs / 1000);
    throw new AppError('TOO_MANY_REQUESTS', 'Too many sign-in attempts', {
      detail: `Too many failed sign-in attempts. Try again in ${retryAfterSec} s.`,
      headers: { 'Retry-After': String(retryAfterSec) },
    });
  }

  const found = await findUserByUsername(prisma, options.username);
  const isPasswordValid = await verifyPassword(found?.passwordHash ?? (await hashForUnknownUser()), options.password);
  if (found === null || !isPasswordValid || found.isDisabled) {
    limiters.perAccount.recordFailure(accountKey, nowMs);
    limiters.perIp.recordFailure(options.ip, nowMs);
    // One message for all three cases, so that the answer does not reveal which usernames exist.
    throw new AppError('UNAUTHENTICATED', 'Sign-in failed', { detail: 'Invalid username or password.' });
  }
  limiters.perAccount.reset(accountKey);

  const token = generateSecret();
  const csrfToken = generateSecret();
  await replaceSession(
    prisma,
    {
      tokenHash: hashSecret(token),
      userId: found.id,
      csrfToken,
      expiresAt: new Date(now.getTime() + options.policy.absoluteTimeoutMs),
      ip: options.ip,
      userAgent: options.userAgent,
    },
    options.previousToken === null ? null : hashSecret(options.previousToken),
  );
  const { id, username, displayName, role } = found;
  return { user: { id, username, displayName, role }, token, csrfToken };
}

export async function logout(options: { prisma: PrismaClient; sessionId: string }): Promise<void> {
  await deleteSession(options.prisma, options.sessionId);
}

export type ResolveSessionOptions = {
  prisma: PrismaClient;
  policy: SessionPolicy;
  token: string;
  now: Date;
  /** Short-lived cache of session rows (see session.cache.ts); none: every call reads the database. */
  cache?: SessionCache;
};

/** The caller behind a session token, or null when it is unknown, expired, idle too long or disabled. */
export async function resolveSession(options: ResolveSessionOptions): Promise<AuthContext | null> {
  const { prisma, policy, now, cache } = options;
  const tokenHash = hashSecret(options.token);
  const load = () => findSessionByTokenHash(prisma, tokenHash);
  const session = await (cache === undefined ? load() : cache.load(tokenHash, now.getTime(), load));
  if (session === null) return null;
  const isExpired = session.expiresAt <= now || session.lastSeenAt.getTime() + policy.idleTimeoutMs <= now.getTime();
  if (isExpired || session.user.disabledAt !== null) {
    cache?.delete(tokenHash);
    await deleteSession(prisma, session.id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(prisma, session.id, now);
    cache?.touch(tokenHash, now);
  }
  const { disabledAt: _disabledAt, ...user } = session.user;
  return { user, sessionId: session.id, csrfToken: session.csrfToken };
}

export type ChangePasswordOptions = {
  prisma: PrismaClient;
  /** Failed attempts per user: a stolen session must not become an oracle for the password. */
  limiter: LoginRateLimiter;
  policy: SessionPolicy;
  /** The signed-in caller, changing its own password. */
  change: ChangeContext;
  currentPassword: string;
  newPassword: string;
  ip: string;
  userAgent: string | null;
  now: Date;
};

/**
 * Changes the caller's own password after checking the current one, and rotates the session: every
 * session of the user ends (other devices sign in again) and the caller gets a fresh one.
 */
export async function changePassword(options: ChangePasswordOptions): Promise<{ token: string; csrfToken: string }> {
  const { prisma, limiter, change, now } = options;
  const userId = change.actor.userId;
  const nowMs = now.getTime();
  const retryAfterMs = limiter.retryAfterMs(userId, nowMs);
  if (retryAfterMs > 0) {
    const retryAfterSec = Math.ceil(retryAfterMs / 1000);
    throw new AppError('TOO_MANY_REQUESTS', 'Too many attempts', {
      detail: `Too many wrong current passwords. Try again in ${retryAfterSec} s.`,
      headers: { 'Retry-After': String(retryAfterSec) },
    });
  }
  const storedHash = await findPasswordHashById(prisma, userId);
  if (storedHash === null || !(await verifyPassword(storedHash, options.currentPassword))) {
    limiter.recordFailure(userId, nowMs);
    throw new AppError('BAD_REQUEST', 'Current password is wrong', {
      detail: 'The current password does not match; the password was not changed.',
      errors: [{ path: 'body.currentPassword', message: 'Does not match the current password' }],
    });
  }
  limiter.reset(userId);
  const passwordHash = await hashPassword(options.newPassword);
  const token = generateSecret();
  const csrfToken = generateSecret();
  await inTransaction(prisma, async (tx) => {
    await setPasswordAndReplaceSessions(tx, userId, passwordHash, now, {
      tokenHash: hashSecret(token),
      userId,
      csrfToken,
      expiresAt: new Date(nowMs + options.policy.absoluteTimeoutMs),
      ip: options.ip,
      userAgent: options.userAgent,
    });
    await auditChange(tx, change, { action: 'user.password-changed', entityType: 'user', entityId: userId });
  });
  return { token, csrfToken };
}
