// The use cases every administered resource shares — get, create, update, delete, archive/unarchive, and any other
// audited change of one item — written once over a small description of the resource, so that the rules of one
// resource (parents, uniqueness, what blocks a delete, KPI rollups a change invalidates) stay in its own service.
// Every change runs in one transaction with its audit entry; on a versioned resource it honours If-Match and bumps
// `version`, and a row changed meanwhile (its version guard fails) answers 412.
import type { Prisma, PrismaClient } from '@takt/db';
import { auditChange, type ChangeContext } from '../audit/audit.service.ts';
import { inTransaction, type Db, type DbConflict } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { assertVersion, type Versioned } from '../http/precondition.ts';

/** What the generic use cases read of a row; `version` on versioned resources, `archivedAt` on archivable ones. */
export type ResourceRow = { id: string; version?: number; archivedAt?: Date | null };

/** JSON the audit log keeps (DTOs are plain JSON: what the API answered is what the log keeps). */
export type AuditJson = Prisma.InputJsonValue;

/** A change to another entity that follows from an update, audited in the same transaction. */
export type RelatedChange = {
  entityType: string;
  entityId: string;
  action: string;
  before: AuditJson;
  after: AuditJson;
};

export type Resource<TRow extends ResourceRow, TDto, TCreate = never, TUpdate = never> = {
  /** `entityType` in the audit log and prefix of its actions (`site` → `site.created`). */
  entityType: string;
  /** Shown to users, capitalised: `Site`, `Downtime reason`. */
  label: string;
  toDto(row: TRow): TDto;
  /** What the audit log keeps of an item (default: its DTO). */
  toAudit?(dto: TDto): AuditJson;
  find(db: Db, id: string): Promise<TRow | null>;
  /** Reads the row a change starts from, locking it where concurrent changes must queue (default: `find`). */
  findForChange?(tx: Db, id: string): Promise<TRow | null>;
  /** Checks the resource's rules and inserts. */
  create?(tx: Db, input: TCreate): Promise<TRow>;
  /** Checks the resource's rules and writes `input` over `current` (version-guarded, bumps the version). */
  update?(tx: Db, current: TRow, input: TUpdate): Promise<TRow>;
  /** Changes the update caused elsewhere (machine paths below a renamed code), audited with it. */
  afterUpdate?(tx: Db, before: TRow, after: TRow): Promise<RelatedChange[]>;
  setArchivedAt?(tx: Db, current: TRow, archivedAt: Date | null): Promise<TRow>;
  /** Throws 409 when something keeps the item from being deleted. */
  assertDeletable?(tx: Db, row: TRow): Promise<void>;
  /** What the audit log keeps of a deleted item (default: `toAudit` of its DTO). */
  deletedAudit?(tx: Db, row: TRow): Promise<AuditJson>;
  remove?(tx: Db, row: TRow): Promise<unknown>;
  /** A specific answer to a database conflict of a write of `input` (e.g. 409 naming the duplicate code). */
  onConflict?(conflict: DbConflict, input: TCreate | TUpdate | undefined): AppError | undefined;
};

/** What a change needs: the database, and who changes what in which request. */
export type ChangeOptions = { prisma: PrismaClient; change: ChangeContext };

/** A resource whose inputs do not matter to the use case (its hooks take them as methods, checked where defined). */
type AnyResource<TRow extends ResourceRow, TDto> = Resource<TRow, TDto, unknown, unknown>;

/** The answer of a row: its DTO with its version. */
export function versioned<TRow extends ResourceRow, TDto>(
  resource: AnyResource<TRow, TDto>,
  row: TRow,
): Versioned<TDto> {
  return { item: resource.toDto(row), version: row.version ?? null };
}

/** What the audit log keeps of a row. */
export function auditView<TRow extends ResourceRow, TDto>(resource: AnyResource<TRow, TDto>, row: TRow): AuditJson {
  const dto = resource.toDto(row);
  return resource.toAudit?.(dto) ?? (dto as AuditJson);
}

function notFound(resource: { label: string }, id: string): AppError {
  return new AppError('NOT_FOUND', `${resource.label} not found`, {
    detail: `No ${resource.label.toLowerCase()} ${id}.`,
  });
}

/** A write that found its row moments ago and then missed it raced another change: 412, as a stale If-Match. */
function changedMeanwhile(resource: { label: string }): AppError {
  return new AppError('PRECONDITION_FAILED', 'Changed by someone else', {
    detail: `The ${resource.label.toLowerCase()} was changed or removed meanwhile: reload it and apply your change again.`,
  });
}

/**
 * The answer to a conflict of a write of `input`: the resource's own, else 412 when a versioned row the write found
 * moments ago was missed by its version guard (changed meanwhile), else the transaction's default.
 */
function conflictAnswer<TRow extends ResourceRow, TDto>(
  resource: AnyResource<TRow, TDto>,
  input: unknown,
  isVersioned: () => boolean,
): (conflict: DbConflict) => AppError | undefined {
  return (conflict) =>
    resource.onConflict?.(conflict, input) ??
    (conflict.kind === 'not-found' && isVersioned() ? changedMeanwhile(resource) : undefined);
}

/** Audits `<entityType>.<verb>` of one item with its before/after views. */
async function auditItem<TRow extends ResourceRow, TDto>(
  tx: Db,
  change: ChangeContext,
  resource: AnyResource<TRow, TDto>,
  verb: string,
  entityId: string,
  views: { before?: AuditJson; after?: AuditJson },
): Promise<void> {
  await auditChange(tx, change, {
    action: `${resource.entityType}.${verb}`,
    entityType: resource.entityType,
    entityId,
    ...views,
  });
}

/** One item with its version, or 404. */
export async function getResource<TRow extends ResourceRow, TDto>(
  resource: AnyResource<TRow, TDto>,
  prisma: PrismaClient,
  id: string,
): Promise<Versioned<TDto>> {
  const row = await resource.find(prisma, id);
  if (row === null) throw notFound(resource, id);
  return versioned(resource, row);
}

/**
 * One audited change of an item: reads it for the change (404 when it does not exist), checks If-Match, and lets
 * `apply` write and audit in the same transaction (`auditChange`).
 */
export async function changeResource<TRow extends ResourceRow, TDto, TResult>(
  resource: AnyResource<TRow, TDto>,
  options: ChangeOptions & { id: string; expectedVersion: number | undefined; input?: unknown },
  apply: (tx: Db, current: TRow) => Promise<TResult>,
): Promise<TResult> {
  let isVersioned = false;
  return inTransaction(
    options.prisma,
    async (tx) => {
      const current = await (resource.findForChange ?? resource.find)(tx, options.id);
      if (current === null) throw notFound(resource, options.id);
      if (current.version !== undefined) {
        isVersioned = true;
        assertVersion(options.expectedVersion, current.version, resource.label.toLowerCase());
      }
      return apply(tx, current);
    },
    { onConflict: conflictAnswer(resource, options.input, () => isVersioned) },
  );
}

/** Creates an item and audits `<type>.created`. */
export async function createResource<TRow extends ResourceRow, TDto, TCreate>(
  resource: Resource<TRow, TDto, TCreate, unknown>,
  options: ChangeOptions & { input: TCreate },
): Promise<Versioned<TDto>> {
  const create = required(resource, 'create', resource.create);
  return inTransaction(
    options.prisma,
    async (tx) => {
      const row = await create(tx, options.input);
      await auditItem(tx, options.change, resource, 'created', row.id, { after: auditView(resource, row) });
      return versioned(resource, row);
    },
    { onConflict: conflictAnswer(resource, options.input, () => false) },
  );
}

/** Applies an update (If-Match checked) and audits `<type>.updated` with before/after, and what it caused. */
export async function updateResource<TRow extends ResourceRow, TDto, TUpdate>(
  resource: Resource<TRow, TDto, never, TUpdate>,
  options: ChangeOptions & { id: string; input: TUpdate; expectedVersion: number | undefined },
): Promise<Versioned<TDto>> {
  const update = required(resource, 'update', resource.update);
  return changeResource(resource, options, async (tx, current) => {
    const row = await update(tx, current, options.input);
    await auditItem(tx, options.change, resource, 'updated', row.id, {
      before: auditView(resource, current),
      after: auditView(resource, row),
    });
    for (const related of (await resource.afterUpdate?.(tx, current, row)) ?? []) {
      await auditChange(tx, options.change, related);
    }
    return versioned(resource, row);
  });
}

/** Sets or clears `archivedAt` (nothing to do when already so) and audits `<type>.archived` / `.unarchived`. */
export async function setResourceArchived<TRow extends ResourceRow, TDto>(
  resource: AnyResource<TRow, TDto>,
  options: ChangeOptions & { id: string; isArchived: boolean; expectedVersion: number | undefined },
): Promise<Versioned<TDto>> {
  const setArchivedAt = required(resource, 'archive', resource.setArchivedAt);
  return changeResource(resource, options, async (tx, current) => {
    if ((current.archivedAt != null) === options.isArchived) return versioned(resource, current);
    const row = await setArchivedAt(tx, current, options.isArchived ? new Date() : null);
    await auditItem(tx, options.change, resource, options.isArchived ? 'archived' : 'unarchived', row.id, {
      before: auditView(resource, current),
      after: auditView(resource, row),
    });
    return versioned(resource, row);
  });
}

/** Deletes an item nothing keeps (`assertDeletable` answers 409 otherwise) and audits `<type>.deleted`. */
export async function deleteResource<TRow extends ResourceRow, TDto>(
  resource: AnyResource<TRow, TDto>,
  options: ChangeOptions & { id: string; expectedVersion: number | undefined },
): Promise<void> {
  const remove = required(resource, 'delete', resource.remove);
  await changeResource(resource, options, async (tx, current) => {
    await resource.assertDeletable?.(tx, current);
    const before = (await resource.deletedAudit?.(tx, current)) ?? auditView(resource, current);
    await remove(tx, current);
    await auditItem(tx, options.change, resource, 'deleted', current.id, { before });
  });
}

/** 400 for a body field naming an item that does not exist. */
export function unknownReference(field: string, label: string, id: string): AppError {
  return new AppError('BAD_REQUEST', `Unknown ${label.toLowerCase()}`, {
    detail: `No ${label.toLowerCase()} ${id}.`,
    errors: [{ path: `body.${field}`, message: `No such ${label.toLowerCase()}` }],
  });
}

/** 409 for a body field naming an archived item (a new machine on an archived line, an order for one). */
export function archivedReference(field: string, label: string, code: string): AppError {
  return new AppError('CONFLICT', `${label} is archived`, {
    detail: `${label} "${code}" is archived: unarchive it first, or choose another.`,
    errors: [{ path: `body.${field}`, message: `${label} is archived` }],
  });
}

function required<T>(resource: { label: string }, operation: string, hook: T | undefined): T {
  if (hook === undefined) throw new Error(`${resource.label} has no ${operation} operation`);
  return hook;
}
