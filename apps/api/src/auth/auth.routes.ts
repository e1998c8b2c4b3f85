// /auth: sign in, sign out, who am I.
import { SESSION_COOKIE, ZChangePasswordRequest, ZLoginRequest, ZSessionResponse } from '@takt/contracts';
import type { Request } from 'express';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { changePassword, login, logout, type SessionPolicy } from './auth.service.ts';
import { clearSessionCookies, readCookies, setSessionCookies } from './cookies.ts';
import { LoginRateLimiter, type RateLimitPolicy } from './login-rate-limiter.ts';

export type AuthRoutesOptions = {
  prisma: PrismaClient;
  policy: SessionPolicy;
  /** Secure cookies always; otherwise only on requests that arrived over TLS (req.secure, honouring TRUST_PROXY). */
  isCookieSecure: boolean;
  rateLimit?: LoginRateLimits;
};

export type LoginRateLimits = { perAccount: RateLimitPolicy; perIp: RateLimitPolicy };

const DEFAULT_RATE_LIMITS: LoginRateLimits = {
  perAccount: { maxFailures: 5, windowMs: 15 * 60_000 },
  perIp: { maxFailures: 50, windowMs: 15 * 60_000 },
};

export function authRoutes(options: AuthRoutesOptions): RouteDefinition[] {
  const { prisma, policy, isCookieSecure } = options;
  const limits = options.rateLimit ?? DEFAULT_RATE_LIMITS;
  const limiters = { perAccount: new LoginRateLimiter(limits.perAccount), perIp: new LoginRateLimiter(limits.perIp) };
  const passwordChangeLimiter = new LoginRateLimiter(limits.perAccount);
  const isSecure = (req: Request): boolean => isCookieSecure || req.secure;
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      access: 'public',
      summary: 'Sign in with username and password; starts a new session (cookie).',
      tags: ['auth'],
      schemas: { body: ZLoginRequest, response: ZSessionResponse },
      async handler({ body, req, res }) {
        const result = await login({
          prisma,
          limiters,
          policy,
          username: body.username,
          password: body.password,
          ip: req.ip ?? 'unknown',
          userAgent: req.get('user-agent') ?? null,
          previousToken: readCookies(req).get(SESSION_COOKIE) ?? null,
          now: new Date(),
        });
        setSessionCookies(res, result.token, result.csrfToken, {
          isSecure: isSecure(req),
          maxAgeMs: policy.absoluteTimeoutMs,
        });
        return { user: result.user };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      access: 'VIEWER',
      summary: 'End the current session.',
      tags: ['auth'],
      schemas: {},
      successStatus: 204,
      async handler({ auth, req, res }) {
        await logout({ prisma, sessionId: auth.sessionId });
        clearSessionCookies(res, isSecure(req));
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password',
      access: 'VIEWER',
      summary: "Change one's own password (at least 12 characters); ends the user's other sessions (rotation).",
      tags: ['auth'],
      schemas: { body: ZChangePasswordRequest },
      successStatus: 204,
      async handler({ change, body, req, res }) {
        const result = await changePassword({
          prisma,
          limiter: passwordChangeLimiter,
          policy,
          change,
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          ip: req.ip ?? 'unknown',
          userAgent: req.get('user-agent') ?? null,
          now: new Date(),
        });
        setSessionCookies(res, result.token, result.csrfToken, {
          isSecure: isSecure(req),
          maxAgeMs: policy.absoluteTimeoutMs,
        });
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/me',
      access: 'VIEWER',
      summary: 'The signed-in user.',
      tags: ['auth'],
      schemas: { response: ZSessionResponse },
      async handler({ auth }) {
        return { user: auth.user };
      },
    }),
  ];
}
