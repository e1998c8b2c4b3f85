// /ingest-tokens: ingest API tokens for HTTP gateways (ADMIN). The secret appears only in the create answer.
import {
  ZCreateIngestTokenRequest,
  ZCreatedIngestToken,
  ZIngestToken,
  ZIngestTokenList,
  ZIngestTokenListQuery,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { createIngestToken, listIngestTokens, revokeIngestToken } from './ingest-tokens.service.ts';

export function ingestTokensRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['ingest-tokens'];
  return [
    defineRoute({
      method: 'get',
      path: '/ingest-tokens',
      access: 'ADMIN',
      summary: 'List ingest API tokens (newest first): name, prefix, created / last used / revoked — never the secret.',
      tags,
      schemas: { query: ZIngestTokenListQuery, response: ZIngestTokenList },
      handler: ({ query }) => listIngestTokens({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/ingest-tokens',
      access: 'ADMIN',
      summary: 'Create an ingest API token; the answer holds the secret, shown this once.',
      tags,
      schemas: { body: ZCreateIngestTokenRequest, response: ZCreatedIngestToken },
      successStatus: 201,
      async handler({ body, change, res }) {
        // The secret must not be cached anywhere on the way back.
        res.set('Cache-Control', 'no-store');
        return createIngestToken({ prisma, change, name: body.name });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/ingest-tokens/:id/revoke',
      access: 'ADMIN',
      summary: 'Revoke an ingest API token: requests with it answer 401 from now on.',
      tags,
      schemas: { params: ZUuidParams, response: ZIngestToken },
      handler: ({ params, change }) => revokeIngestToken({ prisma, change, id: params.id }),
    }),
  ];
}
