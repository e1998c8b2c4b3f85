// Rules every plant resource (site, area, line, machine, product) shares, used by their descriptions for the CRUD
// template (crud/resource.service.ts): keyset pages ordered by code, what keeps an item from being deleted, the
// answers for duplicate codes, and machine paths below a renamed code.
import { codeOrderCursor, type TFieldError } from '@takt/contracts';
import type { RelatedChange } from '../crud/resource.service.ts';
import type { Db, DbConflict } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import { recomputeMachinePaths, type Keyset } from './plant.repository.ts';

/** A page of a plant list ordered by code: `read` gets the keyset its cursor names and reads one row extra. */
export async function plantPage<TRow extends { code: string; id: string }, TDto>(
  query: { limit: number; cursor?: [string, string] | undefined },
  read: (keyset: Keyset) => Promise<TRow[]>,
  toDto: (row: TRow) => TDto,
): Promise<Page<TDto>> {
  const keyset: Keyset =
    query.cursor === undefined
      ? { limit: query.limit }
      : { limit: query.limit, after: { code: query.cursor[0], id: query.cursor[1] } };
  return toPage(await read(keyset), keyset.limit, toDto, (row) => codeOrderCursor.encode([row.code, row.id]));
}

/** What keeps an item from being deleted: child items (delete those first) or history (archive instead). */
export type DeleteBlockers = { children: TFieldError[]; history: TFieldError[] };

/**
 * 409 naming the children to delete first, or the history that makes archiving the only way out (intervals and
 * counts must keep pointing at their machine or product).
 */
export function assertNoBlockers(label: string, row: { id: string; code: string }, blockers: DeleteBlockers): void {
  const name = `${label} "${row.code}"`;
  if (blockers.history.length > 0) {
    throw new AppError('CONFLICT', 'Has history: archive instead', {
      detail: `${name} has ${blockers.history.map((b) => b.message).join(' and ')}; archive it (POST …/${row.id}/archive) instead of deleting it.`,
      errors: blockers.history,
    });
  }
  if (blockers.children.length > 0) {
    throw new AppError('CONFLICT', 'Still referenced', {
      detail: `${name} still has ${blockers.children.map((b) => b.message).join(' and ')}.`,
      errors: blockers.children,
    });
  }
}

/** `n things` for a blocker message, or nothing when n is 0. */
export function blocker(path: string, count: number, singular: string, plural = `${singular}s`): TFieldError[] {
  return count === 0 ? [] : [{ path, message: `${count} ${count === 1 ? singular : plural}` }];
}

/** 409 for a code that another item already uses in the same scope. */
export function duplicateCode(label: string, code: string, scope: string): AppError {
  return new AppError('CONFLICT', 'Code already in use', {
    detail: `${label} code "${code}" is already in use ${scope}.`,
    errors: [{ path: 'body.code', message: 'Already in use' }],
  });
}

/** A code taken by a concurrent write past the service's own check: 409, as the check would have answered. */
export function onCodeConflict(conflict: DbConflict): AppError | undefined {
  return conflict.kind === 'unique'
    ? new AppError('CONFLICT', 'Code already in use', {
        detail: 'Another item already uses this code at this place in the plant.',
      })
    : undefined;
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
