// Ingest API token authentication: machine-to-machine credentials for POST /ingest/…, separate from user sessions.
// The token is shown once at creation; only its SHA-256 is stored (with a short prefix to tell tokens apart).
import type { NextFunction, Request, Response } from 'express';
import { generateSecret, hashSecret } from '@takt/auth';
import type { PrismaClient } from '@takt/db';
import { findIngestTokenByHash, touchIngestToken } from './ingest.repository.ts';

export const INGEST_TOKEN_PREFIX = 'takt_ing_';

export type IngestTokenContext = { tokenId: string; name: string };

/** A new token: the secret to show once, and what to store. */
export function newIngestToken(): { token: string; tokenHash: string; prefix: string } {
  const token = `${INGEST_TOKEN_PREFIX}${generateSecret()}`;
  return { token, tokenHash: hashSecret(token), prefix: token.slice(0, INGEST_TOKEN_PREFIX.length + 6) };
}

/** How often last-used time is written: per request would turn every ingest call into a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** Resolves `Authorization: Bearer takt_ing_…` to res.locals.ingestToken (null when absent or invalid). */
export function ingestTokenMiddleware(prisma: PrismaClient) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.locals.ingestToken = null;
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(takt_ing_[A-Za-z0-9_-]{20,100})$/.exec(header);
    if (match?.[1] !== undefined) {
      const row = await findIngestTokenByHash(prisma, hashSecret(match[1]));
      if (row !== null && row.revokedAt === null) {
        res.locals.ingestToken = { tokenId: row.id, name: row.name };
        const now = Date.now();
        if (row.lastUsedAt === null || now - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
          await touchIngestToken(prisma, row.id, new Date(now));
        }
      }
    }
    next();
  };
}
