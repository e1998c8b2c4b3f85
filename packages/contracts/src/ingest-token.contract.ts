// Ingest API tokens (ADMIN): machine-to-machine credentials for POST /api/v1/ingest/…. The secret is
// returned once, by the create call; lists show only its prefix.
import { z } from 'zod';
import { instantOrderCursor, listOf, listQuery } from './list.contract.ts';

export const ZIngestToken = z.object({
  id: z.uuid(),
  name: z.string(),
  /** First characters of the token, to tell tokens apart. */
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: z.string().nullable().meta({ description: 'Username of the admin who created it.' }),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  isRevoked: z.boolean(),
});
export type TIngestToken = z.infer<typeof ZIngestToken>;

export const ZIngestTokenList = listOf(ZIngestToken);

/** Newest first: a page continues before the last token's creation and id. */
export const ZIngestTokenListQuery = listQuery(instantOrderCursor);
export type TIngestTokenListQuery = z.infer<typeof ZIngestTokenListQuery>;
export type TIngestTokenList = z.infer<typeof ZIngestTokenList>;

export const ZCreateIngestTokenRequest = z
  .object({ name: z.string().trim().min(1, 'Name is required').max(100) })
  .meta({ examples: [{ name: 'node-red line 2' }] });
export type TCreateIngestTokenRequest = z.infer<typeof ZCreateIngestTokenRequest>;

/** The created token with its secret: shown once, never retrievable again. */
export const ZCreatedIngestToken = ZIngestToken.extend({
  token: z.string().meta({ description: 'The secret (`takt_ing_…`); store it now, it is not shown again.' }),
});
export type TCreatedIngestToken = z.infer<typeof ZCreatedIngestToken>;
