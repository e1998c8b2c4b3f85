// Data access of the plant configuration: the only plant module that talks to Prisma. Lists are keyset
// pages ordered by (code, id); updates are guarded by the row's version; machine paths are recomputed
// in SQL so that a rename high in the hierarchy rewrites every machine below it in one statement.
import { Prisma } from '@takt/db';
import type { Db } from '../db/transaction.ts';

export type SiteRow = Prisma.SiteModel;
export type AreaRow = Prisma.AreaModel;
export type LineRow = Prisma.LineModel;
export type MachineRow = Prisma.MachineModel;
export type ProductRow = Prisma.ProductModel;
export type IdealCycleTimeRow = Prisma.IdealCycleTimeModel;

/** A page request: `limit` rows after the (code, id) position of the previous page's last row. */
export type Keyset = { limit: number; after?: { code: string; id: string } };

function afterWhere(keyset: Keyset) {
  const after = keyset.after;
  if (after === undefined) return {};
  return { OR: [{ code: { gt: after.code } }, { code: after.code, id: { gt: after.id } }] };
}

// One row more than asked tells whether there is a next page.
const page = (keyset: Keyset) => ({
  take: keyset.limit + 1,
  orderBy: [{ code: 'asc' as const }, { id: 'asc' as const }],
});

const notArchived = (includeArchived: boolean) => (includeArchived ? {} : { archivedAt: null });

// ---------------------------------------------------------------- enterprise

/** The enterprises, oldest first (a site needs one; most installations have exactly one). */
export function listEnterpriseIds(db: Db): Promise<{ id: string }[]> {
  return db.enterprise.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' }, take: 2 });
}

export function enterpriseExists(db: Db, id: string): Promise<boolean> {
  return db.enterprise.count({ where: { id } }).then((n) => n > 0);
}

export async function createDefaultEnterprise(db: Db): Promise<string> {
  const row = await db.enterprise.create({ data: { code: 'default', name: 'Enterprise' } });
  return row.id;
}

// ---------------------------------------------------------------- sites

export const findSite = (db: Db, id: string) => db.site.findUnique({ where: { id } });
export const findSiteByCode = (db: Db, code: string) => db.site.findUnique({ where: { code } });

export function listSites(db: Db, filter: { includeArchived: boolean }, keyset: Keyset): Promise<SiteRow[]> {
  return db.site.findMany({
    where: { ...notArchived(filter.includeArchived), ...afterWhere(keyset) },
    ...page(keyset),
  });
}

export function createSite(
  db: Db,
  data: { enterpriseId: string; code: string; name: string; timeZone: string },
): Promise<SiteRow> {
  return db.site.create({ data });
}

export function updateSite(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; timeZone?: string; archivedAt?: Date | null },
): Promise<SiteRow> {
  return db.site.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export const deleteSite = (db: Db, id: string) => db.site.delete({ where: { id } });

export async function countSiteDependents(db: Db, id: string): Promise<{ areas: number; shiftPatterns: number }> {
  const [areas, shiftPatterns] = await Promise.all([
    db.area.count({ where: { siteId: id } }),
    db.shiftPattern.count({ where: { siteId: id } }),
  ]);
  return { areas, shiftPatterns };
}

// ---------------------------------------------------------------- areas

export const findArea = (db: Db, id: string) => db.area.findUnique({ where: { id } });
export const findAreaByCode = (db: Db, siteId: string, code: string) =>
  db.area.findUnique({ where: { siteId_code: { siteId, code } } });

export function listAreas(
  db: Db,
  filter: { siteId?: string; includeArchived: boolean },
  keyset: Keyset,
): Promise<AreaRow[]> {
  return db.area.findMany({
    where: { siteId: filter.siteId, ...notArchived(filter.includeArchived), ...afterWhere(keyset) },
    ...page(keyset),
  });
}

export function createArea(db: Db, data: { siteId: string; code: string; name: string }): Promise<AreaRow> {
  return db.area.create({ data });
}

export function updateArea(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; archivedAt?: Date | null },
): Promise<AreaRow> {
  return db.area.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export const deleteArea = (db: Db, id: string) => db.area.delete({ where: { id } });
export const countAreaLines = (db: Db, id: string) => db.line.count({ where: { areaId: id } });

// ---------------------------------------------------------------- lines

export const findLine = (db: Db, id: string) => db.line.findUnique({ where: { id } });
export const findLineByCode = (db: Db, areaId: string, code: string) =>
  db.line.findUnique({ where: { areaId_code: { areaId, code } } });

export function listLines(
  db: Db,
  filter: { areaId?: string; includeArchived: boolean },
  keyset: Keyset,
): Promise<LineRow[]> {
  return db.line.findMany({
    where: { areaId: filter.areaId, ...notArchived(filter.includeArchived), ...afterWhere(keyset) },
    ...page(keyset),
  });
}

export function createLine(
  db: Db,
  data: { areaId: string; code: string; name: string; shiftPatternId: string | null },
): Promise<LineRow> {
  return db.line.create({ data });
}

export function updateLine(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; shiftPatternId?: string | null; archivedAt?: Date | null },
): Promise<LineRow> {
  return db.line.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export const deleteLine = (db: Db, id: string) => db.line.delete({ where: { id } });

export async function countLineDependents(db: Db, id: string): Promise<{ machines: number; workOrders: number }> {
  const [machines, workOrders] = await Promise.all([
    db.machine.count({ where: { lineId: id } }),
    db.workOrder.count({ where: { lineId: id } }),
  ]);
  return { machines, workOrders };
}

/** The shift pattern and the site it belongs to, or null when unknown. */
export const findShiftPatternSite = (db: Db, id: string) =>
  db.shiftPattern.findUnique({ where: { id }, select: { siteId: true } });

// ---------------------------------------------------------------- machines

export const findMachine = (db: Db, id: string) => db.machine.findUnique({ where: { id } });
export const findMachineByCode = (db: Db, lineId: string, code: string) =>
  db.machine.findUnique({ where: { lineId_code: { lineId, code } } });

export function listMachines(
  db: Db,
  filter: { lineId?: string; q?: string; includeArchived: boolean },
  keyset: Keyset,
): Promise<MachineRow[]> {
  const search =
    filter.q === undefined
      ? {}
      : {
          AND: [
            {
              OR: [
                { code: { contains: filter.q, mode: 'insensitive' as const } },
                { name: { contains: filter.q, mode: 'insensitive' as const } },
                { path: { contains: filter.q, mode: 'insensitive' as const } },
              ],
            },
          ],
        };
  return db.machine.findMany({
    where: { lineId: filter.lineId, ...notArchived(filter.includeArchived), ...afterWhere(keyset), ...search },
    ...page(keyset),
  });
}

/** `site/area/line` of a line, the prefix of its machines' paths; null when the line is unknown. */
export async function findLinePathPrefix(db: Db, lineId: string): Promise<string | null> {
  const line = await db.line.findUnique({
    where: { id: lineId },
    select: { code: true, area: { select: { code: true, site: { select: { code: true } } } } },
  });
  return line === null ? null : `${line.area.site.code}/${line.area.code}/${line.code}`;
}

export const findMachineByPath = (db: Db, path: string) => db.machine.findUnique({ where: { path } });

export function createMachine(
  db: Db,
  data: { lineId: string; code: string; path: string; name: string; sequence: number },
): Promise<MachineRow> {
  return db.machine.create({ data });
}

export function updateMachine(
  db: Db,
  current: { id: string; version: number },
  data: { lineId?: string; code?: string; path?: string; name?: string; sequence?: number; archivedAt?: Date | null },
): Promise<MachineRow> {
  return db.machine.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export const deleteMachine = (db: Db, id: string) => db.machine.delete({ where: { id } });

export async function countMachineDependents(
  db: Db,
  id: string,
): Promise<{ stateIntervals: number; counts: number; signalMappings: number }> {
  const [stateIntervals, counts, signalMappings] = await Promise.all([
    db.machineStateInterval.count({ where: { machineId: id } }),
    db.productionCount.count({ where: { machineId: id } }),
    db.signalMapping.count({ where: { machineId: id } }),
  ]);
  return { stateIntervals, counts, signalMappings };
}

/**
 * Rewrites `path` (and bumps `version`) of every machine below a site, area or line from the current
 * codes, in the caller's transaction; returns each changed machine with its old and new path.
 */
export function recomputeMachinePaths(
  db: Db,
  scope: { siteId: string } | { areaId: string } | { lineId: string },
): Promise<{ id: string; pathBefore: string; pathAfter: string }[]> {
  const condition =
    'siteId' in scope
      ? Prisma.sql`s.id = ${scope.siteId}::uuid`
      : 'areaId' in scope
        ? Prisma.sql`a.id = ${scope.areaId}::uuid`
        : Prisma.sql`l.id = ${scope.lineId}::uuid`;
  // RETURNING sees the new row only, so the old path comes from a snapshot taken in the same statement.
  return db.$queryRaw<{ id: string; pathBefore: string; pathAfter: string }[]>`
    WITH target AS (
      SELECT m.id, m.path AS path_before, s.code || '/' || a.code || '/' || l.code || '/' || m.code AS path_after
        FROM machine AS m
        JOIN line AS l ON l.id = m.line_id
        JOIN area AS a ON a.id = l.area_id
        JOIN site AS s ON s.id = a.site_id
       WHERE ${condition}
    )
    UPDATE machine AS m
       SET path = target.path_after, version = m.version + 1, updated_at = now()
      FROM target
     WHERE m.id = target.id AND target.path_before IS DISTINCT FROM target.path_after
    RETURNING m.id::text AS "id", target.path_before AS "pathBefore", target.path_after AS "pathAfter"`;
}

// ---------------------------------------------------------------- products

export const findProduct = (db: Db, id: string) => db.product.findUnique({ where: { id } });
export const findProductByCode = (db: Db, code: string) => db.product.findUnique({ where: { code } });

export function listProducts(db: Db, filter: { includeArchived: boolean }, keyset: Keyset): Promise<ProductRow[]> {
  return db.product.findMany({
    where: { ...notArchived(filter.includeArchived), ...afterWhere(keyset) },
    ...page(keyset),
  });
}

export function createProduct(db: Db, data: { code: string; name: string }): Promise<ProductRow> {
  return db.product.create({ data });
}

export function updateProduct(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; archivedAt?: Date | null },
): Promise<ProductRow> {
  return db.product.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export const deleteProduct = (db: Db, id: string) => db.product.delete({ where: { id } });

export async function countProductDependents(
  db: Db,
  id: string,
): Promise<{ workOrders: number; counts: number; stateIntervals: number }> {
  const [workOrders, counts, stateIntervals] = await Promise.all([
    db.workOrder.count({ where: { productId: id } }),
    db.productionCount.count({ where: { productId: id } }),
    db.machineStateInterval.count({ where: { productId: id } }),
  ]);
  return { workOrders, counts, stateIntervals };
}

export function listIdealCycleTimes(db: Db, productId: string): Promise<IdealCycleTimeRow[]> {
  return db.idealCycleTime.findMany({
    where: { productId },
    orderBy: [{ lineId: { sort: 'asc', nulls: 'last' } }, { machineId: { sort: 'asc', nulls: 'last' } }],
  });
}

/** Which of `lineIds` / `machineIds` exist. */
export async function existingLineAndMachineIds(
  db: Db,
  ids: { lineIds: string[]; machineIds: string[] },
): Promise<{ lineIds: Set<string>; machineIds: Set<string> }> {
  const [lines, machines] = await Promise.all([
    db.line.findMany({ where: { id: { in: ids.lineIds } }, select: { id: true } }),
    db.machine.findMany({ where: { id: { in: ids.machineIds } }, select: { id: true } }),
  ]);
  return { lineIds: new Set(lines.map((l) => l.id)), machineIds: new Set(machines.map((m) => m.id)) };
}

/** Replaces every ideal cycle time of a product with `items`. */
export async function replaceIdealCycleTimes(
  db: Db,
  productId: string,
  items: { lineId: string | null; machineId: string | null; idealCycleTimeSec: number }[],
): Promise<void> {
  await db.idealCycleTime.deleteMany({ where: { productId } });
  if (items.length > 0) await db.idealCycleTime.createMany({ data: items.map((item) => ({ ...item, productId })) });
}
