// CSRF protection for cookie-authenticated writes: the double-submit token (OWASP CSRF Prevention
// Cheat Sheet, "Signed Double-Submit Cookie" variant bound to the server-side session). The token
// lives in the session row; the SPA echoes the readable takt_csrf cookie in the x-csrf-token header.
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { CSRF_HEADER } from '@takt/contracts';
import { AppError } from '../http/app-error.ts';
import type { AuthContext } from './auth-context.ts';

export function assertCsrf(req: Request, auth: AuthContext): void {
  const sent = req.get(CSRF_HEADER) ?? '';
  const expected = Buffer.from(auth.csrfToken);
  const actual = Buffer.from(sent);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AppError('FORBIDDEN', 'CSRF token missing or invalid', {
      detail: `Send the value of the takt_csrf cookie in the ${CSRF_HEADER} header.`,
    });
  }
}
