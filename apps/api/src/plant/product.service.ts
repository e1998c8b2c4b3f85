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
import { auditChange } from '../audit/audit.service.ts';
import { changeResource, type ChangeOptions, type Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import type { Page } from '../http/page.ts';
import type { Versioned } from '../http/precondition.ts';
import {
  assertNoBlockers,
  blocker,
  onCodeConflict,
  duplicateCode,
  isoOrNull,
  plantPage,
} from './plant-rules.service.ts';
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

async function assertCodeFree(tx: Db, code: string): Promise<void> {
  if ((await repo.findProductByCode(tx, code)) !== null) throw duplicateCode('Product', code, 'by another product');
}

export const productResource: Resource<repo.ProductRow, TProduct, TProductCreate, TProductUpdate> = {
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
  async assertDeletable(tx, row) {
    const counts = await repo.countProductDependents(tx, row.id);
    assertNoBlockers('Product', row, {
      children: [],
      history: [
        ...blocker('workOrders', counts.workOrders, 'work order'),
        ...blocker('counts', counts.counts, 'production count'),
        ...blocker('stateIntervals', counts.stateIntervals, 'state interval'),
      ],
    });
  },
  remove: (tx, row) => repo.deleteProduct(tx, row.id),
  onConflict: onCodeConflict,
};

/** A page of products ordered by code, archived ones only on request. */
export async function listProducts(options: {
  prisma: PrismaClient;
  query: TProductListQuery;
}): Promise<Page<TProduct>> {
  const { prisma, query } = options;
  return plantPage(
    query,
    (keyset) => repo.listProducts(prisma, { includeArchived: query.includeArchived ?? false }, keyset),
    toProductDto,
  );
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

/** The ideal cycle times of a product, with the product's version (they are part of it). */
export async function getIdealCycleTimes(options: {
  prisma: PrismaClient;
  id: string;
}): Promise<Versioned<TIdealCycleTimes>> {
  const { prisma, id } = options;
  const product = await repo.findProduct(prisma, id);
  if (product === null) throw new AppError('NOT_FOUND', 'Product not found', { detail: `No product ${id}.` });
  return { item: toIdealCycleTimes(id, await repo.listIdealCycleTimes(prisma, id)), version: product.version };
}

/**
 * Replaces the ideal cycle times of a product (If-Match against the product's version, which it bumps);
 * unknown lines or machines answer 400 naming the item.
 */
export async function replaceIdealCycleTimes(
  options: ChangeOptions & { id: string; input: TIdealCycleTimesPut; expectedVersion: number | undefined },
): Promise<Versioned<TIdealCycleTimes>> {
  return changeResource(productResource, options, async (tx, product) => {
    const productId = product.id;
    const items = options.input.items.map((item) => ({
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
    await auditChange(tx, options.change, {
      action: 'product.ideal-cycle-times-replaced',
      entityType: 'product',
      entityId: productId,
      before,
      after,
    });
    return { item: after, version: updated.version };
  });
}
