// /shift-patterns and /planned-downtime: the site shift calendars and scheduled planned downtime.
import {
  listOf,
  ZPlannedDowntime,
  ZPlannedDowntimeCreateRequest,
  ZPlannedDowntimeListQuery,
  ZPlannedDowntimeUpdateRequest,
  ZShiftPattern,
  ZShiftPatternCreateRequest,
  ZShiftPatternListQuery,
  ZShiftPatternUpdateRequest,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { changeBy } from '../audit/audit.service.ts';
import { ifMatchVersion, withVersionEtag } from '../http/precondition.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import {
  createPlannedDowntime,
  deletePlannedDowntime,
  listPlannedDowntime,
  updatePlannedDowntime,
} from './planned-downtime.service.ts';
import {
  createShiftPattern,
  deleteShiftPattern,
  getShiftPattern,
  listShiftPatterns,
  updateShiftPattern,
} from './shift-pattern.service.ts';

export function calendarRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['calendar'];
  return [
    defineRoute({
      method: 'get',
      path: '/shift-patterns',
      access: 'VIEWER',
      summary: 'List shift patterns (optionally of one site) with their shifts and breaks.',
      tags,
      schemas: { query: ZShiftPatternListQuery, response: listOf(ZShiftPattern) },
      handler: ({ query }) => listShiftPatterns({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/shift-patterns',
      access: 'ADMIN',
      summary: 'Create a shift pattern of a site with its shifts and breaks; overlapping shifts are rejected.',
      tags,
      schemas: { body: ZShiftPatternCreateRequest, response: ZShiftPattern },
      successStatus: 201,
      async handler({ body, auth, res }) {
        return withVersionEtag(
          res,
          await createShiftPattern({
            prisma,
            ...changeBy(auth, res),
            body,
          }),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/shift-patterns/:id',
      access: 'VIEWER',
      summary: 'One shift pattern with its shifts and breaks (ETag = version).',
      tags,
      schemas: { params: ZUuidParams, response: ZShiftPattern },
      async handler({ params, res }) {
        return withVersionEtag(res, await getShiftPattern({ prisma, id: params.id }));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/shift-patterns/:id',
      access: 'ADMIN',
      summary: 'Update a shift pattern; `shifts` replaces all its shifts and breaks at once. Honours If-Match.',
      tags,
      schemas: { params: ZUuidParams, body: ZShiftPatternUpdateRequest, response: ZShiftPattern },
      async handler({ params, body, auth, req, res }) {
        return withVersionEtag(
          res,
          await updateShiftPattern({
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
      path: '/shift-patterns/:id',
      access: 'ADMIN',
      summary: 'Delete a shift pattern no line uses (409 naming the lines otherwise). Honours If-Match.',
      tags,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      async handler({ params, auth, req, res }) {
        await deleteShiftPattern({
          prisma,
          ...changeBy(auth, res),
          id: params.id,
          expectedVersion: ifMatchVersion(req),
        });
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/planned-downtime',
      access: 'VIEWER',
      summary: 'List scheduled planned downtime overlapping [from, to), optionally of one line or machine.',
      tags,
      schemas: { query: ZPlannedDowntimeListQuery, response: listOf(ZPlannedDowntime) },
      handler: ({ query }) => listPlannedDowntime({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/planned-downtime',
      access: 'ADMIN',
      summary: 'Schedule planned downtime for a line or a machine (exactly one), with an optional PLANNED reason.',
      tags,
      schemas: { body: ZPlannedDowntimeCreateRequest, response: ZPlannedDowntime },
      successStatus: 201,
      handler: ({ body, auth, res }) => createPlannedDowntime({ prisma, ...changeBy(auth, res), body }),
    }),
    defineRoute({
      method: 'patch',
      path: '/planned-downtime/:id',
      access: 'ADMIN',
      summary: 'Change scheduled planned downtime.',
      tags,
      schemas: { params: ZUuidParams, body: ZPlannedDowntimeUpdateRequest, response: ZPlannedDowntime },
      handler: ({ params, body, auth, res }) =>
        updatePlannedDowntime({
          prisma,
          ...changeBy(auth, res),
          id: params.id,
          body,
        }),
    }),
    defineRoute({
      method: 'delete',
      path: '/planned-downtime/:id',
      access: 'ADMIN',
      summary: 'Remove scheduled planned downtime.',
      tags,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      async handler({ params, auth, res }) {
        await deletePlannedDowntime({ prisma, ...changeBy(auth, res), id: params.id });
        return undefined;
      },
    }),
  ];
}
