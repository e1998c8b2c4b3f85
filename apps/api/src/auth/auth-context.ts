// Who is calling: attached to `res.locals.auth` by the session middleware.
import type { TUser } from '@takt/contracts';
import type { IngestTokenContext } from '../ingest/ingest-token.middleware.ts';

export type AuthContext = {
  user: TUser;
  sessionId: string;
  csrfToken: string;
};

declare global {
  // Express types res.locals by declaration merging, which needs a namespace and an interface.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
    interface Locals {
      auth?: AuthContext | null;
      ingestToken?: IngestTokenContext | null;
      requestId: string;
    }
  }
}
