// Who is calling: attached to `res.locals.auth` by the session middleware.
import type { TUser } from '@takt/contracts';

export type AuthContext = {
  user: TUser;
  sessionId: string;
  csrfToken: string;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its locals by declaration merging
  namespace Express {
    interface Locals {
      auth?: AuthContext | null;
      requestId: string;
    }
  }
}
