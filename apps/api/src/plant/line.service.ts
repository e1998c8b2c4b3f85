// Lines: a code unique within their area and an optional shift pattern of the same site. Renaming the
// code rewrites the paths of the line's machines; a line with work orders is archived, not deleted. Another shift
// pattern is another calendar for all of the line's history: it invalidates the KPI rollups of its machines.
import type { TLine, TLineCreate, TLineListQuery, TLineUpdate } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { archivedReference, unknownReference, type Resource } from '../crud/resource.service.ts';
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

export function toLineDto(row: repo.LineRow): TLine {
  return {
    id: row.id,
    areaId: row.areaId,
    code: row.code,
    name: row.name,
    shiftPatternId: row.shiftPatternId,
    archivedAt: isoOrNull(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

async function assertCodeFree(tx: Db, areaId: string, code: string): Promise<void> {
  if ((await repo.findLineByCode(tx, areaId, code)) !== null) throw duplicateCode('Line', code, 'in this area');
}

/** A line's shift pattern is laid out in its site's time zone, so it must be a pattern of that site. */
async function assertShiftPattern(tx: Db, areaId: string, shiftPatternId: string): Promise<void> {
  const pattern = await repo.findShiftPatternSite(tx, shiftPatternId);
  if (pattern === null) throw unknownReference('shiftPatternId', 'Shift pattern', shiftPatternId);
  const area = await repo.findArea(tx, areaId);
  if (area !== null && area.siteId !== pattern.siteId) {
    throw new AppError('BAD_REQUEST', 'Shift pattern of another site', {
      detail: 'Choose a shift pattern of the site the line belongs to.',
      errors: [{ path: 'body.shiftPatternId', message: 'Belongs to another site' }],
    });
  }
}

export const lineResource: Resource<repo.LineRow, TLine, TLineCreate, TLineUpdate> = {
  entityType: 'line',
  label: 'Line',
  toDto: toLineDto,
  find: repo.findLine,
  async create(tx, input) {
    const area = await repo.findArea(tx, input.areaId);
    if (area === null) throw unknownReference('areaId', 'Area', input.areaId);
    if (area.archivedAt !== null) throw archivedReference('areaId', 'Area', area.code);
    await assertCodeFree(tx, area.id, input.code);
    const shiftPatternId = input.shiftPatternId ?? null;
    if (shiftPatternId !== null) await assertShiftPattern(tx, area.id, shiftPatternId);
    return repo.createLine(tx, { areaId: area.id, code: input.code, name: input.name, shiftPatternId });
  },
  async update(tx, current, input) {
    if (input.code !== undefined && input.code !== current.code) await assertCodeFree(tx, current.areaId, input.code);
    if (typeof input.shiftPatternId === 'string') await assertShiftPattern(tx, current.areaId, input.shiftPatternId);
    const row = await repo.updateLine(tx, current, input);
    if (row.shiftPatternId !== current.shiftPatternId) {
      await invalidateRollups({ prisma: tx, changes: [{ lineIds: [row.id] }] });
    }
    return row;
  },
  afterUpdate: async (tx, before, after) =>
    before.code === after.code ? [] : recomputePathsBelow(tx, { lineId: after.id }),
  setArchivedAt: (tx, current, archivedAt) => repo.updateLine(tx, current, { archivedAt }),
  async assertDeletable(tx, row) {
    const counts = await repo.countLineDependents(tx, row.id);
    assertNoBlockers('Line', row, {
      children: blocker('machines', counts.machines, 'machine'),
      history: blocker('workOrders', counts.workOrders, 'work order'),
    });
  },
  remove: (tx, row) => repo.deleteLine(tx, row.id),
  onConflict: onCodeConflict,
};

/** A page of lines ordered by code, optionally of one area. */
export async function listLines(options: { prisma: PrismaClient; query: TLineListQuery }): Promise<Page<TLine>> {
  const { prisma, query } = options;
  return plantPage(
    query,
    (keyset) =>
      repo.listLines(prisma, { areaId: query.areaId, includeArchived: query.includeArchived ?? false }, keyset),
    toLineDto,
  );
}
