// Scheduled planned downtime (maintenance, meetings) of a whole line or one machine; it overrides what the
// machine reports for planned-time purposes (docs/domain.md "Machine states"), so every change invalidates the KPI rollups
// of its window (before and after the change).
import type { PrismaClient } from '@takt/db';
import { invalidateRollups, type TRollupChange } from '@takt/kpi-sql';
import {
  instantOrderCursor,
  type TFieldError,
  type TPlannedDowntime,
  type TPlannedDowntimeCreateRequest,
  type TPlannedDowntimeListQuery,
  type TPlannedDowntimeUpdateRequest,
} from '@takt/contracts';
import type { Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import * as repo from './calendar.repository.ts';

function toDto(row: repo.PlannedDowntimeRow): TPlannedDowntime {
  return {
    id: row.id,
    lineId: row.lineId,
    machineId: row.machineId,
    reasonId: row.reasonId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

// The machines and hours a planned downtime reaches.
function rollupChangeOf(data: repo.PlannedDowntimeData): TRollupChange {
  return {
    ...(data.machineId !== null
      ? { machineIds: [data.machineId] }
      : { lineIds: data.lineId === null ? [] : [data.lineId] }),
    fromMs: data.startsAt.getTime(),
    toMs: data.endsAt.getTime(),
  };
}

function isSameWindow(a: repo.PlannedDowntimeData, b: repo.PlannedDowntimeData): boolean {
  return (
    a.lineId === b.lineId &&
    a.machineId === b.machineId &&
    a.startsAt.getTime() === b.startsAt.getTime() &&
    a.endsAt.getTime() === b.endsAt.getTime()
  );
}

/** Checks the merged record: exactly one target that exists, end after start, a PLANNED reason. */
async function assertValid(db: Db, data: repo.PlannedDowntimeData): Promise<void> {
  const errors: TFieldError[] = [];
  if ((data.lineId === null) === (data.machineId === null)) {
    errors.push({ path: 'body.lineId', message: 'Give exactly one of lineId and machineId' });
  } else if (data.lineId !== null && !(await repo.lineExists(db, data.lineId))) {
    errors.push({ path: 'body.lineId', message: `No line ${data.lineId}` });
  } else if (data.machineId !== null && !(await repo.machineExists(db, data.machineId))) {
    errors.push({ path: 'body.machineId', message: `No machine ${data.machineId}` });
  }
  if (data.endsAt.getTime() <= data.startsAt.getTime()) {
    errors.push({ path: 'body.endsAt', message: 'endsAt must be after startsAt' });
  }
  if (data.reasonId !== null) {
    const reason = await repo.findReasonForDowntime(db, data.reasonId);
    if (reason === null) errors.push({ path: 'body.reasonId', message: `No downtime reason ${data.reasonId}` });
    else if (reason.parentId === null) {
      errors.push({ path: 'body.reasonId', message: `"${reason.code}" is a category; choose one of its reasons` });
    } else if (reason.kind !== 'PLANNED') {
      errors.push({ path: 'body.reasonId', message: `"${reason.code}" is an UNPLANNED reason; choose a PLANNED one` });
    } else if (reason.archivedAt !== null) {
      errors.push({ path: 'body.reasonId', message: `"${reason.code}" is archived` });
    }
  }
  if (errors.length > 0) {
    throw new AppError('BAD_REQUEST', 'Invalid planned downtime', { detail: errors[0]!.message, errors });
  }
}

/** One page of planned downtime overlapping [from, to), optionally of one line or machine, by start. */
export async function listPlannedDowntime(options: {
  prisma: PrismaClient;
  query: TPlannedDowntimeListQuery;
}): Promise<Page<TPlannedDowntime>> {
  const { limit, cursor, lineId, machineId, from, to } = options.query;
  const rows = await repo.listPlannedDowntime(options.prisma, {
    lineId,
    machineId,
    from: from === undefined ? undefined : new Date(from),
    to: to === undefined ? undefined : new Date(to),
    limit,
    after: cursor === undefined ? undefined : { startsAt: cursor[0], id: cursor[1] },
  });
  return toPage(rows, limit, toDto, (row) => instantOrderCursor.encode([row.startsAt, row.id]));
}

/** What an update writes: the request merged over the stored record. */
function mergedData(body: TPlannedDowntimeUpdateRequest, before: repo.PlannedDowntimeData): repo.PlannedDowntimeData {
  // Moving to a line clears the machine and vice versa, so a client need not send both.
  const lineId = body.lineId !== undefined ? body.lineId : body.machineId != null ? null : before.lineId;
  const machineId = body.machineId !== undefined ? body.machineId : body.lineId != null ? null : before.machineId;
  return {
    lineId,
    machineId,
    reasonId: body.reasonId !== undefined ? body.reasonId : before.reasonId,
    startsAt: body.startsAt !== undefined ? new Date(body.startsAt) : before.startsAt,
    endsAt: body.endsAt !== undefined ? new Date(body.endsAt) : before.endsAt,
    note: body.note !== undefined ? body.note : before.note,
  };
}

/**
 * Scheduled planned downtime of a line or a machine (unversioned: no If-Match): absent fields of an update keep
 * their value, `null` clears an optional one; every change invalidates the KPI rollups of its window.
 */
export const plannedDowntimeResource: Resource<
  repo.PlannedDowntimeRow,
  TPlannedDowntime,
  TPlannedDowntimeCreateRequest,
  TPlannedDowntimeUpdateRequest
> = {
  entityType: 'planned-downtime',
  label: 'Planned downtime',
  toDto,
  find: repo.findPlannedDowntime,
  async create(tx, body) {
    const data: repo.PlannedDowntimeData = {
      lineId: body.lineId ?? null,
      machineId: body.machineId ?? null,
      reasonId: body.reasonId ?? null,
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      note: body.note ?? null,
    };
    await assertValid(tx, data);
    const row = await repo.createPlannedDowntime(tx, data);
    await invalidateRollups({ prisma: tx, changes: [rollupChangeOf(data)] });
    return row;
  },
  async update(tx, before, body) {
    const data = mergedData(body, before);
    await assertValid(tx, data);
    const row = await repo.updatePlannedDowntime(tx, before.id, data);
    if (!isSameWindow(before, data)) {
      await invalidateRollups({ prisma: tx, changes: [rollupChangeOf(before), rollupChangeOf(data)] });
    }
    return row;
  },
  async remove(tx, row) {
    await repo.deletePlannedDowntime(tx, row.id);
    await invalidateRollups({ prisma: tx, changes: [rollupChangeOf(row)] });
  },
};
