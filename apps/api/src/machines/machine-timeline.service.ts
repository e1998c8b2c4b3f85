// GET /machines/:id/timeline: the machine's states over a range as the KPIs see them (a state lasts until the next
// one starts; clipped to the range; an open interval runs to the present), with reason and product, paged with a
// cursor (docs/api.md "Lists").
import { machineTimelineCursor, type TMachineTimelineQuery, type TMachineTimelineResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
import { findTimelineIntervals, findTimelineMachine } from './machine-timeline.repository.ts';

export type TGetMachineTimelineOptions = {
  prisma: PrismaClient;
  machineId: string;
  query: TMachineTimelineQuery;
  nowMs?: number;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** One page of the machine's state timeline. */
export async function getMachineTimeline(options: TGetMachineTimelineOptions): Promise<TMachineTimelineResponse> {
  const { prisma, machineId, query } = options;
  const machine = await findTimelineMachine(prisma, machineId);
  if (machine === null)
    throw new AppError('NOT_FOUND', 'Machine not found', { detail: `No machine with id ${machineId}.` });

  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  const cursorMs = query.cursor === undefined ? null : query.cursor[0].getTime();
  if (cursorMs !== null && !(cursorMs >= fromMs && cursorMs < toMs)) {
    throw new AppError('BAD_REQUEST', 'Invalid cursor', {
      detail: 'The cursor does not belong to this range; start again without it.',
      errors: [{ path: 'query.cursor', message: 'Unknown cursor.' }],
    });
  }
  const rows = await findTimelineIntervals(prisma, {
    machineId,
    fromMs,
    toMs,
    pageFromMs: cursorMs ?? fromMs,
    isFirstPage: cursorMs === null,
    limit: query.limit + 1,
  });

  // Every row but the last read is on this page; the one after it (if read) is the next page's first.
  const pageSize =
    cursorMs === null && rows[0] !== undefined && rows[0].started_at.getTime() < fromMs ? query.limit + 1 : query.limit;
  const page = rows.slice(0, pageSize);
  const next = rows[pageSize];
  const visibleToMs = Math.min(toMs, options.nowMs ?? Date.now());
  const items = page.flatMap((row, index) => {
    const nextStartMs = rows[index + 1]?.started_at.getTime() ?? Infinity;
    const endMs = Math.min(row.ended_at?.getTime() ?? Infinity, nextStartMs);
    const startMs = Math.max(row.started_at.getTime(), fromMs);
    const clippedEndMs = Math.min(endMs, visibleToMs);
    if (clippedEndMs <= startMs) return [];
    return [
      {
        state: row.state,
        from: iso(startMs),
        to: iso(clippedEndMs),
        isOpen: row.ended_at === null && rows[index + 1] === undefined,
        reason:
          row.reason_id === null
            ? null
            : {
                id: row.reason_id,
                code: row.reason_code ?? '',
                name: row.reason_name ?? '',
                kind: row.reason_kind ?? 'UNPLANNED',
              },
        product:
          row.product_id === null
            ? null
            : { id: row.product_id, code: row.product_code ?? '', name: row.product_name ?? '' },
        sourceCode: row.source_code,
      },
    ];
  });
  return {
    machine,
    from: iso(fromMs),
    to: iso(toMs),
    items,
    nextCursor: next === undefined ? null : machineTimelineCursor.encode([next.started_at]),
  };
}
