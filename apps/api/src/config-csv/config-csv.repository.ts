// Data access of the CSV import/export: the plant configuration read in bulk and written row by row.
import type { Prisma } from '@takt/db';
import type { TDowntimeKind } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';

export type { Db };

/** Every line, keyed by its `site/area/line` path. */
export async function linesByPath(db: Db): Promise<Map<string, { id: string; isArchived: boolean }>> {
  const lines = await db.line.findMany({
    select: {
      id: true,
      code: true,
      archivedAt: true,
      area: { select: { code: true, site: { select: { code: true } } } },
    },
  });
  return new Map(
    lines.map((l) => [`${l.area.site.code}/${l.area.code}/${l.code}`, { id: l.id, isArchived: l.archivedAt !== null }]),
  );
}

export function listMachinesForExport(db: Db) {
  return db.machine.findMany({
    where: { archivedAt: null },
    select: { path: true, name: true, sequence: true },
    orderBy: { path: 'asc' },
  });
}

export function findMachinesByPath(db: Db, paths: readonly string[]) {
  return db.machine.findMany({
    where: { path: { in: [...paths] } },
    select: { id: true, path: true, name: true, sequence: true },
  });
}

export async function createMachine(
  db: Db,
  data: { lineId: string; code: string; path: string; name: string; sequence: number },
): Promise<void> {
  await db.machine.create({ data });
}

export async function updateMachine(db: Db, id: string, data: { name: string; sequence: number }): Promise<void> {
  await db.machine.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
}

const PRODUCT_SELECT = {
  id: true,
  code: true,
  name: true,
  idealCycleTimes: {
    select: {
      idealCycleTimeSec: true,
      lineId: true,
      machineId: true,
      machine: { select: { path: true } },
      line: { select: { code: true, area: { select: { code: true, site: { select: { code: true } } } } } },
    },
  },
} as const satisfies Prisma.ProductSelect;

export type ProductWithCycleTimes = {
  id: string;
  code: string;
  name: string;
  idealCycleTimes: {
    target: 'line' | 'machine';
    path: string;
    lineId: string | null;
    machineId: string | null;
    idealCycleTimeSec: number;
  }[];
};

function toProduct(row: Prisma.ProductGetPayload<{ select: typeof PRODUCT_SELECT }>): ProductWithCycleTimes {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    idealCycleTimes: row.idealCycleTimes.flatMap((ict): ProductWithCycleTimes['idealCycleTimes'] => {
      const ids = { lineId: ict.lineId, machineId: ict.machineId, idealCycleTimeSec: ict.idealCycleTimeSec };
      if (ict.machine !== null) return [{ target: 'machine', path: ict.machine.path, ...ids }];
      if (ict.line !== null) {
        const path = `${ict.line.area.site.code}/${ict.line.area.code}/${ict.line.code}`;
        return [{ target: 'line', path, ...ids }];
      }
      return [];
    }),
  };
}

export async function listProductsForExport(db: Db): Promise<ProductWithCycleTimes[]> {
  const rows = await db.product.findMany({
    where: { archivedAt: null },
    select: PRODUCT_SELECT,
    orderBy: { code: 'asc' },
  });
  return rows.map(toProduct);
}

export async function findProductsByCode(db: Db, codes: readonly string[]): Promise<ProductWithCycleTimes[]> {
  const rows = await db.product.findMany({ where: { code: { in: [...codes] } }, select: PRODUCT_SELECT });
  return rows.map(toProduct);
}

/** Machine ids of the given paths. */
export async function machineIdsByPath(db: Db, paths: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.machine.findMany({ where: { path: { in: [...paths] } }, select: { id: true, path: true } });
  return new Map(rows.map((r) => [r.path, r.id]));
}

export type CycleTimeData = { lineId: string | null; machineId: string | null; idealCycleTimeSec: number };

/** Creates or updates a product and replaces its ideal cycle times. */
export async function writeProduct(
  db: Db,
  data: { id: string | null; code: string; name: string; idealCycleTimes: readonly CycleTimeData[] },
): Promise<void> {
  const productId =
    data.id === null
      ? (await db.product.create({ data: { code: data.code, name: data.name }, select: { id: true } })).id
      : (await db.product.update({ where: { id: data.id }, data: { name: data.name, version: { increment: 1 } } })).id;
  await db.idealCycleTime.deleteMany({ where: { productId } });
  await db.idealCycleTime.createMany({ data: data.idealCycleTimes.map((ict) => ({ ...ict, productId })) });
}

export type ReasonRow = {
  id: string;
  code: string;
  name: string;
  kind: TDowntimeKind;
  parentId: string | null;
  archivedAt: Date | null;
};

export function listReasons(db: Db): Promise<ReasonRow[]> {
  return db.downtimeReason.findMany({
    select: { id: true, code: true, name: true, kind: true, parentId: true, archivedAt: true },
    orderBy: { code: 'asc' },
  });
}

/** Creates (id null) or updates a reason; returns its id. */
export async function writeReason(
  db: Db,
  data: { id: string | null; code: string; name: string; kind: TDowntimeKind; parentId: string | null },
): Promise<string> {
  const fields = { name: data.name, kind: data.kind, parentId: data.parentId };
  if (data.id === null) return (await db.downtimeReason.create({ data: { code: data.code, ...fields } })).id;
  await db.downtimeReason.update({ where: { id: data.id }, data: { ...fields, version: { increment: 1 } } });
  return data.id;
}
