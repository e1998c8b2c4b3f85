// GET /downtime-intervals: the stops of a scope over a range, newest first, for supervisors to classify
// (docs/api.md "Lists"). The cursor is the position of the last stop shown.
import {
  CLASSIFIABLE_STATES,
  downtimeIntervalCursor,
  type TDowntimeInterval,
  type TDowntimeIntervalList,
  type TDowntimeIntervalListQuery,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
import { toPage } from '../http/page.ts';
import { findScope } from '../kpi/kpi.repository.ts';
import { listStops, type TStopRow } from './downtime.repository.ts';

/** The DTO of a stop; an open stop lasts up to `nowMs`. */
export function stopToDto(row: TStopRow, nowMs: number): TDowntimeInterval {
  const startedAtMs = row.started_at.getTime();
  const endMs = row.ended_at?.getTime() ?? Math.max(nowMs, startedAtMs);
  return {
    id: row.id,
    machine: {
      id: row.machine_id,
      code: row.machine_code,
      name: row.machine_name,
      path: row.machine_path,
      lineId: row.line_id,
    },
    state: row.state,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    durationSec: (endMs - startedAtMs) / 1000,
    reason:
      row.reason_id === null
        ? null
        : {
            id: row.reason_id,
            code: row.reason_code ?? '',
            name: row.reason_name ?? '',
            kind: row.reason_kind ?? 'UNPLANNED',
            category:
              row.category_id === null
                ? null
                : { id: row.category_id, code: row.category_code ?? '', name: row.category_name ?? '' },
          },
    sourceCode: row.source_code,
    isClassified: row.classified_at !== null,
    classifiedBy:
      row.classified_by_id === null ? null : { id: row.classified_by_id, username: row.classified_by_username ?? '' },
    classifiedAt: row.classified_at?.toISOString() ?? null,
  };
}

/** One page of the stops of a scope; NOT_FOUND for an unknown scope. */
export async function listDowntimeIntervals(options: {
  prisma: PrismaClient;
  query: TDowntimeIntervalListQuery;
  nowMs?: number;
}): Promise<TDowntimeIntervalList> {
  const { prisma, query } = options;
  const nowMs = options.nowMs ?? Date.now();
  const scope = await findScope(prisma, query.scope, query.id);
  if (scope === null) {
    throw new AppError('NOT_FOUND', 'Scope not found', { detail: `No ${query.scope} with id ${query.id}.` });
  }
  const rows = await listStops(prisma, {
    scope: query.scope,
    scopeId: query.id,
    fromMs: Date.parse(query.from),
    toMs: Date.parse(query.to),
    nowMs,
    states: query.state ?? CLASSIFIABLE_STATES,
    hasReason: query.hasReason ?? null,
    minDurationMs: Math.round((query.minDurationSec ?? 0) * 1000),
    after:
      query.cursor === undefined ? null : { startedAtMs: query.cursor[0].getTime(), id: query.cursor[1].toString() },
    limit: query.limit + 1,
  });
  return toPage(
    rows,
    query.limit,
    (row) => stopToDto(row, nowMs),
    (row) => downtimeIntervalCursor.encode([row.started_at, BigInt(row.id)]),
  );
}
