// Data access for users and sessions: the only auth module that touches Prisma.
import type { PrismaClient } from '@takt/db';
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
