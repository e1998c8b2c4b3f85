// The routes of an administered resource, built from its description (crud/resource.service.ts): list, create, get,
// update (PATCH), delete, archive and unarchive — each mounted only when the resource names its summary, with the
// same paths, statuses, roles, If-Match and ETag rules for every resource. Reads need `access.read`, writes
// `access.write`; on a versioned resource every single-item answer carries its version as ETag and every write
// honours If-Match; a created item that can be read is answered with its Location (RFC 9110 §15.3.2).
import { listOf, ZUuidParams, type TRole } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { z } from 'zod';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import {
  createResource,
  deleteResource,
  getResource,
  setResourceArchived,
  updateResource,
  type Resource,
  type ResourceRow,
} from './resource.service.ts';

/** The OpenAPI summary of each operation the resource offers; an operation without one is not mounted. */
export type CrudSummaries = Partial<
  Record<'list' | 'create' | 'get' | 'update' | 'delete' | 'archive' | 'unarchive', string>
>;

export type CrudRoutesOptions<TRow extends ResourceRow, TDto extends { id: string }, TCreate, TUpdate, TListQuery> = {
  prisma: PrismaClient;
  resource: Resource<TRow, TDto, TCreate, TUpdate>;
  /** `/sites` */
  basePath: string;
  tags: string[];
  access: { read: TRole; write: TRole };
  /** Versioned resources send ETags and honour If-Match; the others do neither. */
  isVersioned: boolean;
  summaries: CrudSummaries;
  schemas: {
    item: z.ZodType<TDto>;
    create?: z.ZodType<TCreate>;
    update?: z.ZodType<TUpdate>;
    listQuery?: z.ZodType<TListQuery>;
    /** Default: a page of items (`listOf(item)`). */
    listResponse?: z.ZodType;
  };
  list?(options: { prisma: PrismaClient; query: TListQuery }): Promise<unknown>;
};

/** The routes of `options.resource`, one per summarised operation. */
export function crudRoutes<TRow extends ResourceRow, TDto extends { id: string }, TCreate, TUpdate, TListQuery>(
  options: CrudRoutesOptions<TRow, TDto, TCreate, TUpdate, TListQuery>,
): RouteDefinition[] {
  const { prisma, resource, basePath, tags, access, summaries, schemas } = options;
  const precondition = options.isVersioned ? ('if-match' as const) : undefined;
  const routes: RouteDefinition[] = [];
  const { list } = options;
  if (summaries.list !== undefined && list !== undefined && schemas.listQuery !== undefined) {
    routes.push(
      defineRoute({
        method: 'get',
        path: basePath,
        access: access.read,
        summary: summaries.list,
        tags,
        schemas: { query: schemas.listQuery, response: schemas.listResponse ?? listOf(schemas.item) },
        handler: ({ query }) => list({ prisma, query }),
      }),
    );
  }
  const createSchema = schemas.create;
  if (summaries.create !== undefined && createSchema !== undefined) {
    routes.push(
      defineRoute({
        method: 'post',
        path: basePath,
        access: access.write,
        summary: summaries.create,
        tags,
        schemas: { body: createSchema, response: schemas.item },
        successStatus: 201,
        etag: 'version',
        async handler({ body, change, res }) {
          const created = await createResource(resource, { prisma, change, input: body });
          if (summaries.get !== undefined) res.location(`/api/v1${basePath}/${created.item.id}`);
          return created;
        },
      }),
    );
  }
  if (summaries.get !== undefined) {
    routes.push(
      defineRoute({
        method: 'get',
        path: `${basePath}/:id`,
        access: access.read,
        summary: summaries.get,
        tags,
        schemas: { params: ZUuidParams, response: schemas.item },
        etag: 'version',
        handler: ({ params }) => getResource(resource, prisma, params.id),
      }),
    );
  }
  const updateSchema = schemas.update;
  if (summaries.update !== undefined && updateSchema !== undefined) {
    routes.push(
      defineRoute({
        method: 'patch',
        path: `${basePath}/:id`,
        access: access.write,
        summary: summaries.update,
        tags,
        schemas: { params: ZUuidParams, body: updateSchema, response: schemas.item },
        precondition,
        etag: 'version',
        handler: ({ params, body, change, expectedVersion }) =>
          updateResource(resource, { prisma, change, id: params.id, input: body, expectedVersion }),
      }),
    );
  }
  if (summaries.delete !== undefined) {
    routes.push(
      defineRoute({
        method: 'delete',
        path: `${basePath}/:id`,
        access: access.write,
        summary: summaries.delete,
        tags,
        schemas: { params: ZUuidParams },
        successStatus: 204,
        precondition,
        async handler({ params, change, expectedVersion }) {
          await deleteResource(resource, { prisma, change, id: params.id, expectedVersion });
          return undefined;
        },
      }),
    );
  }
  for (const [verb, summary, isArchived] of [
    ['archive', summaries.archive, true],
    ['unarchive', summaries.unarchive, false],
  ] as const) {
    if (summary === undefined) continue;
    routes.push(
      defineRoute({
        method: 'post',
        path: `${basePath}/:id/${verb}`,
        access: access.write,
        summary,
        tags,
        schemas: { params: ZUuidParams, response: schemas.item },
        precondition,
        etag: 'version',
        handler: ({ params, change, expectedVersion }) =>
          setResourceArchived(resource, { prisma, change, id: params.id, isArchived, expectedVersion }),
      }),
    );
  }
  return routes;
}
