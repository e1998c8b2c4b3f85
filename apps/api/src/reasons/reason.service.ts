// The downtime-reason tree (DESIGN.md "Plant model"): categories (no parent) → reasons (parent is a category),
// two levels at most; a reason has its category's kind. Reasons in use are archived, not deleted.
import { Prisma, type PrismaClient } from '@takt/db';
import type {
  TDowntimeReason,
  TDowntimeReasonCreateRequest,
  TDowntimeReasonTree,
  TDowntimeReasonUpdateRequest,
  TFieldError,
} from '@takt/contracts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { AppError } from '../http/app-error.ts';
import { assertVersion } from '../http/precondition.ts';
import * as repo from './reason.repository.ts';

type ChangeOptions = { prisma: PrismaClient; actor: AuditActor; requestId: string | null };

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

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'Downtime reason not found', { detail: `No downtime reason ${id}.` });
}

function invalid(errors: TFieldError[]): AppError {
  return new AppError('BAD_REQUEST', 'Invalid downtime reason', { detail: errors[0]?.message, errors });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
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
async function assertTreeRules(db: repo.Db, candidate: repo.ReasonData, id: string | null): Promise<void> {
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
  includeArchived: boolean;
}): Promise<TDowntimeReasonTree> {
  const rows = await repo.listReasons(options.prisma, { includeArchived: options.includeArchived });
  const categories = rows.filter((r) => r.parentId === null);
  return {
    items: categories.map((c) => ({
      ...reasonToDto(c),
      children: rows.filter((r) => r.parentId === c.id).map(reasonToDto),
    })),
  };
}

/** Creates a category (no parent) or a reason under a category. */
export async function createReason(
  options: ChangeOptions & { body: TDowntimeReasonCreateRequest },
): Promise<TDowntimeReason> {
  const { body } = options;
  const data: repo.ReasonData = { code: body.code, name: body.name, kind: body.kind, parentId: body.parentId ?? null };
  try {
    return await options.prisma.$transaction(async (tx) => {
      await assertTreeRules(tx, data, null);
      const dto = reasonToDto(await repo.createReason(tx, data));
      await recordAudit(tx, {
        actor: options.actor,
        action: 'downtime-reason.created',
        entityType: 'downtime-reason',
        entityId: dto.id,
        after: dto,
        requestId: options.requestId,
      });
      return dto;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(body.code);
    throw error;
  }
}

/** Changes code, name, kind or parent under the tree rules; honours If-Match. */
export async function updateReason(
  options: ChangeOptions & { id: string; body: TDowntimeReasonUpdateRequest; expectedVersion: number | undefined },
): Promise<TDowntimeReason> {
  const { id, body } = options;
  try {
    return await options.prisma.$transaction(async (tx) => {
      const before = await repo.findReason(tx, id);
      if (before === null) throw notFound(id);
      assertVersion(options.expectedVersion, before.version, 'downtime reason');
      const merged: repo.ReasonData = {
        code: body.code ?? before.code,
        name: body.name ?? before.name,
        kind: body.kind ?? before.kind,
        parentId: body.parentId !== undefined ? body.parentId : before.parentId,
      };
      await assertTreeRules(tx, merged, id);
      const dto = reasonToDto(await repo.updateReason(tx, id, merged));
      await recordAudit(tx, {
        actor: options.actor,
        action: 'downtime-reason.updated',
        entityType: 'downtime-reason',
        entityId: id,
        before: reasonToDto(before),
        after: dto,
        requestId: options.requestId,
      });
      return dto;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(body.code);
    throw error;
  }
}

/** Deletes an unused reason or an empty category; 409 when in use (archive it instead). */
export async function deleteReason(options: ChangeOptions & { id: string }): Promise<void> {
  const { id } = options;
  await options.prisma.$transaction(async (tx) => {
    const before = await repo.findReason(tx, id);
    if (before === null) throw notFound(id);
    const children = await repo.countChildren(tx, id);
    if (children > 0) {
      throw new AppError('CONFLICT', 'Category has reasons', {
        detail: `"${before.code}" has ${children} reason(s): delete or move them first, or archive the category.`,
      });
    }
    const usage = await repo.usageOf(tx, id);
    if (usage.intervals > 0 || usage.plannedDowntimes > 0) {
      throw new AppError('CONFLICT', 'Downtime reason in use', {
        detail:
          `"${before.code}" is used by ${usage.intervals} state interval(s) and ${usage.plannedDowntimes} planned ` +
          `downtime(s): archive it instead (POST /api/v1/downtime-reasons/${id}/archive).`,
      });
    }
    await repo.deleteReason(tx, id);
    await recordAudit(tx, {
      actor: options.actor,
      action: 'downtime-reason.deleted',
      entityType: 'downtime-reason',
      entityId: id,
      before: reasonToDto(before),
      requestId: options.requestId,
    });
  });
}

/** Archives a reason (a category with its reasons): hidden from pickers, kept for history. Idempotent. */
export async function archiveReason(options: ChangeOptions & { id: string; now: Date }): Promise<TDowntimeReason> {
  const { id } = options;
  return options.prisma.$transaction(async (tx) => {
    const before = await repo.findReason(tx, id);
    if (before === null) throw notFound(id);
    if (before.archivedAt !== null) return reasonToDto(before);
    const dto = reasonToDto(await repo.archiveReason(tx, id, options.now));
    await recordAudit(tx, {
      actor: options.actor,
      action: 'downtime-reason.archived',
      entityType: 'downtime-reason',
      entityId: id,
      before: reasonToDto(before),
      after: dto,
      requestId: options.requestId,
    });
    return dto;
  });
}
