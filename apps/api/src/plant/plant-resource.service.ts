// The use cases every plant resource (site, area, line, machine, product) shares — get, create, update,
// delete, archive/unarchive, list pages — written once over a small per-resource description, so that
// the rules of one resource (parents, uniqueness, paths, what blocks a delete) stay in its own service.
// Every change runs in one transaction with its audit entry; updates honour If-Match and bump `version`.
import { codeOrderCursor, type TFieldError } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { AuthContext } from '../auth/auth-context.ts';
import { recordAudit, userActor } from '../audit/audit.service.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import { assertVersion } from '../http/precondition.ts';
import { inTransaction, recomputeMachinePaths, type Db, type Keyset } from './plant.repository.ts';

/** Who changes what, for the audit log. */
export type ChangeContext = { prisma: PrismaClient; auth: AuthContext; requestId: string };

type ResourceRow = { id: string; code: string; version: number; archivedAt: Date | null };

/** What keeps an item from being deleted: child items (delete those first) or history (archive instead). */
export type DeleteBlockers = { children: TFieldError[]; history: TFieldError[] };

export type PlantResource<TRow extends ResourceRow, TDto, TCreate, TUpdate> = {
  /** `entityType` in the audit log and prefix of its actions (`site.created`). */
  entityType: string;
  /** Shown to users: `Site "plant1"`. */
  label: string;
  toDto(row: TRow): TDto;
  find(db: Db, id: string): Promise<TRow | null>;
  /** Checks the resource's rules and inserts. */
  create(tx: Db, input: TCreate): Promise<TRow>;
  /** Checks the resource's rules and writes `input` over `current` (version-guarded, bumps version). */
  update(tx: Db, current: TRow, input: TUpdate): Promise<TRow>;
  /** Changes the update caused elsewhere (machine paths below a renamed code), audited with it. */
  afterUpdate?(tx: Db, before: TRow, after: TRow): Promise<RelatedChange[]>;
  setArchivedAt(tx: Db, current: TRow, archivedAt: Date | null): Promise<TRow>;
  deleteBlockers(tx: Db, row: TRow): Promise<DeleteBlockers>;
  remove(tx: Db, row: TRow): Promise<void>;
};

/** A change to another entity that follows from this one, audited in the same transaction. */
export type RelatedChange = { entityType: string; entityId: string; action: string; before: object; after: object };

/** The keyset of a list query: `limit` rows after the position its cursor names. */
export function keysetOf(query: { limit: number; cursor?: [string, string] | undefined }): Keyset {
  return query.cursor === undefined
    ? { limit: query.limit }
    : { limit: query.limit, after: { code: query.cursor[0], id: query.cursor[1] } };
}

/** Cuts the one extra row a keyset query fetched into `nextCursor`. */
export function toPlantPage<TRow extends { code: string; id: string }, TDto>(
  rows: TRow[],
  keyset: Keyset,
  toDto: (row: TRow) => TDto,
): Page<TDto> {
  return toPage(rows, keyset.limit, toDto, (row) => codeOrderCursor.encode([row.code, row.id]));
}

function notFound(resource: { label: string }, id: string): AppError {
  return new AppError('NOT_FOUND', `${resource.label} not found`, {
    detail: `No ${resource.label.toLowerCase()} ${id}.`,
  });
}

async function findOrThrow<TRow extends ResourceRow>(
  db: Db,
  resource: { label: string; find(db: Db, id: string): Promise<TRow | null> },
  id: string,
): Promise<TRow> {
  const row = await resource.find(db, id);
  if (row === null) throw notFound(resource, id);
  return row;
}

/** One item, or 404. */
export async function getResource<TRow extends ResourceRow, TDto>(
  resource: PlantResource<TRow, TDto, unknown, unknown>,
  prisma: PrismaClient,
  id: string,
): Promise<{ item: TDto; version: number }> {
  const row = await findOrThrow(prisma, resource, id);
  return { item: resource.toDto(row), version: row.version };
}

/** Creates an item and audits `<type>.created`. */
export async function createResource<TRow extends ResourceRow, TDto, TCreate>(
  resource: PlantResource<TRow, TDto, TCreate, unknown>,
  context: ChangeContext,
  input: TCreate,
): Promise<{ item: TDto; version: number }> {
  return inTransaction(context.prisma, async (tx) => {
    const row = await resource.create(tx, input);
    const item = resource.toDto(row);
    await audit(tx, context, resource, `${resource.entityType}.created`, row.id, null, item);
    return { item, version: row.version };
  });
}

/** Applies a partial update (If-Match checked) and audits `<type>.updated` with before/after. */
export async function updateResource<TRow extends ResourceRow, TDto, TUpdate>(
  resource: PlantResource<TRow, TDto, unknown, TUpdate>,
  context: ChangeContext,
  id: string,
  input: TUpdate,
  expectedVersion: number | undefined,
): Promise<{ item: TDto; version: number }> {
  return inTransaction(context.prisma, async (tx) => {
    const current = await findOrThrow(tx, resource, id);
    assertVersion(expectedVersion, current.version, resource.label.toLowerCase());
    const row = await resource.update(tx, current, input);
    const item = resource.toDto(row);
    await audit(tx, context, resource, `${resource.entityType}.updated`, id, resource.toDto(current), item);
    for (const change of (await resource.afterUpdate?.(tx, current, row)) ?? []) {
      await audit(tx, context, change, change.action, change.entityId, change.before, change.after);
    }
    return { item, version: row.version };
  });
}

/** Sets or clears `archivedAt` (a no-op when already so) and audits `<type>.archived` / `.unarchived`. */
export async function setResourceArchived<TRow extends ResourceRow, TDto>(
  resource: PlantResource<TRow, TDto, unknown, unknown>,
  context: ChangeContext,
  id: string,
  isArchived: boolean,
  expectedVersion: number | undefined,
): Promise<{ item: TDto; version: number }> {
  return inTransaction(context.prisma, async (tx) => {
    const current = await findOrThrow(tx, resource, id);
    assertVersion(expectedVersion, current.version, resource.label.toLowerCase());
    if ((current.archivedAt !== null) === isArchived)
      return { item: resource.toDto(current), version: current.version };
    const row = await resource.setArchivedAt(tx, current, isArchived ? new Date() : null);
    const item = resource.toDto(row);
    const action = `${resource.entityType}.${isArchived ? 'archived' : 'unarchived'}`;
    await audit(tx, context, resource, action, id, resource.toDto(current), item);
    return { item, version: row.version };
  });
}

/**
 * Deletes an item nothing depends on; answers 409 naming the children to delete first, or the history
 * that makes archiving the only way out (intervals and counts must keep pointing at their machine/product).
 */
export async function deleteResource<TRow extends ResourceRow, TDto>(
  resource: PlantResource<TRow, TDto, unknown, unknown>,
  context: ChangeContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  await inTransaction(context.prisma, async (tx) => {
    const current = await findOrThrow(tx, resource, id);
    assertVersion(expectedVersion, current.version, resource.label.toLowerCase());
    const blockers = await resource.deleteBlockers(tx, current);
    const name = `${resource.label} "${current.code}"`;
    if (blockers.history.length > 0) {
      throw new AppError('CONFLICT', 'Has history: archive instead', {
        detail: `${name} has ${blockers.history.map((b) => b.message).join(' and ')}; archive it (POST …/${id}/archive) instead of deleting it.`,
        errors: blockers.history,
      });
    }
    if (blockers.children.length > 0) {
      throw new AppError('CONFLICT', 'Still referenced', {
        detail: `${name} still has ${blockers.children.map((b) => b.message).join(' and ')}.`,
        errors: blockers.children,
      });
    }
    await resource.remove(tx, current);
    await audit(tx, context, resource, `${resource.entityType}.deleted`, id, resource.toDto(current), null);
  });
}

/** `n things` for a blocker message, or nothing when n is 0. */
export function blocker(path: string, count: number, singular: string, plural = `${singular}s`): TFieldError[] {
  return count === 0 ? [] : [{ path, message: `${count} ${count === 1 ? singular : plural}` }];
}

async function audit<TDto>(
  tx: Db,
  context: ChangeContext,
  resource: { entityType: string },
  action: string,
  entityId: string,
  before: TDto | null,
  after: TDto | null,
): Promise<void> {
  await recordAudit(tx, {
    actor: userActor(context.auth),
    action,
    entityType: resource.entityType,
    entityId,
    // DTOs are plain JSON (strings, numbers, null): what the API answered is what the log keeps.
    before: before as Parameters<typeof recordAudit>[1]['before'],
    after: after as Parameters<typeof recordAudit>[1]['after'],
    requestId: context.requestId,
  });
}

/** 409 for a code that another item already uses in the same scope. */
export function duplicateCode(label: string, code: string, scope: string): AppError {
  return new AppError('CONFLICT', 'Code already in use', {
    detail: `${label} code "${code}" is already in use ${scope}.`,
    errors: [{ path: 'body.code', message: 'Already in use' }],
  });
}

/** 400 for a body field naming an item that does not exist. */
export function unknownReference(field: string, label: string, id: string): AppError {
  return new AppError('BAD_REQUEST', `Unknown ${label.toLowerCase()}`, {
    detail: `No ${label.toLowerCase()} ${id}.`,
    errors: [{ path: `body.${field}`, message: `No such ${label.toLowerCase()}` }],
  });
}

/** 409 for placing something below an archived item. */
export function archivedParent(field: string, label: string, code: string): AppError {
  return new AppError('CONFLICT', `${label} is archived`, {
    detail: `${label} "${code}" is archived: unarchive it first, or choose another.`,
    errors: [{ path: `body.${field}`, message: `${label} is archived` }],
  });
}

/** Rewrites the paths of the machines below a site, area or line whose code changed; one audit entry each. */
export async function recomputePathsBelow(
  tx: Db,
  scope: { siteId: string } | { areaId: string } | { lineId: string },
): Promise<RelatedChange[]> {
  const changed = await recomputeMachinePaths(tx, scope);
  return changed.map((machine) => ({
    entityType: 'machine',
    entityId: machine.id,
    action: 'machine.path-changed',
    before: { path: machine.pathBefore },
    after: { path: machine.pathAfter },
  }));
}

/** Timestamps as the API sends them. */
export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
