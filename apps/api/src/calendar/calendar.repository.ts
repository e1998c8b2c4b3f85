// Data access of shift patterns (with shifts and breaks) and scheduled planned downtime.
import type { Prisma } from '@takt/db';
import type { TShiftInput } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';

const PATTERN_INCLUDE = {
  shifts: {
    orderBy: [{ startMinute: 'asc' }, { code: 'asc' }],
    include: { breaks: { orderBy: { offsetMin: 'asc' } } },
  },
} as const satisfies Prisma.ShiftPatternInclude;

export type ShiftPatternRow = Prisma.ShiftPatternGetPayload<{ include: typeof PATTERN_INCLUDE }>;

export function findSite(db: Db, id: string) {
  return db.site.findUnique({ where: { id }, select: { id: true, code: true, timeZone: true } });
}

export function findShiftPattern(db: Db, id: string): Promise<ShiftPatternRow | null> {
  return db.shiftPattern.findUnique({ where: { id }, include: PATTERN_INCLUDE });
}

export function listShiftPatterns(
  db: Db,
  options: { siteId?: string; limit: number; after?: { code: string; id: string } },
): Promise<ShiftPatternRow[]> {
  const { after } = options;
  return db.shiftPattern.findMany({
    where: {
      siteId: options.siteId,
      ...(after === undefined
        ? {}
        : { OR: [{ code: { gt: after.code } }, { code: after.code, id: { gt: after.id } }] }),
    },
    include: PATTERN_INCLUDE,
    orderBy: [{ code: 'asc' }, { id: 'asc' }],
    take: options.limit + 1,
  });
}

function shiftsCreateInput(shifts: readonly TShiftInput[]) {
  return shifts.map((s) => ({
    code: s.code,
    name: s.name,
    startMinute: s.startMinute,
    durationMin: s.durationMin,
    weekdays: [...s.weekdays],
    breaks: { create: s.breaks.map((b) => ({ name: b.name, offsetMin: b.offsetMin, durationMin: b.durationMin })) },
  }));
}

export function createShiftPattern(
  db: Db,
  data: { siteId: string; code: string; name: string; shifts: readonly TShiftInput[] },
): Promise<ShiftPatternRow> {
  return db.shiftPattern.create({
    data: { siteId: data.siteId, code: data.code, name: data.name, shifts: { create: shiftsCreateInput(data.shifts) } },
    include: PATTERN_INCLUDE,
  });
}

/**
 * Updates the pattern if nobody changed it meanwhile (version guard) and bumps its version; `shifts`, when given,
 * replaces every shift (breaks cascade).
 */
export async function updateShiftPattern(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; shifts?: readonly TShiftInput[] },
): Promise<ShiftPatternRow> {
  if (data.shifts !== undefined) await db.shift.deleteMany({ where: { patternId: current.id } });
  return db.shiftPattern.update({
    where: { id: current.id, version: current.version },
    data: {
      code: data.code,
      name: data.name,
      version: { increment: 1 },
      ...(data.shifts === undefined ? {} : { shifts: { create: shiftsCreateInput(data.shifts) } }),
    },
    include: PATTERN_INCLUDE,
  });
}

export async function deleteShiftPattern(db: Db, id: string): Promise<void> {
  await db.shiftPattern.delete({ where: { id } });
}

/** Lines that use the pattern, with their `site/area/line` path. */
export async function linesUsingPattern(db: Db, patternId: string): Promise<{ id: string; path: string }[]> {
  const lines = await db.line.findMany({
    where: { shiftPatternId: patternId },
    select: { id: true, code: true, area: { select: { code: true, site: { select: { code: true } } } } },
    orderBy: { code: 'asc' },
  });
  return lines.map((l) => ({ id: l.id, path: `${l.area.site.code}/${l.area.code}/${l.code}` }));
}

// ---------------------------------------------------------------- planned downtime

export type PlannedDowntimeRow = Prisma.PlannedDowntimeGetPayload<object>;

export function listPlannedDowntime(
  db: Db,
  options: {
    lineId?: string;
    machineId?: string;
    from?: Date;
    to?: Date;
    limit: number;
    after?: { startsAt: Date; id: string };
  },
): Promise<PlannedDowntimeRow[]> {
  const { after } = options;
  return db.plannedDowntime.findMany({
    where: {
      ...(options.lineId === undefined ? {} : { lineId: options.lineId }),
      ...(options.machineId === undefined ? {} : { machineId: options.machineId }),
      // Half-open windows overlap [from, to) when they end after `from` and start before `to`.
      ...(options.from === undefined ? {} : { endsAt: { gt: options.from } }),
      ...(options.to === undefined ? {} : { startsAt: { lt: options.to } }),
      ...(after === undefined
        ? {}
        : { OR: [{ startsAt: { gt: after.startsAt } }, { startsAt: after.startsAt, id: { gt: after.id } }] }),
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: options.limit + 1,
  });
}

export function findPlannedDowntime(db: Db, id: string): Promise<PlannedDowntimeRow | null> {
  return db.plannedDowntime.findUnique({ where: { id } });
}

export type PlannedDowntimeData = {
  lineId: string | null;
  machineId: string | null;
  reasonId: string | null;
  startsAt: Date;
  endsAt: Date;
  note: string | null;
};

export function createPlannedDowntime(db: Db, data: PlannedDowntimeData): Promise<PlannedDowntimeRow> {
  return db.plannedDowntime.create({ data });
}

export function updatePlannedDowntime(db: Db, id: string, data: PlannedDowntimeData): Promise<PlannedDowntimeRow> {
  return db.plannedDowntime.update({ where: { id }, data });
}

export async function deletePlannedDowntime(db: Db, id: string): Promise<void> {
  await db.plannedDowntime.delete({ where: { id } });
}

export async function lineExists(db: Db, id: string): Promise<boolean> {
  return (await db.line.count({ where: { id } })) > 0;
}

export async function machineExists(db: Db, id: string): Promise<boolean> {
  return (await db.machine.count({ where: { id } })) > 0;
}

export function findReasonForDowntime(db: Db, id: string) {
  return db.downtimeReason.findUnique({
    where: { id },
    select: { id: true, code: true, kind: true, parentId: true, archivedAt: true },
  });
}
