// /downtime-reasons: the two-level reason tree (categories → reasons).
import {
  ZDowntimeReason,
  ZDowntimeReasonCreateRequest,
  ZDowntimeReasonTree,
  ZDowntimeReasonTreeQuery,
  ZDowntimeReasonUpdateRequest,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { changeBy } from '../audit/audit.service.ts';
import { ifMatchVersion, withVersionEtag } from '../http/precondition.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { archiveReason, createReason, deleteReason, getReasonTree, updateReason } from './reason.service.ts';

export function reasonRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['downtime-reasons'];
  return [
    defineRoute({
      method: 'get',
      path: '/downtime-reasons',
      access: 'VIEWER',
      summary: 'The downtime-reason tree: categories, each with its reasons.',
      tags,
      schemas: { query: ZDowntimeReasonTreeQuery, response: ZDowntimeReasonTree },
      handler: ({ query }) => getReasonTree({ prisma, includeArchived: query.includeArchived ?? false }),
    }),
    defineRoute({
      method: 'post',
      path: '/downtime-reasons',
      access: 'ADMIN',
      summary: "Create a category (no parent) or a reason under a category, with the category's kind.",
      tags,
      schemas: { body: ZDowntimeReasonCreateRequest, response: ZDowntimeReason },
      successStatus: 201,
      handler: ({ body, auth, res }) => createReason({ prisma, ...changeBy(auth, res), body }),
    }),
    defineRoute({
      method: 'patch',
      path: '/downtime-reasons/:id',
      access: 'ADMIN',
      summary: 'Change a category or reason under the tree rules. Honours If-Match.',
      tags,
      schemas: { params: ZUuidParams, body: ZDowntimeReasonUpdateRequest, response: ZDowntimeReason },
      async handler({ params, body, auth, req, res }) {
        return withVersionEtag(
          res,
          await updateReason({
            prisma,
            ...changeBy(auth, res),
            id: params.id,
            body,
            expectedVersion: ifMatchVersion(req),
          }),
        );
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/downtime-reasons/:id',
      access: 'ADMIN',
      summary: 'Delete an unused reason or empty category; 409 when in use (archive it instead).',
      tags,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      async handler({ params, auth, res }) {
        await deleteReason({ prisma, ...changeBy(auth, res), id: params.id });
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/downtime-reasons/:id/archive',
      access: 'ADMIN',
      summary: 'Archive a reason (a category with its reasons): kept for history, hidden from pickers.',
      tags,
      schemas: { params: ZUuidParams, response: ZDowntimeReason },
      handler: ({ params, auth, res }) =>
        archiveReason({
          prisma,
          ...changeBy(auth, res),
          id: params.id,
          now: new Date(),
        }),
    }),
  ];
}
