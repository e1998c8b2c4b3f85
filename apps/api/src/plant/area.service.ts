// Areas (ISA-95 area): a code unique within their site. Renaming the code rewrites the paths of the
// machines below in the same transaction.
import type { TArea, TAreaCreate, TAreaListQuery, TAreaUpdate } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { archivedReference, unknownReference, type Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import {
  assertNoBlockers,
  blocker,
  onCodeConflict,
  duplicateCode,
  isoOrNull,
  recomputePathsBelow,
  plantPage,
} from './plant-rules.service.ts';
import type { Page } from '../http/page.ts';
import * as repo from './plant.repository.ts';

export function toAreaDto(row: repo.AreaRow): TArea {
  return {
    id: row.id,
    siteId: row.siteId,
    code: row.code,
    name: row.name,
    archivedAt: isoOrNull(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

async function assertCodeFree(tx: Db, siteId: string, code: string): Promise<void> {
  if ((await repo.findAreaByCode(tx, siteId, code)) !== null) throw duplicateCode('Area', code, 'in this site');
}

export const areaResource: Resource<repo.AreaRow, TArea, TAreaCreate, TAreaUpdate> = {
  entityType: 'area',
  label: 'Area',
  toDto: toAreaDto,
  find: repo.findArea,
  async create(tx, input) {
    const site = await repo.findSite(tx, input.siteId);
    if (site === null) throw unknownReference('siteId', 'Site', input.siteId);
    if (site.archivedAt !== null) throw archivedReference('siteId', 'Site', site.code);
    await assertCodeFree(tx, site.id, input.code);
    return repo.createArea(tx, input);
  },
  async update(tx, current, input) {
    if (input.code !== undefined && input.code !== current.code) await assertCodeFree(tx, current.siteId, input.code);
    return repo.updateArea(tx, current, input);
  },
  afterUpdate: async (tx, before, after) =>
    before.code === after.code ? [] : recomputePathsBelow(tx, { areaId: after.id }),
  setArchivedAt: (tx, current, archivedAt) => repo.updateArea(tx, current, { archivedAt }),
  async assertDeletable(tx, row) {
    assertNoBlockers('Area', row, {
      children: blocker('lines', await repo.countAreaLines(tx, row.id), 'line'),
      history: [],
    });
  },
  remove: (tx, row) => repo.deleteArea(tx, row.id),
  onConflict: onCodeConflict,
};

/** A page of areas ordered by code, optionally of one site. */
export async function listAreas(options: { prisma: PrismaClient; query: TAreaListQuery }): Promise<Page<TArea>> {
  const { prisma, query } = options;
  return plantPage(
    query,
    (keyset) =>
      repo.listAreas(prisma, { siteId: query.siteId, includeArchived: query.includeArchived ?? false }, keyset),
    toAreaDto,
  );
}
