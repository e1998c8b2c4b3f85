// Where to go after signing in. The protected layout remembers the page in the router's navigation state
// (not the URL), and only same-origin paths are honoured so the login page cannot become an open redirect.
import { loginPath } from '../config/paths.ts';

/** The router state the protected layout passes to /login. */
export type TLoginRedirectState = { from: string };

/** The path to return to after sign-in, read from untrusted navigation state; "/" when absent or unsafe. */
export function redirectTargetFrom(state: unknown): string {
  if (typeof state !== 'object' || state === null || !('from' in state)) return '/';
  const { from } = state;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/\\')) return '/';
  if (from === loginPath || from.startsWith(`${loginPath}?`) || from.startsWith(`${loginPath}#`)) return '/';
  return from;
}
