// Ingest API token use cases (ADMIN): list, create (the secret is returned once, only its SHA-256 is
// stored), revoke. Audited without the secret.
import type { PrismaClient } from '@takt/db';
import {
  instantOrderCursor,
  type TCreatedIngestToken,
  type TIngestToken,
  type TIngestTokenList,
  type TIngestTokenListQuery,
} from '@takt/contracts';
import { auditChange } from '../audit/audit.service.ts';
import type { ChangeOptions } from '../crud/resource.service.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { toPage } from '../http/page.ts';
import { newIngestToken } from '../ingest/ingest-token.middleware.ts';
import { insertToken, listTokens, lockToken, markRevoked } from './ingest-tokens.repository.ts';

function auditView(token: TIngestToken) {
  const { id, name, prefix, revokedAt } = token;
  return { id, name, prefix, revokedAt };
}

/** One page of tokens, newest first. */
export async function listIngestTokens(options: {
  prisma: PrismaClient;
  query: TIngestTokenListQuery;
}): Promise<TIngestTokenList> {
  const { limit, cursor } = options.query;
  const before = cursor === undefined ? undefined : { createdAt: cursor[0], id: cursor[1] };
  const rows = await listTokens(options.prisma, limit + 1, before);
  return toPage(
    rows,
    limit,
    (token) => token,
    (token) => instantOrderCursor.encode([new Date(token.createdAt), token.id]),
  );
}

/** Creates a token; the answer holds the secret, shown this once. */
export async function createIngestToken(options: ChangeOptions & { name: string }): Promise<TCreatedIngestToken> {
  const { change } = options;
  const secret = newIngestToken();
  const created = await inTransaction(options.prisma, async (tx) => {
    const row = await insertToken(tx, {
      name: options.name,
      tokenHash: secret.tokenHash,
      prefix: secret.prefix,
      createdById: change.actor.userId,
    });
    await auditChange(tx, change, {
      action: 'ingest-token.created',
      entityType: 'ingest-token',
      entityId: row.id,
      after: auditView(row),
    });
    return row;
  });
  return { ...created, token: secret.token };
}

/** Revokes the token: the next request with it answers 401. Revoking a revoked token changes nothing. */
export async function revokeIngestToken(options: ChangeOptions & { id: string }): Promise<TIngestToken> {
  const { id } = options;
  return inTransaction(options.prisma, async (tx) => {
    const before = await lockToken(tx, id);
    if (before === null)
      throw new AppError('NOT_FOUND', 'Ingest token not found', { detail: `No ingest token has the id ${id}.` });
    if (before.isRevoked) return before;
    const after = await markRevoked(tx, id, new Date());
    await auditChange(tx, options.change, {
      action: 'ingest-token.revoked',
      entityType: 'ingest-token',
      entityId: id,
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}
