// Work orders (docs/domain.md "Work orders"): create, edit and delete while planned, the lifecycle transitions
// (checked by the lifecycle in @takt/contracts), dispatch to a line, manual count adjustments, and the reads with
// their progress figures. Every change runs in one transaction that locks the order row, checks If-Match,
// writes the order, its work_order_transition row (status changes and dispatch), the audit entry and a
// `work-order` live event, so that the stream and the log never disagree with the table.
//
// One running order per line: an order holds its line while IN_PROGRESS or PAUSED. Entering IN_PROGRESS
// (start, resume) locks the line row (SELECT … FOR UPDATE) and refuses with 409 when another order holds
// the line; the lock serialises concurrent starts, so the check cannot be raced. The partial unique index
// work_order_one_running_per_line is the database's backstop against any other writer; the repository turns
// a violation of it into the same 409.
//
// How an order's output is counted (at read time, from production_count and the transition history):
// - Run windows: from the transition history, each IN_PROGRESS stretch until the next transition (or now).
//   runTimeSec is their sum.
// - If any production_count rows are tagged with the order (work_order_id, set by the ingest when a machine
//   reports its work-order signal), the order's rows are exactly those, wherever and whenever they were
//   counted: the machine's word wins over our windows.
// - Otherwise the rows are the untagged ones of the order's line's machines whose bucket starts inside a run
//   window (a count bucket that straddles a start or pause belongs to the order running at its start, so
//   consecutive orders on a line never share a bucket).
// - Good = the good count of the output machine: the most downstream machine (highest `sequence`, then
//   code) among the tagged machines, or the line's last machine (not archived before the first start).
//   Upstream machines' good parts are work in progress, not output. Scrap = the rejects of all the rows:
//   a part rejected anywhere on the line is scrap of the order.
// - Manual adjustments (POST …/adjustments) are signed deltas with a reason, one work_order_adjustment row
//   each (who, when, why; GET …/adjustments lists them). That table is the ledger the figures sum; the
//   `work-order.adjusted` audit entry written in the same transaction records the change, as for every
//   change, and is never read back as data. The answered totals are counted + adjustments, never below 0.
// - work_order.good_count / scrap_count hold a snapshot of those totals, refreshed by every write of the
//   order (so a completed order's row carries its final figures for SQL reports); reads compute live.
import {
  instantOrderCursor,
  type TWorkOrder,
  type TWorkOrderAction,
  type TWorkOrderAdjustmentList,
  type TWorkOrderAdjustmentRequest,
  type TWorkOrderCreate,
  type TWorkOrderListQuery,
  type TWorkOrderTransitionList,
  type TWorkOrderUpdate,
} from '@takt/contracts';
import type { Prisma, PrismaClient } from '@takt/db';
import { auditChange } from '../audit/audit.service.ts';
import { archivedReference, unknownReference, type ChangeOptions } from '../crud/resource.service.ts';
import { inTransaction, type Db, type DbConflict } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import { assertVersion, type Versioned } from '../http/precondition.ts';
import { computeProduction, totalCounts } from './work-order-progress.ts';
import {
  canAdjustWorkOrderCounts as canAdjust,
  canDeleteWorkOrder as canDelete,
  canEditWorkOrderPlan as canEdit,
  checkTransition,
  LINE_HOLDING_STATUSES,
  WORK_ORDER_ACTION_PAST_TENSE as TRANSITION_AUDIT_VERB,
} from '@takt/contracts';
import * as repo from './work-order.repository.ts';

const AUDIT_ENTITY_TYPE = 'work-order';

/** A work order as the API answers it, with the version its ETag carries. */
type VersionedWorkOrder = Versioned<TWorkOrder>;

/** The partial unique index (migration work_order_adjustments) behind "a line runs one order at a time". */
const ONE_RUNNING_PER_LINE_INDEX = 'work_order_one_running_per_line';

/** Database conflicts a race past the service's own checks can cause, as the checks would have answered them. */
function workOrderConflict(conflict: DbConflict): AppError | undefined {
  if (conflict.kind === 'unique' && conflict.constraint === ONE_RUNNING_PER_LINE_INDEX) {
    return new AppError('CONFLICT', 'Line is busy', {
      detail:
        'The line already runs another work order (IN_PROGRESS or PAUSED); a line runs one order at a time: ' +
        'complete or cancel that one first.',
    });
  }
  if (conflict.kind === 'unique') {
    return new AppError('CONFLICT', 'Number already in use', {
      detail: 'Another work order already has this number.',
      errors: [{ path: 'body.number', message: 'Already in use' }],
    });
  }
  if (conflict.kind === 'not-found') {
    return new AppError('PRECONDITION_FAILED', 'Changed by someone else', {
      detail: 'The work order was changed or removed meanwhile: reload it and apply your change again.',
    });
  }
  return undefined;
}

/** Runs one change of work orders in a transaction, its conflicts answered as the service's checks would. */
function inWorkOrderTransaction<T>(prisma: PrismaClient, work: (tx: Db) => Promise<T>): Promise<T> {
  return inTransaction(prisma, work, { onConflict: workOrderConflict });
}

const NO_OUTPUT: repo.WorkOrderOutput = {
  counted: { goodCount: 0, scrapCount: 0, source: 'none', outputMachineId: null, runTimeSec: 0 },
  adjustment: { goodCount: 0, scrapCount: 0 },
};

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

function toDto(row: repo.WorkOrderRow, output: repo.WorkOrderOutput | undefined, nowMs: number): TWorkOrder {
  return {
    id: row.id,
    number: row.number,
    productId: row.productId,
    lineId: row.lineId,
    status: row.status,
    targetQuantity: row.targetQuantity,
    dueAt: iso(row.dueAt),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
    production: computeProduction({
      status: row.status,
      targetQuantity: row.targetQuantity,
      counted: (output ?? NO_OUTPUT).counted,
      adjustment: (output ?? NO_OUTPUT).adjustment,
      nowMs,
    }),
  };
}

/** The stored fields, as the audit log keeps them (the production figures are derived, not changed). */
function toRecord(row: repo.WorkOrderRow) {
  return {
    id: row.id,
    number: row.number,
    productId: row.productId,
    lineId: row.lineId,
    status: row.status,
    targetQuantity: row.targetQuantity,
    dueAt: iso(row.dueAt),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    version: row.version,
  };
}

async function readOutput(db: Db, id: string, now: Date): Promise<repo.WorkOrderOutput> {
  return (await repo.readOutputs(db, [id], now)).get(id) ?? NO_OUTPUT;
}

/** The totals a write stores in good_count / scrap_count: the same figures the API answers. */
function totalsOf(output: repo.WorkOrderOutput): { goodCount: number; scrapCount: number } {
  return totalCounts(output.counted, output.adjustment);
}

function answer(row: repo.WorkOrderRow, output: repo.WorkOrderOutput, now: Date): VersionedWorkOrder {
  return { item: toDto(row, output, now.getTime()), version: row.version };
}

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'Work order not found', { detail: `No work order ${id}.` });
}

async function lockOrThrow(tx: Db, id: string, expectedVersion: number | undefined): Promise<repo.WorkOrderRow> {
  const row = await repo.lockWorkOrder(tx, id);
  if (row === null) throw notFound(id);
  assertVersion(expectedVersion, row.version, 'work order');
  return row;
}

function wrongStatus(row: repo.WorkOrderRow, what: string, allowed: string): AppError {
  return new AppError('CONFLICT', 'Not allowed in this status', {
    detail: `Work order ${row.number} is ${row.status}: ${what} only while it is ${allowed}.`,
  });
}

function duplicateNumber(number: string): AppError {
  return new AppError('CONFLICT', 'Number already in use', {
    detail: `Work order number "${number}" is already in use.`,
    errors: [{ path: 'body.number', message: 'Already in use' }],
  });
}

async function assertNumberFree(tx: Db, number: string): Promise<void> {
  if ((await repo.findWorkOrderByNumber(tx, number)) !== null) throw duplicateNumber(number);
}

async function assertProduct(tx: Db, productId: string): Promise<void> {
  const product = await repo.findProduct(tx, productId);
  if (product === null) throw unknownReference('productId', 'Product', productId);
  if (product.archivedAt !== null) throw archivedReference('productId', 'Product', product.code);
}

async function audit(
  tx: Db,
  options: ChangeOptions,
  action: string,
  entityId: string,
  before: Prisma.InputJsonValue | null,
  after: Prisma.InputJsonValue | null,
): Promise<void> {
  await auditChange(tx, options.change, { action, entityType: AUDIT_ENTITY_TYPE, entityId, before, after });
}

/** The live event of a change, on the order's line; a dispatch away from a line tells that line too. */
async function publish(tx: Db, row: repo.WorkOrderRow, previousLineId: string | null = null): Promise<void> {
  const lineIds =
    previousLineId !== null && previousLineId !== row.lineId ? [row.lineId, previousLineId] : [row.lineId];
  await repo.appendWorkOrderEvents(tx, row, lineIds);
}

// ---------------------------------------------------------------- reads

/** One work order with its progress figures, or 404. */
export async function getWorkOrder(options: { prisma: PrismaClient; id: string }): Promise<VersionedWorkOrder> {
  const row = await repo.findWorkOrder(options.prisma, options.id);
  if (row === null) throw notFound(options.id);
  const now = new Date();
  return answer(row, await readOutput(options.prisma, row.id, now), now);
}

/** A page of work orders, newest first, filtered by status, line and product, with their progress figures. */
export async function listWorkOrders(options: {
  prisma: PrismaClient;
  query: TWorkOrderListQuery;
}): Promise<Page<TWorkOrder>> {
  const { prisma, query } = options;
  const before = query.cursor === undefined ? undefined : { createdAt: query.cursor[0], id: query.cursor[1] };
  const keyset: repo.Keyset = { limit: query.limit, before };
  const rows = await repo.listWorkOrders(
    prisma,
    { statuses: query.status, lineId: query.lineId, productId: query.productId },
    keyset,
  );
  const now = new Date();
  const outputs = await repo.readOutputs(
    prisma,
    rows.slice(0, keyset.limit).map((row) => row.id),
    now,
  );
  return toPage(
    rows,
    keyset.limit,
    (row) => toDto(row, outputs.get(row.id), now.getTime()),
    (row) => instantOrderCursor.encode([row.createdAt, row.id]),
  );
}

/** The status history of an order, oldest first. */
export async function listWorkOrderTransitions(options: {
  prisma: PrismaClient;
  id: string;
}): Promise<TWorkOrderTransitionList> {
  if ((await repo.findWorkOrder(options.prisma, options.id)) === null) throw notFound(options.id);
  const rows = await repo.listTransitions(options.prisma, options.id);
  return {
    items: rows.map((row) => ({
      id: row.id.toString(),
      fromStatus: row.fromStatus,
      toStatus: row.toStatus,
      at: row.at.toISOString(),
      actorId: row.actorId,
      actorLabel: row.actor?.username ?? null,
      note: row.note,
    })),
  };
}

/** The manual adjustments of an order, oldest first. */
export async function listWorkOrderAdjustments(options: {
  prisma: PrismaClient;
  id: string;
}): Promise<TWorkOrderAdjustmentList> {
  if ((await repo.findWorkOrder(options.prisma, options.id)) === null) throw notFound(options.id);
  const rows = await repo.listAdjustments(options.prisma, options.id);
  return {
    items: rows.map((row) => ({
      id: row.id.toString(),
      goodDelta: row.goodDelta,
      scrapDelta: row.scrapDelta,
      reason: row.reason,
      at: row.at.toISOString(),
      actorId: row.actorId,
      actorLabel: row.actor?.username ?? null,
    })),
  };
}

// ---------------------------------------------------------------- planning

/** Creates a DRAFT order (number unique → 409) and records its creation as the first transition. */
export async function createWorkOrder(
  options: ChangeOptions & { body: TWorkOrderCreate },
): Promise<VersionedWorkOrder> {
  const { body } = options;
  return inWorkOrderTransaction(options.prisma, async (tx) => {
    await assertNumberFree(tx, body.number);
    await assertProduct(tx, body.productId);
    const now = new Date();
    const row = await repo.createWorkOrder(tx, {
      number: body.number,
      productId: body.productId,
      targetQuantity: body.targetQuantity,
      dueAt: body.dueAt === undefined || body.dueAt === null ? null : new Date(body.dueAt),
    });
    await repo.insertTransition(tx, {
      workOrderId: row.id,
      fromStatus: null,
      toStatus: row.status,
      at: now,
      actorId: options.change.actor.userId,
      note: null,
    });
    await audit(tx, options, 'work-order.created', row.id, null, toRecord(row));
    await publish(tx, row);
    return answer(row, NO_OUTPUT, now);
  });
}

/** Changes number, product, target or due date while DRAFT or RELEASED; honours If-Match. */
export async function updateWorkOrder(
  options: ChangeOptions & { id: string; body: TWorkOrderUpdate; expectedVersion: number | undefined },
): Promise<VersionedWorkOrder> {
  const { body } = options;
  return inWorkOrderTransaction(options.prisma, async (tx) => {
    const current = await lockOrThrow(tx, options.id, options.expectedVersion);
    if (!canEdit(current.status)) throw wrongStatus(current, 'its plan can change', 'DRAFT or RELEASED');
    if (body.number !== undefined && body.number !== current.number) await assertNumberFree(tx, body.number);
    if (body.productId !== undefined && body.productId !== current.productId) await assertProduct(tx, body.productId);
    const now = new Date();
    const output = await readOutput(tx, current.id, now);
    const row = await repo.updateWorkOrder(tx, current, {
      number: body.number,
      productId: body.productId,
      targetQuantity: body.targetQuantity,
      dueAt: body.dueAt === undefined ? undefined : body.dueAt === null ? null : new Date(body.dueAt),
      ...totalsOf(output),
    });
    await audit(tx, options, 'work-order.updated', row.id, toRecord(current), toRecord(row));
    await publish(tx, row);
    return answer(row, output, now);
  });
}

/** Deletes a DRAFT order (anything later has history: cancel it instead); honours If-Match. */
export async function deleteWorkOrder(
  options: ChangeOptions & { id: string; expectedVersion: number | undefined },
): Promise<void> {
  await inWorkOrderTransaction(options.prisma, async (tx) => {
    const current = await lockOrThrow(tx, options.id, options.expectedVersion);
    if (!canDelete(current.status)) {
      throw new AppError('CONFLICT', 'Not allowed in this status', {
        detail: `Work order ${current.number} is ${current.status}: only a DRAFT is deleted; cancel it instead (POST …/${current.id}/cancel).`,
      });
    }
    await repo.deleteWorkOrder(tx, current.id);
    await audit(tx, options, 'work-order.deleted', current.id, toRecord(current), null);
    // The event carries the last state; a client that refetches the order finds it gone (404).
    await publish(tx, current);
  });
}

// ---------------------------------------------------------------- lifecycle

/** Locks the line, then 409 when it is archived or another order holds it (IN_PROGRESS or PAUSED). */
async function assertLineFree(tx: Db, order: repo.WorkOrderRow, lineId: string): Promise<void> {
  await repo.lockLine(tx, lineId);
  const line = await repo.findLine(tx, lineId);
  if (line === null)
    throw new AppError('CONFLICT', 'Line not found', { detail: `The order's line ${lineId} is gone.` });
  if (line.archivedAt !== null) {
    throw new AppError('CONFLICT', 'Line is archived', {
      detail: `Line "${line.code}" is archived: unarchive it, or dispatch the order to another line.`,
    });
  }
  const holder = await repo.findLineHolder(tx, lineId, order.id, LINE_HOLDING_STATUSES);
  if (holder !== null) {
    throw new AppError('CONFLICT', 'Line is busy', {
      detail:
        `Line "${line.area.name} · ${line.name}" (${line.code}) already runs work order ${holder.number} (${holder.status}); a line runs one order ` +
        'at a time: complete or cancel that one first.',
    });
  }
}

type TransitionOptions = ChangeOptions & {
  id: string;
  note: string | undefined;
  expectedVersion: number | undefined;
};

/** Checks `action` against the state machine and applies it with its history row, audit entry and event. */
async function applyTransition(
  tx: Db,
  options: TransitionOptions,
  action: TWorkOrderAction,
  lineId?: string,
): Promise<VersionedWorkOrder> {
  const current = await lockOrThrow(tx, options.id, options.expectedVersion);
  const check = checkTransition(current, action);
  if (!check.isAllowed) {
    throw new AppError('CONFLICT', 'Invalid transition', {
      detail: `Work order ${current.number} cannot ${action}: ${check.reason}`,
    });
  }
  if (action === 'dispatch' && lineId !== undefined) {
    if (lineId === current.lineId) {
      const now = new Date();
      return answer(current, await readOutput(tx, current.id, now), now);
    }
    const line = await repo.findLine(tx, lineId);
    if (line === null) throw unknownReference('lineId', 'Line', lineId);
    if (line.archivedAt !== null) throw archivedReference('lineId', 'Line', line.code);
  }
  if (check.to === 'IN_PROGRESS' && current.lineId !== null) await assertLineFree(tx, current, current.lineId);
  // Taken after the locks, so that the history of one order is in lock order.
  const now = new Date();
  const note = options.note ?? null;
  await repo.insertTransition(tx, {
    workOrderId: current.id,
    fromStatus: current.status,
    toStatus: check.to,
    at: now,
    actorId: options.change.actor.userId,
    note,
  });
  // Read with the new transition in place, so that a start answers its (empty) run window.
  const output = await readOutput(tx, current.id, now);
  const row = await repo.updateWorkOrder(tx, current, {
    status: check.to,
    lineId: action === 'dispatch' ? lineId : undefined,
    startedAt: action === 'start' && current.startedAt === null ? now : undefined,
    completedAt: action === 'complete' ? now : undefined,
    ...totalsOf(output),
  });
  const after = note === null ? toRecord(row) : { ...toRecord(row), note };
  await audit(tx, options, `work-order.${TRANSITION_AUDIT_VERB[action]}`, row.id, toRecord(current), after);
  await publish(tx, row, current.lineId);
  return answer(row, output, now);
}

/** release, start, pause, resume, complete or cancel; 409 when the lifecycle does not allow it. */
export async function transitionWorkOrder(
  options: TransitionOptions & { action: Exclude<TWorkOrderAction, 'dispatch'> },
): Promise<VersionedWorkOrder> {
  return inWorkOrderTransaction(options.prisma, (tx) => applyTransition(tx, options, options.action));
}

/** Assigns a RELEASED order to a line (again: to another line, until it starts); the same line is a no-op. */
export async function dispatchWorkOrder(options: TransitionOptions & { lineId: string }): Promise<VersionedWorkOrder> {
  return inWorkOrderTransaction(options.prisma, (tx) => applyTransition(tx, options, 'dispatch', options.lineId));
}

// ---------------------------------------------------------------- adjustments

/** Adds signed deltas to the good and scrap counts of an order that has run: one work_order_adjustment row. */
export async function adjustWorkOrderCounts(
  options: ChangeOptions & { id: string; body: TWorkOrderAdjustmentRequest; expectedVersion: number | undefined },
): Promise<VersionedWorkOrder> {
  const { body } = options;
  return inWorkOrderTransaction(options.prisma, async (tx) => {
    const current = await lockOrThrow(tx, options.id, options.expectedVersion);
    if (!canAdjust(current.status)) {
      throw wrongStatus(current, 'counts are adjusted', 'IN_PROGRESS, PAUSED or COMPLETED');
    }
    const now = new Date();
    const before = await readOutput(tx, current.id, now);
    const after: repo.WorkOrderOutput = {
      counted: before.counted,
      adjustment: {
        goodCount: before.adjustment.goodCount + body.goodDelta,
        scrapCount: before.adjustment.scrapCount + body.scrapDelta,
      },
    };
    const errors = [
      { path: 'body.goodDelta', total: after.counted.goodCount + after.adjustment.goodCount, label: 'good' },
      { path: 'body.scrapDelta', total: after.counted.scrapCount + after.adjustment.scrapCount, label: 'scrap' },
    ]
      .filter((field) => field.total < 0)
      .map((field) => ({ path: field.path, message: `Would make the ${field.label} count negative (${field.total})` }));
    if (errors.length > 0) {
      throw new AppError('BAD_REQUEST', 'Adjustment below zero', { detail: errors[0]?.message, errors });
    }
    const adjustment = await repo.insertAdjustment(tx, {
      workOrderId: current.id,
      goodDelta: body.goodDelta,
      scrapDelta: body.scrapDelta,
      reason: body.reason,
      actorId: options.change.actor.userId,
      at: now,
    });
    const row = await repo.updateWorkOrder(tx, current, totalsOf(after));
    const figures = (output: repo.WorkOrderOutput) => ({
      ...totalsOf(output),
      adjustmentGoodCount: output.adjustment.goodCount,
      adjustmentScrapCount: output.adjustment.scrapCount,
    });
    await audit(
      tx,
      options,
      'work-order.adjusted',
      row.id,
      { ...figures(before), version: current.version },
      {
        ...figures(after),
        adjustmentId: adjustment.id.toString(),
        goodDelta: body.goodDelta,
        scrapDelta: body.scrapDelta,
        reason: body.reason,
        version: row.version,
      },
    );
    await publish(tx, row);
    return answer(row, after, now);
  });
}
