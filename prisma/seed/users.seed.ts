// Demo users, one per role. Their credentials are public on purpose (printed by `npm start`, listed in the
// README) so that anyone can log in to a fresh install; an admin should change or disable them.
import { hashPassword } from '@takt/auth';
import { Role, type PrismaClient } from '@takt/db';

export type DemoUser = { username: string; password: string; role: Role; displayName: string };

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', password: 'takt-admin', role: Role.ADMIN, displayName: 'Demo Administrator' },
  { username: 'supervisor', password: 'takt-supervisor', role: Role.SUPERVISOR, displayName: 'Demo Shift Supervisor' },
  { username: 'viewer', password: 'takt-viewer', role: Role.VIEWER, displayName: 'Demo Plant Manager' },
];

export type SeedUsersResult = { userIdByUsername: Map<string, string>; createdCount: number };

/**
 * Creates the demo users that do not exist yet. An existing user is left alone: never re-hashed, so a
 * password an admin changed stays changed.
 */
export async function seedUsers(prisma: PrismaClient): Promise<SeedUsersResult> {
  const usernames = DEMO_USERS.map((u) => u.username);
  const existing = await prisma.user.findMany({ where: { username: { in: usernames } }, select: { username: true } });
  const existingNames = new Set(existing.map((u) => u.username));
  const missing = DEMO_USERS.filter((u) => !existingNames.has(u.username));
  const rows = await Promise.all(
    missing.map(async (u) => ({
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      passwordHash: await hashPassword(u.password),
    })),
  );
  // skipDuplicates: a concurrent first start may have created the same user in the meantime.
  const created = rows.length === 0 ? { count: 0 } : await prisma.user.createMany({ data: rows, skipDuplicates: true });
  const users = await prisma.user.findMany({
    where: { username: { in: usernames } },
    select: { id: true, username: true },
  });
  return { userIdByUsername: new Map(users.map((u) => [u.username, u.id])), createdCount: created.count };
}
