// Shift patterns of a site, edited as one document: the pattern with all its shifts and their breaks. Shifts
// must not overlap in time; that is checked on concrete windows laid out in the site's time zone. A pattern applies
// to all history of the lines using it, so changing its shifts or breaks invalidates their KPI rollups.
import { expandShiftCalendar, type TShiftWindow } from '@takt/kpi';
import { invalidateRollups } from '@takt/kpi-sql';
import type { PrismaClient } from '@takt/db';
import {
  codeOrderCursor,
  type TFieldError,
  type TShiftInput,
  type TShiftPattern,
  type TShiftPatternCreateRequest,
  type TShiftPatternListQuery,
  type TShiftPatternUpdateRequest,
} from '@takt/contracts';
import type { Resource } from '../crud/resource.service.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import * as repo from './calendar.repository.ts';

// A representative stretch of a weekly pattern: 15 days from 2026-01-05 (no zone changes its UTC offset in
// it) hold two full local weeks in any zone, so every pair of neighbouring shifts meets in it, including
// Sunday's night shift running into Monday's first shift.
const REPRESENTATIVE_FROM_MS = Date.UTC(2026, 0, 5, 12);
const REPRESENTATIVE_TO_MS = REPRESENTATIVE_FROM_MS + 15 * 86_400_000;

function toDto(row: repo.ShiftPatternRow): TShiftPattern {
  return {
    id: row.id,
    siteId: row.siteId,
    code: row.code,
    name: row.name,
    version: row.version,
    shifts: row.shifts.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      startMinute: s.startMinute,
      durationMin: s.durationMin,
      weekdays: [...s.weekdays].sort((a, b) => a - b),
      breaks: s.breaks.map((b) => ({ id: b.id, name: b.name, offsetMin: b.offsetMin, durationMin: b.durationMin })),
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// What the planned-time calendar of a pattern depends on (not names or codes): equal keys, equal KPI figures.
function calendarKey(row: repo.ShiftPatternRow): string {
  const shifts = row.shifts.map((s) => [
    s.startMinute,
    s.durationMin,
    [...s.weekdays].sort((a, b) => a - b),
    s.breaks.map((b) => [b.offsetMin, b.durationMin]).sort((a, b) => String(a).localeCompare(String(b))),
  ]);
  return JSON.stringify(shifts.map((s) => JSON.stringify(s)).sort());
}

function formatLocal(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

function describeWindow(window: TShiftWindow, timeZone: string): string {
  return `${formatLocal(window.startMs, timeZone)}–${formatLocal(window.endMs, timeZone)}`;
}

/** Field errors for every pair of shifts whose concrete windows overlap in a representative week. */
export function findShiftOverlaps(shifts: readonly TShiftInput[], timeZone: string): TFieldError[] {
  let windows: TShiftWindow[];
  try {
    windows = expandShiftCalendar({
      shifts,
      timeZone,
      fromMs: REPRESENTATIVE_FROM_MS,
      toMs: REPRESENTATIVE_TO_MS,
    });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new AppError('CONFLICT', 'Site time zone invalid', {
        detail: `The site's time zone "${timeZone}" is not a known IANA zone; fix the site first.`,
      });
    }
    throw error;
  }
  const indexOf = new Map(shifts.map((s, index) => [s.code, index]));
  const reported = new Set<string>();
  const errors: TFieldError[] = [];
  windows.forEach((current, i) => {
    for (let j = i + 1; j < windows.length && windows[j]!.startMs < current.endMs; j++) {
      const next = windows[j]!;
      const pair = [current.shiftCode, next.shiftCode].sort().join('\u0000');
      if (reported.has(pair)) continue;
      reported.add(pair);
      const a = indexOf.get(current.shiftCode) ?? 0;
      const b = indexOf.get(next.shiftCode) ?? 0;
      const [first, later] = a <= b ? [current, next] : [next, current];
      errors.push({
        path: `body.shifts.${Math.max(a, b)}`,
        message:
          `Shift "${later.shiftCode}" (${describeWindow(later, timeZone)}) overlaps shift "${first.shiftCode}" ` +
          `(${describeWindow(first, timeZone)}) in ${timeZone}`,
      });
    }
  });
  return errors;
}

function assertNoOverlaps(shifts: readonly TShiftInput[], timeZone: string): void {
  const errors = findShiftOverlaps(shifts, timeZone);
  if (errors.length > 0) {
    throw new AppError('BAD_REQUEST', 'Overlapping shifts', {
      detail: 'Shifts of one pattern must not overlap in time.',
      errors,
    });
  }
}

function duplicateCode(code: string): AppError {
  return new AppError('CONFLICT', 'Code already used', {
    detail: `The site already has a shift pattern with code "${code}".`,
    errors: [{ path: 'body.code', message: 'Already used in this site' }],
  });
}

/** One page of shift patterns, optionally of one site, ordered by code. */
export async function listShiftPatterns(options: {
  prisma: PrismaClient;
  query: TShiftPatternListQuery;
}): Promise<Page<TShiftPattern>> {
  const { limit, cursor, siteId } = options.query;
  const after = cursor === undefined ? undefined : { code: cursor[0], id: cursor[1] };
  const rows = await repo.listShiftPatterns(options.prisma, { siteId, limit, after });
  return toPage(rows, limit, toDto, (row) => codeOrderCursor.encode([row.code, row.id]));
}

/**
 * A pattern of a site with all its shifts and breaks, edited as one document: overlapping shifts are rejected, a
 * pattern a line uses is not deleted, and a change of its calendar invalidates the KPI rollups of those lines.
 */
export const shiftPatternResource: Resource<
  repo.ShiftPatternRow,
  TShiftPattern,
  TShiftPatternCreateRequest,
  TShiftPatternUpdateRequest
> = {
  entityType: 'shift-pattern',
  label: 'Shift pattern',
  toDto,
  find: repo.findShiftPattern,
  async create(tx, body) {
    const site = await repo.findSite(tx, body.siteId);
    if (site === null) {
      throw new AppError('BAD_REQUEST', 'Unknown site', {
        errors: [{ path: 'body.siteId', message: `No site ${body.siteId}` }],
      });
    }
    assertNoOverlaps(body.shifts, site.timeZone);
    return repo.createShiftPattern(tx, body);
  },
  async update(tx, before, body) {
    if (body.shifts !== undefined) {
      const site = await repo.findSite(tx, before.siteId);
      assertNoOverlaps(body.shifts, site?.timeZone ?? 'UTC');
    }
    const row = await repo.updateShiftPattern(tx, before, body);
    if (calendarKey(row) !== calendarKey(before)) {
      await invalidateRollups({ prisma: tx, changes: [{ shiftPatternIds: [row.id] }] });
    }
    return row;
  },
  async assertDeletable(tx, row) {
    const lines = await repo.linesUsingPattern(tx, row.id);
    if (lines.length > 0) {
      throw new AppError('CONFLICT', 'Shift pattern in use', {
        detail: `Assigned to line(s) ${lines.map((l) => l.path).join(', ')}: assign them another pattern first.`,
      });
    }
  },
  remove: (tx, row) => repo.deleteShiftPattern(tx, row.id),
  onConflict: (conflict, body) => (conflict.kind === 'unique' ? duplicateCode(body?.code ?? '') : undefined),
};
