// /sites, /areas, /lines, /machines, /products (+ ideal cycle times): the plant configuration. Reads for
// VIEWER, writes for ADMIN; every resource has the same seven routes, built by `resourceRoutes`.
import {
  listOf,
  ZArea,
  ZAreaCreate,
  ZAreaListQuery,
  ZAreaUpdate,
  ZIdealCycleTimes,
  ZIdealCycleTimesPut,
  ZLine,
  ZLineCreate,
  ZLineListQuery,
  ZLineUpdate,
  ZMachine,
  ZMachineCreate,
  ZMachineListQuery,
  ZMachineUpdate,
  ZProduct,
  ZProductCreate,
  ZProductListQuery,
  ZProductUpdate,
  ZSite,
  ZSiteCreate,
  ZSiteListQuery,
  ZSiteUpdate,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { Response } from 'express';
import type { z } from 'zod';
import type { AuthContext } from '../auth/auth-context.ts';
import type { Page } from '../http/page.ts';
import { ifMatchVersion, setEtag } from '../http/precondition.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { areaResource, listAreas } from './area.service.ts';
import { lineResource, listLines } from './line.service.ts';
import { listMachines, machineResource } from './machine.service.ts';
import {
  createResource,
  deleteResource,
  getResource,
  setResourceArchived,
  updateResource,
  type ChangeContext,
  type PlantResource,
} from './plant-resource.service.ts';
import { getIdealCycleTimes, listProducts, productResource, replaceIdealCycleTimes } from './product.service.ts';
import { listSites, siteResource } from './site.service.ts';

export type PlantRoutesOptions = { prisma: PrismaClient };

type ResourceRow = { id: string; code: string; version: number; archivedAt: Date | null };

type ResourceRoutesOptions = {
  prisma: PrismaClient;
  /** `/sites` */
  basePath: string;
  /** `site`, in summaries. */
  noun: string;
  schemas: { item: z.ZodType; create: z.ZodType; update: z.ZodType; listQuery: z.ZodType };
  // The route layer only hands parsed bodies through: the contract schemas above give them their type.
  resource: PlantResource<ResourceRow, unknown, unknown, unknown>;
  list(prisma: PrismaClient, query: unknown): Promise<Page<unknown>>;
};

function changeContext(prisma: PrismaClient, auth: AuthContext, res: Response): ChangeContext {
  return { prisma, auth, requestId: res.locals.requestId };
}

/** Sends the version as ETag and answers the item. */
function withEtag<T>(res: Response, result: { item: T; version: number }): T {
  setEtag(res, result.version);
  return result.item;
}

function resourceRoutes(options: ResourceRoutesOptions): RouteDefinition[] {
  const { prisma, basePath, noun, schemas, resource } = options;
  const tags = ['plant'];
  const archiveRoute = (isArchived: boolean) =>
    defineRoute({
      method: 'post',
      path: `${basePath}/:id/${isArchived ? 'archive' : 'unarchive'}`,
      access: 'ADMIN',
      summary: isArchived
        ? `Archive a ${noun}: hidden from lists, history kept. Honours If-Match.`
        : `Bring an archived ${noun} back. Honours If-Match.`,
      tags,
      schemas: { params: ZUuidParams, response: schemas.item },
      async handler({ params, auth, req, res }) {
        const result = await setResourceArchived(
          resource,
          changeContext(prisma, auth, res),
          params.id,
          isArchived,
          ifMatchVersion(req),
        );
        return withEtag(res, result);
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: basePath,
      access: 'VIEWER',
      summary: `List ${noun}s ordered by code (keyset pages; archived ones with includeArchived=true).`,
      tags,
      schemas: { query: schemas.listQuery, response: listOf(schemas.item) },
      handler: ({ query }) => options.list(prisma, query),
    }),
    defineRoute({
      method: 'post',
      path: basePath,
      access: 'ADMIN',
      summary: `Create a ${noun}.`,
      tags,
      schemas: { body: schemas.create, response: schemas.item },
      successStatus: 201,
      async handler({ body, auth, res }) {
        return withEtag(res, await createResource(resource, changeContext(prisma, auth, res), body));
      },
    }),
    defineRoute({
      method: 'get',
      path: `${basePath}/:id`,
      access: 'VIEWER',
      summary: `One ${noun}, with its version as ETag.`,
      tags,
      schemas: { params: ZUuidParams, response: schemas.item },
      async handler({ params, res }) {
        return withEtag(res, await getResource(resource, prisma, params.id));
      },
    }),
    defineRoute({
      method: 'patch',
      path: `${basePath}/:id`,
      access: 'ADMIN',
      summary: `Change a ${noun}; honours If-Match (412 when stale) and bumps the version.`,
      tags,
      schemas: { params: ZUuidParams, body: schemas.update, response: schemas.item },
      async handler({ params, body, auth, req, res }) {
        const result = await updateResource(
          resource,
          changeContext(prisma, auth, res),
          params.id,
          body,
          ifMatchVersion(req),
        );
        return withEtag(res, result);
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${basePath}/:id`,
      access: 'ADMIN',
      summary: `Delete a ${noun} nothing depends on (409 names what does; archive items with history). Honours If-Match.`,
      tags,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      async handler({ params, auth, req, res }) {
        await deleteResource(resource, changeContext(prisma, auth, res), params.id, ifMatchVersion(req));
        return undefined;
      },
    }),
    archiveRoute(true),
    archiveRoute(false),
  ];
}

/** Every route of the plant configuration. */
export function plantRoutes(options: PlantRoutesOptions): RouteDefinition[] {
  const { prisma } = options;
  return [
    ...resourceRoutes({
      prisma,
      basePath: '/sites',
      noun: 'site',
      schemas: { item: ZSite, create: ZSiteCreate, update: ZSiteUpdate, listQuery: ZSiteListQuery },
      resource: siteResource,
      list: listSites,
    }),
    ...resourceRoutes({
      prisma,
      basePath: '/areas',
      noun: 'area',
      schemas: { item: ZArea, create: ZAreaCreate, update: ZAreaUpdate, listQuery: ZAreaListQuery },
      resource: areaResource,
      list: listAreas,
    }),
    ...resourceRoutes({
      prisma,
      basePath: '/lines',
      noun: 'line',
      schemas: { item: ZLine, create: ZLineCreate, update: ZLineUpdate, listQuery: ZLineListQuery },
      resource: lineResource,
      list: listLines,
    }),
    ...resourceRoutes({
      prisma,
      basePath: '/machines',
      noun: 'machine',
      schemas: { item: ZMachine, create: ZMachineCreate, update: ZMachineUpdate, listQuery: ZMachineListQuery },
      resource: machineResource,
      list: listMachines,
    }),
    ...resourceRoutes({
      prisma,
      basePath: '/products',
      noun: 'product',
      schemas: { item: ZProduct, create: ZProductCreate, update: ZProductUpdate, listQuery: ZProductListQuery },
      resource: productResource,
      list: listProducts,
    }),
    defineRoute({
      method: 'get',
      path: '/products/:id/ideal-cycle-times',
      access: 'VIEWER',
      summary: "A product's ideal cycle times per line or machine (ETag: the product's version).",
      tags: ['plant'],
      schemas: { params: ZUuidParams, response: ZIdealCycleTimes },
      async handler({ params, res }) {
        return withEtag(res, await getIdealCycleTimes(prisma, params.id));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/products/:id/ideal-cycle-times',
      access: 'ADMIN',
      summary: "Replace a product's ideal cycle times (> 0 s per unit); honours If-Match on the product's version.",
      tags: ['plant'],
      schemas: { params: ZUuidParams, body: ZIdealCycleTimesPut, response: ZIdealCycleTimes },
      async handler({ params, body, auth, req, res }) {
        const result = await replaceIdealCycleTimes(
          changeContext(prisma, auth, res),
          params.id,
          body,
          ifMatchVersion(req),
        );
        return withEtag(res, result);
      },
    }),
  ];
}
