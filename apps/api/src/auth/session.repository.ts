// Data access for users and sessions: the only auth module that touches Prisma.
import type { Prisma, PrismaClient } from '@takt/db';
import type { TUser } from '@takt/contracts';

const USER_SELECT = { id: true, username: true, displayName: true, role: true } as const;

export type UserWithSecret = TUser & { passwordHash: string; isDisabled: boolean };

export async function findUserByUsername(prisma: PrismaClient, username: string): Promise<UserWithSecret | null> {
  const row = await prisma.user.findUnique({
    where: { username },
    select: { ...USER_SELECT, passwordHash: true, disabledAt: true },
  });
  if (row === null) return null;
  const { disabledAt, ...user } = row;
  return { ...user, isDisabled: disabledAt !== null };
}

export type SessionRow = {
  id: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  user: TUser & { disabledAt: Date | null };
};

export async function findSessionByTokenHash(prisma: PrismaClient, tokenHash: string): Promise<SessionRow | null> {
  return prisma.session.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      csrfToken: true,
      lastSeenAt: true,
      expiresAt: true,
      user: { select: { ...USER_SELECT, disabledAt: true } },
    },
  });
}

export type NewSession = {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
};

/** Creates a session and, in the same transaction, ends the one it replaces (rotation on login). */
export async function replaceSession(
  prisma: PrismaClient,
  session: NewSession,
  replacedTokenHash: string | null,
): Promise<void> {
  await prisma.$transaction([
    ...(replacedTokenHash === null ? [] : [prisma.session.deleteMany({ where: { tokenHash: replacedTokenHash } })]),
    prisma.session.create({ data: session }),
  ]);
}

export async function deleteSession(prisma: PrismaClient, sessionId: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: sessionId } });
}

export async function touchSession(prisma: PrismaClient, sessionId: string, now: Date): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } });
}

export async function findPasswordHashById(prisma: PrismaClient, userId: string): Promise<string | null> {
  const row = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return row?.passwordHash ?? null;
}

/** Stores a new password hash and replaces every session of the user by `session` (rotation). */
export async function setPasswordAndReplaceSessions(
  tx: Prisma.TransactionClient,
  userId: string,
  passwordHash: string,
  now: Date,
  session: NewSession,
): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { passwordHash, passwordChangedAt: now, version: { increment: 1 } },
  });
  await tx.session.deleteMany({ where: { userId } });
  await tx.session.create({ data: session });
}
