// Downtime classification (docs/domain.md "Machine states"): a supervisor assigns or changes the reason of stops, one
// or several at once, and splits a stop in two to give each part its own reason. Each change, in one transaction:
// locks the machines' timelines (the ingest pipeline's lock), checks the rules, writes, audits every stop it
// changed, appends `downtime-classified` live events and recomputes the KPI rollups of the hours the stops cover,
// so that the Pareto and the unclassified share answer with the new reasons as soon as the request returns.
//
// Rules: only stops take a reason (DOWN, IDLE, CHANGEOVER, OFFLINE take UNPLANNED reasons, PLANNED_STOP takes
// PLANNED ones: a reason never moves time between ISO 22400 time buckets, the state does); the reason is an
// unarchived reason, not a category. A classified reason survives the ingest pipeline's recomputation.
import {
  reasonKindForState,
  type TDowntimeClassifyRequest,
  type TDowntimeIntervalItems,
  type TDowntimeSplitRequest,
  type TFieldError,
} from '@takt/contracts';
import { refreshRollupsMany } from '@takt/kpi-sql';
import { recordAudits, type AuditEntry } from '../audit/audit.service.ts';
import type { ChangeOptions } from '../crud/resource.service.ts';
import { inTransaction, type Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { stopToDto } from './downtime-list.service.ts';
import * as repo from './downtime.repository.ts';

type ClassifyOptions = ChangeOptions & { nowMs?: number };

const ENTITY_TYPE = 'downtime-interval';

function stopsNotFound(errors: TFieldError[]): AppError {
  return new AppError('NOT_FOUND', 'Stop not found', { detail: errors.map((e) => e.message).join(' '), errors });
}

/** An unarchived reason (not a category); BAD_REQUEST otherwise. */
async function loadReason(db: Db, reasonId: string, path: string): Promise<repo.TReasonRow> {
  const reason = await repo.findReason(db, reasonId);
  const problem =
    reason === null
      ? `No downtime reason ${reasonId}.`
      : reason.parentId === null
        ? `"${reason.code}" is a category; classify with one of its reasons.`
        : reason.isArchived
          ? `Reason "${reason.code}" is archived.`
          : null;
  if (problem !== null || reason === null) {
    throw new AppError('BAD_REQUEST', 'Invalid reason', {
      detail: problem ?? '',
      errors: [{ path, message: problem ?? '' }],
    });
  }
  return reason;
}

/** CONFLICT unless each stop takes a reason of `reason`'s kind. */
function assertReasonFits(stops: readonly { stop: repo.TStopRow; path: string }[], reason: repo.TReasonRow): void {
  const errors: TFieldError[] = stops.flatMap(({ stop, path }) => {
    const kind = reasonKindForState(stop.state);
    if (kind === null) return [{ path, message: `Stop ${stop.id} is ${stop.state}, which takes no reason.` }];
    if (kind !== reason.kind) {
      return [
        {
          path,
          message: `Stop ${stop.id} is ${stop.state} and takes a ${kind} reason; "${reason.code}" is ${reason.kind}.`,
        },
      ];
    }
    return [];
  });
  if (errors.length > 0) {
    throw new AppError('CONFLICT', 'Reason does not fit the stop', {
      detail: errors.map((e) => e.message).join(' '),
      errors,
    });
  }
}

type TClassification = { reasonId: string | null; classifiedById: string | null; classifiedAt: string | null };

function classificationOf(stop: repo.TStopRow): TClassification {
  return {
    reasonId: stop.reason_id,
    classifiedById: stop.classified_by_id,
    classifiedAt: stop.classified_at?.toISOString() ?? null,
  };
}

/** Live events, KPI rollups and what the caller gets back, for stops changed in `tx`. */
async function publishChangedStops(tx: Db, ids: readonly string[], nowMs: number): Promise<TDowntimeIntervalItems> {
  const stops = await repo.findStops(tx, ids);
  await repo.appendClassifiedEvents(tx, stops);
  await refreshRollupsMany({
    prisma: tx,
    touched: stops.map((stop) => ({
      machineId: stop.machine_id,
      fromMs: stop.started_at.getTime(),
      toMs: stop.ended_at?.getTime() ?? nowMs,
    })),
    nowMs,
  });
  return { items: stops.map((stop) => stopToDto(stop, nowMs)) };
}

/** Assigns one reason to one or several stops (all or none). */
export async function classifyDowntime(
  options: ClassifyOptions & { body: TDowntimeClassifyRequest },
): Promise<TDowntimeIntervalItems> {
  const { body } = options;
  const { actor } = options.change;
  const nowMs = options.nowMs ?? Date.now();
  return inTransaction(options.prisma, async (tx) => {
    const stops = await repo.lockStops(tx, body.intervalIds);
    const byId = new Map(stops.map((stop) => [stop.id, stop]));
    const missing = body.intervalIds.flatMap((id, index) =>
      byId.has(id) ? [] : [{ path: `body.intervalIds.${index}`, message: `No stop ${id}.` }],
    );
    if (missing.length > 0) throw stopsNotFound(missing);
    const reason = await loadReason(tx, body.reasonId, 'body.reasonId');
    const named = body.intervalIds.map((id, index) => ({ stop: byId.get(id)!, path: `body.intervalIds.${index}` }));
    assertReasonFits(named, reason);

    const at = new Date(nowMs);
    await repo.classifyStops(tx, { ids: body.intervalIds, reasonId: reason.id, userId: actor.userId, at });
    const after: TClassification = {
      reasonId: reason.id,
      classifiedById: actor.userId,
      classifiedAt: at.toISOString(),
    };
    await recordAudits(
      tx,
      named.map(({ stop }) => auditClassified(options, stop, after)),
    );
    return publishChangedStops(tx, body.intervalIds, nowMs);
  });
}

function auditClassified(options: ChangeOptions, stop: repo.TStopRow, after: TClassification): AuditEntry {
  return {
    ...options.change,
    action: 'downtime-interval.classified',
    entityType: ENTITY_TYPE,
    entityId: stop.id,
    before: classificationOf(stop),
    after,
  };
}

/** Splits a stop at `body.at` into two stops, optionally classifying each part. */
export async function splitDowntime(
  options: ClassifyOptions & { id: string; body: TDowntimeSplitRequest },
): Promise<TDowntimeIntervalItems> {
  const { id, body } = options;
  const { actor } = options.change;
  const nowMs = options.nowMs ?? Date.now();
  const atMs = Date.parse(body.at);
  return inTransaction(options.prisma, async (tx) => {
    const [stop] = await repo.lockStops(tx, [id]);
    if (stop === undefined) throw stopsNotFound([{ path: 'params.id', message: `No stop ${id}.` }]);
    if (reasonKindForState(stop.state) === null) {
      throw new AppError('CONFLICT', 'Not a stop', {
        detail: `Interval ${id} is ${stop.state}; only stops can be split.`,
      });
    }
    const startedAtMs = stop.started_at.getTime();
    const endMs = stop.ended_at?.getTime() ?? nowMs;
    if (!(atMs > startedAtMs && atMs < endMs)) {
      const message = `Split inside the stop: after ${stop.started_at.toISOString()} and before ${new Date(endMs).toISOString()}${stop.ended_at === null ? ' (the present)' : ''}.`;
      throw new AppError('BAD_REQUEST', 'Split outside the stop', {
        detail: message,
        errors: [{ path: 'body.at', message }],
      });
    }
    const reasonBefore =
      body.reasonIdBefore === undefined ? null : await loadReason(tx, body.reasonIdBefore, 'body.reasonIdBefore');
    const reasonAfter =
      body.reasonIdAfter === undefined ? null : await loadReason(tx, body.reasonIdAfter, 'body.reasonIdAfter');
    if (reasonBefore !== null) assertReasonFits([{ stop, path: 'body.reasonIdBefore' }], reasonBefore);
    if (reasonAfter !== null) assertReasonFits([{ stop, path: 'body.reasonIdAfter' }], reasonAfter);

    const newId = await repo.splitStop(tx, { id, atMs });
    const at = new Date(nowMs);
    const audits: AuditEntry[] = [
      {
        ...options.change,
        action: 'downtime-interval.split',
        entityType: ENTITY_TYPE,
        entityId: id,
        before: { startedAt: stop.started_at.toISOString(), endedAt: stop.ended_at?.toISOString() ?? null },
        after: {
          parts: [
            { id, startedAt: stop.started_at.toISOString(), endedAt: new Date(atMs).toISOString() },
            { id: newId, startedAt: new Date(atMs).toISOString(), endedAt: stop.ended_at?.toISOString() ?? null },
          ],
        },
      },
    ];
    for (const [partId, reason] of [
      [id, reasonBefore],
      [newId, reasonAfter],
    ] as const) {
      if (reason === null) continue;
      await repo.classifyStops(tx, { ids: [partId], reasonId: reason.id, userId: actor.userId, at });
      const after = { reasonId: reason.id, classifiedById: actor.userId, classifiedAt: at.toISOString() };
      audits.push(auditClassified(options, { ...stop, id: partId }, after));
    }
    await recordAudits(tx, audits);
    return publishChangedStops(tx, [id, newId], nowMs);
  });
}
