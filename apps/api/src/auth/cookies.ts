// Reading and writing the session and CSRF cookies (RFC 6265).
import type { Request, Response } from 'express';
import { CSRF_COOKIE, SESSION_COOKIE } from '@takt/contracts';

/** Parses the Cookie header; a malformed pair is skipped, never an error. */
export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (req.get('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 1) continue;
    const name = pair.slice(0, separator).trim();
    try {
      cookies.set(name, decodeURIComponent(pair.slice(separator + 1).trim()));
    } catch {
      // A value that is not valid percent-encoding cannot be one of ours.
    }
  }
  return cookies;
}

export type CookiePolicy = { isSecure: boolean; maxAgeMs: number };

export function setSessionCookies(res: Response, token: string, csrfToken: string, policy: CookiePolicy): void {
  const common = { secure: policy.isSecure, sameSite: 'lax' as const, path: '/', maxAge: policy.maxAgeMs };
  res.cookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  // Readable by the SPA on purpose: it echoes it in the CSRF header.
  res.cookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(res: Response, isSecure: boolean): void {
  const common = { secure: isSecure, sameSite: 'lax' as const, path: '/' };
  res.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, common);
}
