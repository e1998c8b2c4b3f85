// Data access for the plant overview: one query joins each machine's open state interval and its
// last hour of counts (index machine_id + bucket_start), so the page costs one round trip.
import { Prisma, type PrismaClient } from '@takt/db';
import type { TMachineStatus, TMachineStatusQuery } from '@takt/contracts';

type Row = {
  machine_id: string;
  path: string;
  name: string;
  site_id: string;
  site_code: string;
  site_name: string;
  area_id: string;
  area_code: string;
  area_name: string;
  line_id: string;
  line_code: string;
  line_name: string;
  state: TMachineStatus['state'];
  started_at: Date | null;
  reason_code: string | null;
  reason_name: string | null;
  product_code: string | null;
  work_order_number: string | null;
  good_last_hour: bigint | null;
  reject_last_hour: bigint | null;
};

export async function findMachineStatuses(
  prisma: PrismaClient,
  filter: TMachineStatusQuery,
  now: Date,
): Promise<TMachineStatus[]> {
  const conditions = [Prisma.sql`m.archived_at IS NULL`];
  if (filter.siteId !== undefined) conditions.push(Prisma.sql`s.id = ${filter.siteId}::uuid`);
  if (filter.areaId !== undefined) conditions.push(Prisma.sql`a.id = ${filter.areaId}::uuid`);
  if (filter.lineId !== undefined) conditions.push(Prisma.sql`l.id = ${filter.lineId}::uuid`);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT m.id AS machine_id, m.path, m.name,
           s.id AS site_id, s.code AS site_code, s.name AS site_name,
           a.id AS area_id, a.code AS area_code, a.name AS area_name,
           l.id AS line_id, l.code AS line_code, l.name AS line_name,
           i.state::text AS state, i.started_at,
           r.code AS reason_code, r.name AS reason_name,
           p.code AS product_code, wo.number AS work_order_number,
           c.good AS good_last_hour, c.reject AS reject_last_hour
      FROM machine m
      JOIN line l ON l.id = m.line_id
      JOIN area a ON a.id = l.area_id
      JOIN site s ON s.id = a.site_id
      LEFT JOIN machine_state_interval i ON i.machine_id = m.id AND i.ended_at IS NULL
      LEFT JOIN downtime_reason r ON r.id = i.reason_id
      LEFT JOIN product p ON p.id = i.product_id
      LEFT JOIN work_order wo ON wo.id = i.work_order_id
      LEFT JOIN LATERAL (
        SELECT sum(pc.good_count) AS good, sum(pc.reject_count) AS reject
          FROM production_count pc
         WHERE pc.machine_id = m.id AND pc.bucket_start >= ${hourAgo}
      ) c ON true
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY s.code, a.code, l.code, m.sequence, m.code`;
  return rows.map((row) => ({
    machineId: row.machine_id,
    path: row.path,
    name: row.name,
    site: { id: row.site_id, code: row.site_code, name: row.site_name },
    area: { id: row.area_id, code: row.area_code, name: row.area_name },
    line: { id: row.line_id, code: row.line_code, name: row.line_name },
    state: row.state,
    since: row.started_at?.toISOString() ?? null,
    reason:
      row.reason_code === null || row.reason_name === null ? null : { code: row.reason_code, name: row.reason_name },
    productCode: row.product_code,
    workOrderNumber: row.work_order_number,
    goodCountLastHour: Number(row.good_last_hour ?? 0),
    rejectCountLastHour: Number(row.reject_last_hour ?? 0),
  }));
}
