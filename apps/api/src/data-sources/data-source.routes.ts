// /data-sources: OT connections and their signal mappings.
import {
  listOf,
  ZDataSource,
  ZDataSourceCreateRequest,
  ZDataSourceUpdateRequest,
  ZDataSourceListQuery,
  ZSignalMappingList,
  ZSignalMappingsReplaceRequest,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { changeBy } from '../audit/audit.service.ts';
import { ifMatchVersion, setEtag, withVersionEtag } from '../http/precondition.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import {
  createDataSource,
  deleteDataSource,
  getDataSource,
  getMappings,
  listDataSources,
  replaceMappings,
  updateDataSource,
} from './data-source.service.ts';

export function dataSourceRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['data-sources'];
  return [
    defineRoute({
      method: 'get',
      path: '/data-sources',
      access: 'VIEWER',
      summary: 'List OT data sources.',
      tags,
      schemas: { query: ZDataSourceListQuery, response: listOf(ZDataSource) },
      handler: ({ query }) => listDataSources({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/data-sources',
      access: 'ADMIN',
      summary: 'Create an OT data source; `config` is validated for its `kind`.',
      tags,
      schemas: { body: ZDataSourceCreateRequest, response: ZDataSource },
      successStatus: 201,
      async handler({ body, auth, res }) {
        return withVersionEtag(
          res,
          await createDataSource({
            prisma,
            ...changeBy(auth, res),
            body,
          }),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/data-sources/:id',
      access: 'VIEWER',
      summary: 'One OT data source (ETag = version).',
      tags,
      schemas: { params: ZUuidParams, response: ZDataSource },
      async handler({ params, res }) {
        return withVersionEtag(res, await getDataSource({ prisma, id: params.id }));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/data-sources/:id',
      access: 'ADMIN',
      summary: 'Update an OT data source; a new `config` replaces the old one. Honours If-Match.',
      tags,
      schemas: { params: ZUuidParams, body: ZDataSourceUpdateRequest, response: ZDataSource },
      async handler({ params, body, auth, req, res }) {
        return withVersionEtag(
          res,
          await updateDataSource({
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
      path: '/data-sources/:id',
      access: 'ADMIN',
      summary: 'Delete an OT data source with its mappings. Honours If-Match.',
      tags,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      async handler({ params, auth, req, res }) {
        await deleteDataSource({
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
      path: '/data-sources/:id/mappings',
      access: 'VIEWER',
      summary: 'The signal mappings of a data source (ETag = the source version).',
      tags,
      schemas: { params: ZUuidParams, response: ZSignalMappingList },
      async handler({ params, res }) {
        const list = await getMappings({ prisma, id: params.id });
        setEtag(res, list.dataSourceVersion);
        return list;
      },
    }),
    defineRoute({
      method: 'put',
      path: '/data-sources/:id/mappings',
      access: 'ADMIN',
      summary: 'Replace all signal mappings of a data source at once. Honours If-Match (source version).',
      tags,
      schemas: { params: ZUuidParams, body: ZSignalMappingsReplaceRequest, response: ZSignalMappingList },
      async handler({ params, body, auth, req, res }) {
        const list = await replaceMappings({
          prisma,
          ...changeBy(auth, res),
          id: params.id,
          mappings: body.mappings,
          expectedVersion: ifMatchVersion(req),
        });
        setEtag(res, list.dataSourceVersion);
        return list;
      },
    }),
  ];
}
