// The downtime-reason tree (docs/domain.md "Plant model"): categories (no parent) → reasons (parent is a category),
// two levels at most; a reason has its category's kind. Reasons in use are archived, not deleted.
import type { PrismaClient } from '@takt/db';
import type {
  TDowntimeReason,
  TDowntimeReasonCreateRequest,
  TDowntimeReasonTree,
  TDowntimeReasonTreeQuery,
  TDowntimeReasonUpdateRequest,
  TFieldError,
} from '@takt/contracts';
import type { Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import * as repo from './reason.repository.ts';

export function reasonToDto(row: repo.ReasonRow): TDowntimeReason {
  return {
    id: row.id,
    parentId: row.parentId,
    code: row.code,
    name: row.name,
    kind: row.kind,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    version: row.version,
  };
}

function invalid(errors: TFieldError[]): AppError {
  return new AppError('BAD_REQUEST', 'Invalid downtime reason', { detail: errors[0]?.message, errors });
}

function duplicateCode(code: string | undefined): AppError {
  return new AppError('CONFLICT', 'Code already used', {
    detail: `A downtime reason with code "${code ?? ''}" exists already.`,
    errors: [{ path: 'body.code', message: 'Already used' }],
  });
}

/**
 * Checks the tree rules for `candidate` (self `id` when it exists): its parent is an unarchived category of the
 * same kind, and a reason with reasons of its own cannot move under a category (two levels at most).
 */
async function assertTreeRules(db: Db, candidate: repo.ReasonData, id: string | null): Promise<void> {
  if (candidate.parentId === null) {
    if (id === null) return;
    const mismatched = (await repo.childKinds(db, id)).filter((c) => c.kind !== candidate.kind);
    if (mismatched.length > 0) {
      throw invalid([
        {
          path: 'body.kind',
          message: `Reasons ${mismatched.map((c) => `"${c.code}"`).join(', ')} of this category are ${mismatched[0]!.kind}; a category and its reasons share one kind`,
        },
      ]);
    }
    return;
  }
  if (candidate.parentId === id)
    throw invalid([{ path: 'body.parentId', message: 'A reason cannot be its own parent' }]);
  const parent = await repo.findReason(db, candidate.parentId);
  if (parent === null) throw invalid([{ path: 'body.parentId', message: `No downtime reason ${candidate.parentId}` }]);
  if (parent.parentId !== null) {
    throw invalid([
      {
        path: 'body.parentId',
        message: `"${parent.code}" is a reason, not a category: the tree has two levels (category → reason)`,
      },
    ]);
  }
  if (parent.archivedAt !== null) {
    throw invalid([{ path: 'body.parentId', message: `Category "${parent.code}" is archived` }]);
  }
  if (parent.kind !== candidate.kind) {
    throw invalid([
      {
        path: 'body.kind',
        message: `A reason has its category's kind: "${parent.code}" is ${parent.kind}, not ${candidate.kind}`,
      },
    ]);
  }
  if (id !== null && (await repo.countChildren(db, id)) > 0) {
    throw invalid([
      { path: 'body.parentId', message: 'This category has reasons; it cannot become a reason (two levels at most)' },
    ]);
  }
}

/** The tree: categories by code, each with its reasons. */
export async function getReasonTree(options: {
  prisma: PrismaClient;
  query: TDowntimeReasonTreeQuery;
}): Promise<TDowntimeReasonTree> {
  const rows = await repo.listReasons(options.prisma, { includeArchived: options.query.includeArchived ?? false });
  const categories = rows.filter((r) => r.parentId === null);
  return {
    items: categories.map((c) => ({
      ...reasonToDto(c),
      children: rows.filter((r) => r.parentId === c.id).map(reasonToDto),
    })),
  };
}

/**
 * A category (no parent) or a reason under one. Changes follow the tree rules; a reason in use, or a category with
 * reasons, is archived (with its reasons) rather than deleted.
 */
export const reasonResource: Resource<
  repo.ReasonRow,
  TDowntimeReason,
  TDowntimeReasonCreateRequest,
  TDowntimeReasonUpdateRequest
> = {
  entityType: 'downtime-reason',
  label: 'Downtime reason',
  toDto: reasonToDto,
  find: repo.findReason,
  async create(tx, body) {
    const data: repo.ReasonData = {
      code: body.code,
      name: body.name,
      kind: body.kind,
      parentId: body.parentId ?? null,
    };
    await assertTreeRules(tx, data, null);
    return repo.createReason(tx, data);
  },
  async update(tx, before, body) {
    const merged: repo.ReasonData = {
      code: body.code ?? before.code,
      name: body.name ?? before.name,
      kind: body.kind ?? before.kind,
      parentId: body.parentId !== undefined ? body.parentId : before.parentId,
    };
    await assertTreeRules(tx, merged, before.id);
    return repo.updateReason(tx, before, merged);
  },
  setArchivedAt: (tx, current, archivedAt) => repo.setReasonArchivedAt(tx, current, archivedAt),
  async assertDeletable(tx, row) {
    const children = await repo.countChildren(tx, row.id);
    if (children > 0) {
      throw new AppError('CONFLICT', 'Category has reasons', {
        detail: `"${row.code}" has ${children} reason(s): delete or move them first, or archive the category.`,
      });
    }
    const usage = await repo.usageOf(tx, row.id);
    if (usage.intervals > 0 || usage.plannedDowntimes > 0) {
      throw new AppError('CONFLICT', 'Downtime reason in use', {
        detail:
          `"${row.code}" is used by ${usage.intervals} state interval(s) and ${usage.plannedDowntimes} planned ` +
          `downtime(s): archive it instead (POST /api/v1/downtime-reasons/${row.id}/archive).`,
      });
    }
  },
  remove: (tx, row) => repo.deleteReason(tx, row.id),
  onConflict: (conflict, body) => (conflict.kind === 'unique' ? duplicateCode(body?.code) : undefined),
};
