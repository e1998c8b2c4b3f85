// Sites (ISA-95 site): a globally unique code, an IANA time zone for its shifts, one enterprise.
// Renaming a site's code rewrites the path of every machine below it in the same transaction; changing its time
// zone moves every shift of its history, so it invalidates the KPI rollups of its machines.
import type { TSite, TSiteCreate, TSiteListQuery, TSiteUpdate } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { unknownReference, type Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { invalidateRollups } from '@takt/kpi-sql';
import { AppError } from '../http/app-error.ts';
import type { Page } from '../http/page.ts';
import {
  assertNoBlockers,
  blocker,
  onCodeConflict,
  duplicateCode,
  isoOrNull,
  recomputePathsBelow,
  plantPage,
} from './plant-rules.service.ts';
import * as repo from './plant.repository.ts';

export function toSiteDto(row: repo.SiteRow): TSite {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    code: row.code,
    name: row.name,
    timeZone: row.timeZone,
    archivedAt: isoOrNull(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** The given enterprise, else the only one (created on first use), else 400: there is a choice to make. */
async function resolveEnterpriseId(tx: Db, enterpriseId: string | undefined): Promise<string> {
  if (enterpriseId !== undefined) {
    if (!(await repo.enterpriseExists(tx, enterpriseId)))
      throw unknownReference('enterpriseId', 'Enterprise', enterpriseId);
    return enterpriseId;
  }
  const enterprises = await repo.listEnterpriseIds(tx);
  if (enterprises.length === 0) return repo.createDefaultEnterprise(tx);
  if (enterprises.length === 1 && enterprises[0] !== undefined) return enterprises[0].id;
  throw new AppError('BAD_REQUEST', 'Enterprise required', {
    detail: 'This installation has several enterprises: name the one the site belongs to.',
    errors: [{ path: 'body.enterpriseId', message: 'Required when there are several enterprises' }],
  });
}

async function assertCodeFree(tx: Db, code: string): Promise<void> {
  if ((await repo.findSiteByCode(tx, code)) !== null) throw duplicateCode('Site', code, 'by another site');
}

export const siteResource: Resource<repo.SiteRow, TSite, TSiteCreate, TSiteUpdate> = {
  entityType: 'site',
  label: 'Site',
  toDto: toSiteDto,
  find: repo.findSite,
  async create(tx, input) {
    await assertCodeFree(tx, input.code);
    const enterpriseId = await resolveEnterpriseId(tx, input.enterpriseId);
    return repo.createSite(tx, { enterpriseId, code: input.code, name: input.name, timeZone: input.timeZone });
  },
  async update(tx, current, input) {
    if (input.code !== undefined && input.code !== current.code) await assertCodeFree(tx, input.code);
    const row = await repo.updateSite(tx, current, input);
    if (row.timeZone !== current.timeZone) await invalidateRollups({ prisma: tx, changes: [{ siteIds: [row.id] }] });
    return row;
  },
  afterUpdate: async (tx, before, after) =>
    before.code === after.code ? [] : recomputePathsBelow(tx, { siteId: after.id }),
  setArchivedAt: (tx, current, archivedAt) => repo.updateSite(tx, current, { archivedAt }),
  async assertDeletable(tx, row) {
    const counts = await repo.countSiteDependents(tx, row.id);
    assertNoBlockers('Site', row, {
      children: [
        ...blocker('areas', counts.areas, 'area'),
        ...blocker('shiftPatterns', counts.shiftPatterns, 'shift pattern'),
      ],
      history: [],
    });
  },
  remove: (tx, row) => repo.deleteSite(tx, row.id),
  onConflict: onCodeConflict,
};

/** A page of sites ordered by code, archived ones only on request. */
export async function listSites(options: { prisma: PrismaClient; query: TSiteListQuery }): Promise<Page<TSite>> {
  const { prisma, query } = options;
  return plantPage(
    query,
    (keyset) => repo.listSites(prisma, { includeArchived: query.includeArchived ?? false }, keyset),
    toSiteDto,
  );
}
