// Attaches the caller's session (or null) to res.locals.auth before any route runs.
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { resolveSession, type SessionPolicy } from './auth.service.ts';
import { readCookies } from './cookies.ts';

export function sessionMiddleware(prisma: PrismaClient, policy: SessionPolicy) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = readCookies(req).get(SESSION_COOKIE);
    res.locals.auth = token === undefined ? null : await resolveSession({ prisma, policy, token, now: new Date() });
    next();
  };
}
