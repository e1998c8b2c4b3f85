// Data access of downtime classification: stops (state intervals) of a scope, the rows a classification or a split
// changes, and the lock that keeps these changes and the ingest pipeline's recomputation of a machine's intervals
// from interleaving.
import type { TClassifiableState, TDowntimeKind, TKpiScopeKind, TMachineState } from '@takt/contracts';
import { lockMachineTimelines } from '@takt/ingest';
import { appendLiveEvents } from '@takt/db';
import type { Db } from '../db/transaction.ts';

/** A stop with what its DTO shows. */
export type TStopRow = {
  id: string;
  machine_id: string;
  machine_code: string;
  machine_name: string;
  machine_path: string;
  line_id: string;
  state: TMachineState;
  started_at: Date;
  ended_at: Date | null;
  reason_id: string | null;
  reason_code: string | null;
  reason_name: string | null;
  reason_kind: TDowntimeKind | null;
  category_id: string | null;
  category_code: string | null;
  category_name: string | null;
  source_code: string | null;
  classified_at: Date | null;
  classified_by_id: string | null;
  classified_by_username: string | null;
};

const STOP_COLUMNS = `
  i.id::text AS id, m.id::text AS machine_id, m.code AS machine_code, m.name AS machine_name, m.path AS machine_path,
  m.line_id::text AS line_id, i.state::text AS state, i.started_at, i.ended_at,
  r.id::text AS reason_id, r.code AS reason_code, r.name AS reason_name, r.kind::text AS reason_kind,
  c.id::text AS category_id, c.code AS category_code, c.name AS category_name, i.source_code,
  i.classified_at, u.id::text AS classified_by_id, u.username AS classified_by_username`;

const STOP_JOINS = `
  JOIN machine m ON m.id = i.machine_id
  LEFT JOIN downtime_reason r ON r.id = i.reason_id
  LEFT JOIN downtime_reason c ON c.id = r.parent_id
  LEFT JOIN app_user u ON u.id = i.classified_by_id`;

export type TListStopsOptions = {
  scope: TKpiScopeKind;
  scopeId: string;
  fromMs: number;
  toMs: number;
  nowMs: number;
  states: readonly TClassifiableState[];
  hasReason: boolean | null;
  minDurationMs: number;
  /** Position after the previous page (the list runs newest first). */
  after: { startedAtMs: number; id: string } | null;
  limit: number;
};

/** Stops overlapping `[fromMs, toMs)` of the machines in a scope, newest first. */
export async function listStops(db: Db, options: TListStopsOptions): Promise<TStopRow[]> {
  const { scope, scopeId, after } = options;
  return db.$queryRawUnsafe<TStopRow[]>(
    `SELECT ${STOP_COLUMNS}
     FROM machine_state_interval i ${STOP_JOINS}
     JOIN line l ON l.id = m.line_id
     JOIN area a ON a.id = l.area_id
     WHERE CASE $1::text WHEN 'site' THEN a.site_id = $2::uuid WHEN 'area' THEN a.id = $2::uuid
                         WHEN 'line' THEN l.id = $2::uuid ELSE m.id = $2::uuid END
       AND i.state::text = ANY($3::text[])
       AND i.started_at < $5::timestamptz
       AND coalesce(i.ended_at, $6::timestamptz) > $4::timestamptz
       AND ($7::boolean IS NULL OR (i.reason_id IS NOT NULL) = $7::boolean)
       AND coalesce(i.ended_at, greatest($6::timestamptz, i.started_at)) - i.started_at >= $8::bigint * interval '1 millisecond'
       AND ($9::timestamptz IS NULL OR (i.started_at, i.id) < ($9::timestamptz, $10::bigint))
     ORDER BY i.started_at DESC, i.id DESC
     LIMIT $11`,
    scope,
    scopeId,
    [...options.states],
    new Date(options.fromMs),
    new Date(options.toMs),
    new Date(options.nowMs),
    options.hasReason,
    options.minDurationMs,
    after === null ? null : new Date(after.startedAtMs),
    after === null ? null : after.id,
    options.limit,
  );
}

/** The given stops (any state), in id order; missing ids are left out. */
export async function findStops(db: Db, ids: readonly string[]): Promise<TStopRow[]> {
  return db.$queryRawUnsafe<TStopRow[]>(
    `SELECT ${STOP_COLUMNS} FROM machine_state_interval i ${STOP_JOINS}
     WHERE i.id = ANY($1::bigint[]) ORDER BY i.id`,
    [...ids],
  );
}

/**
 * Locks the timelines of the machines the given stops belong to (the ingest pipeline's lock, so that it cannot
 * recompute these intervals meanwhile) and returns the stops as they are under the lock.
 */
export async function lockStops(tx: Db, ids: readonly string[]): Promise<TStopRow[]> {
  const owners = await tx.$queryRawUnsafe<{ machine_id: string }[]>(
    `SELECT DISTINCT machine_id::text AS machine_id FROM machine_state_interval WHERE id = ANY($1::bigint[])`,
    [...ids],
  );
  await lockMachineTimelines(
    tx,
    owners.map((o) => o.machine_id),
  );
  return findStops(tx, ids);
}

export type TReasonRow = {
  id: string;
  code: string;
  kind: TDowntimeKind;
  parentId: string | null;
  isArchived: boolean;
};

export async function findReason(db: Db, id: string): Promise<TReasonRow | null> {
  const row = await db.downtimeReason.findUnique({
    where: { id },
    select: { id: true, code: true, kind: true, parentId: true, archivedAt: true },
  });
  return row === null ? null : { ...row, isArchived: row.archivedAt !== null };
}

/** Sets the reason of stops as a supervisor's classification. */
export async function classifyStops(
  tx: Db,
  options: { ids: readonly string[]; reasonId: string; userId: string; at: Date },
): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE machine_state_interval SET reason_id = $2::uuid, classified_by_id = $3::uuid, classified_at = $4::timestamptz
     WHERE id = ANY($1::bigint[])`,
    [...options.ids],
    options.reasonId,
    options.userId,
    options.at,
  );
}

/** Appends a `downtime-classified` live event per stop, in the change's transaction. */
export async function appendClassifiedEvents(tx: Db, stops: readonly TStopRow[]): Promise<void> {
  await appendLiveEvents(
    tx,
    stops.map((stop) => ({
      type: 'downtime-classified' as const,
      machineId: stop.machine_id,
      payload: {
        machineId: stop.machine_id,
        intervalId: stop.id,
        state: stop.state,
        startedAtMs: stop.started_at.getTime(),
        endedAtMs: stop.ended_at?.getTime() ?? null,
        reasonId: stop.reason_id,
      },
    })),
  );
}

/**
 * Splits a stop at `atMs`: the stop ends there and a copy of it (same state, reason, product, work order and
 * classification) starts there; a `split` event in the machine's timeline log keeps the boundary when the ingest
 * pipeline later recomputes the intervals. Returns the new stop's id.
 */
export async function splitStop(tx: Db, options: { id: string; atMs: number }): Promise<string> {
  const at = new Date(options.atMs);
  await tx.$executeRawUnsafe(
    `INSERT INTO ingest_timeline_event (machine_id, kind, ts) SELECT machine_id, 'split', $2::timestamptz
     FROM machine_state_interval WHERE id = $1::bigint`,
    options.id,
    at,
  );
  const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH cut AS (
       UPDATE machine_state_interval old SET ended_at = $2::timestamptz
       FROM machine_state_interval orig
       WHERE old.id = $1::bigint AND orig.id = old.id
       RETURNING orig.*
     )
     INSERT INTO machine_state_interval (machine_id, state, started_at, ended_at, reason_id, product_id, work_order_id,
                                         source_code, classified_by_id, classified_at)
     SELECT machine_id, state, $2::timestamptz, ended_at, reason_id, product_id, work_order_id, source_code,
            classified_by_id, classified_at
     FROM cut
     RETURNING id::text AS id`,
    options.id,
    at,
  );
  const id = inserted[0]?.id;
  if (id === undefined) throw new Error(`Stop ${options.id} vanished while it was split`);
  return id;
}
