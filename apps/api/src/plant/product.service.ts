// Products (globally unique code) and their ideal cycle times per line or machine. A product that work
// orders, counts or intervals refer to is archived, never deleted. Ideal cycle times apply to all history: changing
// one invalidates the KPI rollups of the machines it reaches, where they made that product.
import type {
  TIdealCycleTimes,
  TIdealCycleTimesPut,
  TProduct,
  TProductCreate,
  TProductListQuery,
  TProductUpdate,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { idealCycleTimeChange, invalidateRollups } from '@takt/kpi-sql';
import { recordAudit, userActor } from '../audit/audit.service.ts';
import { AppError } from '../http/app-error.ts';
import type { Page } from '../http/page.ts';
import { assertVersion } from '../http/precondition.ts';
import {
  blocker,
  duplicateCode,
  isoOrNull,
  keysetOf,
  toPlantPage,
  type ChangeContext,
  type PlantResource,
} from './plant-resource.service.ts';
import * as repo from './plant.repository.ts';

export function toProductDto(row: repo.ProductRow): TProduct {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    archivedAt: isoOrNull(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

async function assertCodeFree(tx: repo.Db, code: string): Promise<void> {
  if ((await repo.findProductByCode(tx, code)) !== null) throw duplicateCode('Product', code, 'by another product');
}

export const productResource: PlantResource<repo.ProductRow, TProduct, TProductCreate, TProductUpdate> = {
  entityType: 'product',
  label: 'Product',
  toDto: toProductDto,
  find: repo.findProduct,
  async create(tx, input) {
    await assertCodeFree(tx, input.code);
    return repo.createProduct(tx, input);
  },
  async update(tx, current, input) {
    if (input.code !== undefined && input.code !== current.code) await assertCodeFree(tx, input.code);
    return repo.updateProduct(tx, current, input);
  },
  setArchivedAt: (tx, current, archivedAt) => repo.updateProduct(tx, current, { archivedAt }),
  async deleteBlockers(tx, row) {
    const counts = await repo.countProductDependents(tx, row.id);
    return {
      children: [],
      history: [
        ...blocker('workOrders', counts.workOrders, 'work order'),
        ...blocker('counts', counts.counts, 'production count'),
        ...blocker('stateIntervals', counts.stateIntervals, 'state interval'),
      ],
    };
  },
  async remove(tx, row) {
    await repo.deleteProduct(tx, row.id);
  },
};

/** A page of products ordered by code, archived ones only on request. */
export async function listProducts(prisma: PrismaClient, query: TProductListQuery): Promise<Page<TProduct>> {
  const keyset = keysetOf(query);
  const rows = await repo.listProducts(prisma, { includeArchived: query.includeArchived ?? false }, keyset);
  return toPlantPage(rows, keyset, toProductDto);
}

function toIdealCycleTimes(productId: string, rows: repo.IdealCycleTimeRow[]): TIdealCycleTimes {
  return {
    productId,
    items: rows.map((row) => ({
      id: row.id,
      lineId: row.lineId,
      machineId: row.machineId,
      idealCycleTimeSec: row.idealCycleTimeSec,
    })),
  };
}

async function findProductOrThrow(db: repo.Db, id: string): Promise<repo.ProductRow> {
  const product = await repo.findProduct(db, id);
  if (product === null) throw new AppError('NOT_FOUND', 'Product not found', { detail: `No product ${id}.` });
  return product;
}

/** The ideal cycle times of a product, with the product's version (they are part of it). */
export async function getIdealCycleTimes(
  prisma: PrismaClient,
  productId: string,
): Promise<{ item: TIdealCycleTimes; version: number }> {
  const product = await findProductOrThrow(prisma, productId);
  return {
    item: toIdealCycleTimes(productId, await repo.listIdealCycleTimes(prisma, productId)),
    version: product.version,
  };
}

/**
 * Replaces the ideal cycle times of a product (If-Match against the product's version, which it bumps);
 * unknown lines or machines answer 400 naming the item.
 */
export async function replaceIdealCycleTimes(
  context: ChangeContext,
  productId: string,
  body: TIdealCycleTimesPut,
  expectedVersion: number | undefined,
): Promise<{ item: TIdealCycleTimes; version: number }> {
  return repo.inTransaction(context.prisma, async (tx) => {
    const product = await findProductOrThrow(tx, productId);
    assertVersion(expectedVersion, product.version, 'product');
    const items = body.items.map((item) => ({
      lineId: item.lineId ?? null,
      machineId: item.machineId ?? null,
      idealCycleTimeSec: item.idealCycleTimeSec,
    }));
    const existing = await repo.existingLineAndMachineIds(tx, {
      lineIds: items.flatMap((i) => (i.lineId === null ? [] : [i.lineId])),
      machineIds: items.flatMap((i) => (i.machineId === null ? [] : [i.machineId])),
    });
    const errors = items.flatMap((item, index) => {
      if (item.lineId !== null && !existing.lineIds.has(item.lineId))
        return [{ path: `body.items.${index}.lineId`, message: 'No such line' }];
      if (item.machineId !== null && !existing.machineIds.has(item.machineId))
        return [{ path: `body.items.${index}.machineId`, message: 'No such machine' }];
      return [];
    });
    if (errors.length > 0) {
      throw new AppError('BAD_REQUEST', 'Unknown line or machine', {
        detail: 'Every ideal cycle time must name an existing line or machine.',
        errors,
      });
    }
    const before = toIdealCycleTimes(productId, await repo.listIdealCycleTimes(tx, productId));
    await repo.replaceIdealCycleTimes(tx, productId, items);
    const updated = await repo.updateProduct(tx, product, {});
    const after = toIdealCycleTimes(productId, await repo.listIdealCycleTimes(tx, productId));
    const change = idealCycleTimeChange(productId, before.items, after.items);
    if (change !== null) await invalidateRollups({ prisma: tx, changes: [change] });
    await recordAudit(tx, {
      actor: userActor(context.auth),
      action: 'product.ideal-cycle-times-replaced',
      entityType: 'product',
      entityId: productId,
      before,
      after,
      requestId: context.requestId,
    });
    return { item: after, version: updated.version };
  });
}
