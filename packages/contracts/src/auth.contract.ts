// Login, logout and the current user: the session contract shared by the API and the web app.
import { z } from 'zod';
import { ZRole } from './roles.contract.ts';

export const ZLoginRequest = z
  .object({
    username: z.string().trim().min(1, 'Username is required').max(100),
    password: z.string().min(1, 'Password is required').max(200),
  })
  .meta({ examples: [{ username: 'supervisor', password: 'takt-supervisor' }] });
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: ZRole,
});
export type TUser = z.infer<typeof ZUser>;

export const ZSessionResponse = z.object({ user: ZUser }).meta({
  examples: [
    {
      user: {
        id: '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b',
        username: 'supervisor',
        displayName: 'Sam Supervisor',
        role: 'SUPERVISOR',
      },
    },
  ],
});
export type TSessionResponse = z.infer<typeof ZSessionResponse>;

/** Cookie names and the header the web app echoes the CSRF token in (double-submit cookie). */
export const SESSION_COOKIE = 'takt_session';
export const CSRF_COOKIE = 'takt_csrf';
export const CSRF_HEADER = 'x-csrf-token';
