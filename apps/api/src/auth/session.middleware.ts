// Attaches the caller's session (or null) to res.locals.auth before any route runs. Session rows come through a
// short-lived cache; a session-authenticated write clears it when it finishes, because writes are what end
// sessions or change what a session may do (sign-out, password change, disabling a user, a new role).
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { resolveSession, type SessionPolicy } from './auth.service.ts';
import { readCookies } from './cookies.ts';
import type { SessionCache } from './session.cache.ts';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionMiddleware(prisma: PrismaClient, policy: SessionPolicy, cache: SessionCache) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = readCookies(req).get(SESSION_COOKIE);
    if (token !== undefined && !READ_METHODS.has(req.method)) res.on('finish', () => cache.clear());
    res.locals.auth =
      token === undefined ? null : await resolveSession({ prisma, policy, token, now: new Date(), cache });
    next();
  };
}
