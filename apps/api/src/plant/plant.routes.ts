// /sites, /areas, /lines, /machines, /products (+ ideal cycle times): the plant configuration. Reads for
// VIEWER, writes for ADMIN; every resource has the same seven routes of the CRUD template.
import {
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
import { crudRoutes, type CrudSummaries } from '../crud/resource.routes.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { areaResource, listAreas } from './area.service.ts';
import { lineResource, listLines } from './line.service.ts';
import { listMachines, machineResource } from './machine.service.ts';
import { getIdealCycleTimes, listProducts, productResource, replaceIdealCycleTimes } from './product.service.ts';
import { listSites, siteResource } from './site.service.ts';

export type PlantRoutesOptions = { prisma: PrismaClient };

/** The summaries of a plant resource's seven routes. */
function plantSummaries(noun: string): CrudSummaries {
  return {
    list: `List ${noun}s ordered by code (keyset pages; archived ones with includeArchived=true).`,
    create: `Create a ${noun}.`,
    get: `One ${noun}, with its version as ETag.`,
    update: `Change a ${noun}; honours If-Match (412 when stale) and bumps the version.`,
    delete: `Delete a ${noun} nothing depends on (409 names what does; archive items with history). Honours If-Match.`,
    archive: `Archive a ${noun}: hidden from lists, history kept. Honours If-Match.`,
    unarchive: `Bring an archived ${noun} back. Honours If-Match.`,
  };
}

const PLANT = { tags: ['plant'], access: { read: 'VIEWER', write: 'ADMIN' } as const, isVersioned: true };

/** Every route of the plant configuration. */
export function plantRoutes(options: PlantRoutesOptions): RouteDefinition[] {
  const { prisma } = options;
  return [
    ...crudRoutes({
      ...PLANT,
      prisma,
      resource: siteResource,
      basePath: '/sites',
      summaries: plantSummaries('site'),
      schemas: { item: ZSite, create: ZSiteCreate, update: ZSiteUpdate, listQuery: ZSiteListQuery },
      list: listSites,
    }),
    ...crudRoutes({
      ...PLANT,
      prisma,
      resource: areaResource,
      basePath: '/areas',
      summaries: plantSummaries('area'),
      schemas: { item: ZArea, create: ZAreaCreate, update: ZAreaUpdate, listQuery: ZAreaListQuery },
      list: listAreas,
    }),
    ...crudRoutes({
      ...PLANT,
      prisma,
      resource: lineResource,
      basePath: '/lines',
      summaries: plantSummaries('line'),
      schemas: { item: ZLine, create: ZLineCreate, update: ZLineUpdate, listQuery: ZLineListQuery },
      list: listLines,
    }),
    ...crudRoutes({
      ...PLANT,
      prisma,
      resource: machineResource,
      basePath: '/machines',
      summaries: plantSummaries('machine'),
      schemas: { item: ZMachine, create: ZMachineCreate, update: ZMachineUpdate, listQuery: ZMachineListQuery },
      list: listMachines,
    }),
    ...crudRoutes({
      ...PLANT,
      prisma,
      resource: productResource,
      basePath: '/products',
      summaries: plantSummaries('product'),
      schemas: { item: ZProduct, create: ZProductCreate, update: ZProductUpdate, listQuery: ZProductListQuery },
      list: listProducts,
    }),
    defineRoute({
      method: 'get',
      path: '/products/:id/ideal-cycle-times',
      access: 'VIEWER',
      summary: "A product's ideal cycle times per line or machine (ETag: the product's version).",
      tags: ['plant'],
      schemas: { params: ZUuidParams, response: ZIdealCycleTimes },
      etag: 'version',
      handler: ({ params }) => getIdealCycleTimes({ prisma, id: params.id }),
    }),
    defineRoute({
      method: 'put',
      path: '/products/:id/ideal-cycle-times',
      access: 'ADMIN',
      summary: "Replace a product's ideal cycle times (> 0 s per unit); honours If-Match on the product's version.",
      tags: ['plant'],
      schemas: { params: ZUuidParams, body: ZIdealCycleTimesPut, response: ZIdealCycleTimes },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        replaceIdealCycleTimes({ prisma, change, id: params.id, input: body, expectedVersion }),
    }),
  ];
}
