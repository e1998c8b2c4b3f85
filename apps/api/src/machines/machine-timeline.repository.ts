// Data access of a machine's state timeline: the machine, and a page of its state intervals (the one reaching into
// the range from before it on the first page) with reason and product, plus the start of the next interval.
import type { PrismaClient } from '@takt/db';
import type { TMachineState } from '@takt/contracts';

export type TTimelineMachine = { id: string; code: string; name: string; path: string };

export type TTimelineIntervalRow = {
  state: TMachineState;
  started_at: Date;
  ended_at: Date | null;
  reason_id: string | null;
  reason_code: string | null;
  reason_name: string | null;
  reason_kind: 'PLANNED' | 'UNPLANNED' | null;
  product_id: string | null;
  product_code: string | null;
  product_name: string | null;
  source_code: string | null;
};

export async function findTimelineMachine(prisma: PrismaClient, id: string): Promise<TTimelineMachine | null> {
  return prisma.machine.findUnique({ where: { id }, select: { id: true, code: true, name: true, path: true } });
}

export type TFindIntervalsOptions = {
  machineId: string;
  fromMs: number;
  toMs: number;
  /** Start of the page: the range's start, or the cursor of the previous page. */
  pageFromMs: number;
  /** Include the interval that started before `fromMs` (first page). */
  isFirstPage: boolean;
  /** Rows to read: the page size plus one, whose start is the next page's cursor. */
  limit: number;
};

/** Intervals ordered by start: on the first page the last one before the range, then those starting in it. */
export async function findTimelineIntervals(
  prisma: PrismaClient,
  options: TFindIntervalsOptions,
): Promise<TTimelineIntervalRow[]> {
  const { machineId, isFirstPage, limit } = options;
  const from = new Date(options.fromMs).toISOString();
  const pageFrom = new Date(options.pageFromMs).toISOString();
  const to = new Date(options.toMs).toISOString();
  return prisma.$queryRaw<TTimelineIntervalRow[]>`
    SELECT i.state::text AS state, i.started_at, i.ended_at, r.id::text AS reason_id, r.code AS reason_code,
           r.name AS reason_name, r.kind::text AS reason_kind, p.id::text AS product_id, p.code AS product_code,
           p.name AS product_name, i.source_code
    FROM (
      (SELECT * FROM machine_state_interval x
       WHERE ${isFirstPage} AND x.machine_id = ${machineId}::uuid AND x.started_at < ${from}::timestamptz
       ORDER BY x.started_at DESC LIMIT 1)
      UNION ALL
      (SELECT * FROM machine_state_interval x
       WHERE x.machine_id = ${machineId}::uuid
         AND x.started_at >= ${pageFrom}::timestamptz AND x.started_at < ${to}::timestamptz
       ORDER BY x.started_at LIMIT ${limit})
    ) i
    LEFT JOIN downtime_reason r ON r.id = i.reason_id
    LEFT JOIN product p ON p.id = i.product_id
    ORDER BY i.started_at`;
}
