// /data-sources: OT connections (CRUD template) and their signal mappings.
import {
  ZDataSource,
  ZDataSourceCreateRequest,
  ZDataSourceListQuery,
  ZDataSourceUpdateRequest,
  ZSignalMappingList,
  ZSignalMappingsReplaceRequest,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { crudRoutes } from '../crud/resource.routes.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { dataSourceResource, getMappings, listDataSources, replaceMappings } from './data-source.service.ts';

export function dataSourceRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['data-sources'];
  return [
    ...crudRoutes({
      prisma,
      resource: dataSourceResource,
      basePath: '/data-sources',
      tags,
      access: { read: 'VIEWER', write: 'ADMIN' },
      isVersioned: true,
      summaries: {
        list: 'List OT data sources.',
        create: 'Create an OT data source; `config` is validated for its `kind`.',
        get: 'One OT data source (ETag = version).',
        update: 'Update an OT data source; a new `config` replaces the old one. Honours If-Match.',
        delete: 'Delete an OT data source with its mappings. Honours If-Match.',
      },
      schemas: {
        item: ZDataSource,
        create: ZDataSourceCreateRequest,
        update: ZDataSourceUpdateRequest,
        listQuery: ZDataSourceListQuery,
      },
      list: listDataSources,
    }),
    defineRoute({
      method: 'get',
      path: '/data-sources/:id/mappings',
      access: 'VIEWER',
      summary: 'The signal mappings of a data source (ETag = the source version).',
      tags,
      schemas: { params: ZUuidParams, response: ZSignalMappingList },
      etag: 'version',
      handler: ({ params }) => getMappings({ prisma, id: params.id }),
    }),
    defineRoute({
      method: 'put',
      path: '/data-sources/:id/mappings',
      access: 'ADMIN',
      summary: 'Replace all signal mappings of a data source at once. Honours If-Match (source version).',
      tags,
      schemas: { params: ZUuidParams, body: ZSignalMappingsReplaceRequest, response: ZSignalMappingList },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        replaceMappings({ prisma, change, id: params.id, mappings: body.mappings, expectedVersion }),
    }),
  ];
}
