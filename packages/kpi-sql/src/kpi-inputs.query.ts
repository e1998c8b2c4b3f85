// The pure engine's inputs read from the raw tables: state intervals, count buckets, the shift calendar (expanded
// with @takt/kpi's expandShiftCalendar), planned downtime and ideal cycle times of machines over a range. This is
// the path the SQL is checked against, and what an "explain" of a figure shows.
import type { TMachineState } from '@takt/contracts';
import {
  computeMachineComponents,
  expandShiftCalendar,
  type TCountBucket,
  type TKpiComponents,
  type TShiftDefinition,
  type TShiftWindow,
  type TStateInterval,
  type TTimeWindow,
} from '@takt/kpi';
import type { TKpiSqlClient } from './kpi-sql.types.ts';

export type TIdealCycleTimeEntry = {
  productId: string;
  productCode: string;
  idealCycleTimeSec: number;
  /** Where the figure comes from: the machine's own row wins over its line's. */
  source: 'MACHINE' | 'LINE';
};

export type TPlannedDowntimeEntry = TTimeWindow & {
  scope: 'LINE' | 'MACHINE';
  reasonCode: string | null;
  note: string | null;
};

export type TStateIntervalEntry = TStateInterval & {
  reasonId: string | null;
  reasonName: string | null;
  productCode: string | null;
  sourceCode: string | null;
};

export type TCountEntry = TCountBucket & { productCode: string | null };

export type TMachineKpiInputs = {
  machineId: string;
  lineId: string;
  shiftPatternId: string | null;
  timeZone: string;
  /** Intervals starting in the range, plus the last one before it (it may reach into the range). */
  stateIntervals: TStateIntervalEntry[];
  counts: TCountEntry[];
  shiftWindows: TShiftWindow[];
  plannedDowntime: TPlannedDowntimeEntry[];
  idealCycleTimes: TIdealCycleTimeEntry[];
};

export type TLoadKpiInputsOptions = {
  prisma: TKpiSqlClient;
  machineIds: readonly string[];
  fromMs: number;
  toMs: number;
};

/** Everything the pure engine needs for each machine over `[fromMs, toMs)`, in the order of `machineIds`. */
export async function loadMachineKpiInputs(options: TLoadKpiInputsOptions): Promise<TMachineKpiInputs[]> {
  const { prisma, fromMs, toMs } = options;
  const machineIds = [...options.machineIds];
  if (machineIds.length === 0) return [];
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();

  const [machines, intervals, counts, shifts, plannedDowntime, ideals] = await Promise.all([
    prisma.$queryRaw<{ machine_id: string; line_id: string; shift_pattern_id: string | null; time_zone: string }[]>`
      SELECT m.id::text AS machine_id, m.line_id::text AS line_id, l.shift_pattern_id::text AS shift_pattern_id,
             s.time_zone
      FROM machine m JOIN line l ON l.id = m.line_id JOIN area a ON a.id = l.area_id JOIN site s ON s.id = a.site_id
      WHERE m.id = ANY(${machineIds}::uuid[])`,
    prisma.$queryRaw<
      {
        machine_id: string;
        state: TMachineState;
        started_at: Date;
        ended_at: Date | null;
        reason_id: string | null;
        reason_code: string | null;
        reason_name: string | null;
        product_id: string | null;
        product_code: string | null;
        source_code: string | null;
      }[]
    >`
      SELECT i.machine_id::text AS machine_id, i.state::text AS state, i.started_at, i.ended_at,
             i.reason_id::text AS reason_id, r.code AS reason_code, r.name AS reason_name,
             i.product_id::text AS product_id, p.code AS product_code, i.source_code
      FROM unnest(${machineIds}::uuid[]) AS m(id)
      CROSS JOIN LATERAL (
        (SELECT * FROM machine_state_interval x WHERE x.machine_id = m.id AND x.started_at < ${from}::timestamptz
         ORDER BY x.started_at DESC LIMIT 1)
        UNION ALL
        SELECT * FROM machine_state_interval x
        WHERE x.machine_id = m.id AND x.started_at >= ${from}::timestamptz AND x.started_at < ${to}::timestamptz
      ) i
      LEFT JOIN downtime_reason r ON r.id = i.reason_id
      LEFT JOIN product p ON p.id = i.product_id
      ORDER BY i.machine_id, i.started_at`,
    prisma.$queryRaw<
      {
        machine_id: string;
        bucket_start: Date;
        bucket_sec: number;
        product_id: string | null;
        product_code: string | null;
        good_count: number;
        reject_count: number;
      }[]
    >`
      SELECT c.machine_id::text AS machine_id, c.bucket_start, c.bucket_sec, c.product_id::text AS product_id,
             p.code AS product_code, c.good_count, c.reject_count
      FROM production_count c LEFT JOIN product p ON p.id = c.product_id
      WHERE c.machine_id = ANY(${machineIds}::uuid[])
        AND c.bucket_start >= ${from}::timestamptz AND c.bucket_start < ${to}::timestamptz
      ORDER BY c.machine_id, c.bucket_start, c.id`,
    prisma.$queryRaw<
      {
        pattern_id: string;
        shift_id: string;
        code: string;
        start_minute: number;
        duration_min: number;
        weekdays: number[];
        break_name: string | null;
        offset_min: number | null;
        break_duration_min: number | null;
      }[]
    >`
      SELECT s.pattern_id::text AS pattern_id, s.id::text AS shift_id, s.code, s.start_minute, s.duration_min,
             s.weekdays, b.name AS break_name, b.offset_min, b.duration_min AS break_duration_min
      FROM shift s LEFT JOIN shift_break b ON b.shift_id = s.id
      WHERE s.pattern_id IN (SELECT l.shift_pattern_id FROM machine m JOIN line l ON l.id = m.line_id
                             WHERE m.id = ANY(${machineIds}::uuid[]))
      ORDER BY s.pattern_id, s.code, b.offset_min`,
    prisma.$queryRaw<
      {
        machine_id: string;
        starts_at: Date;
        ends_at: Date;
        is_machine: boolean;
        reason_code: string | null;
        note: string | null;
      }[]
    >`
      SELECT m.id::text AS machine_id, pd.starts_at, pd.ends_at, pd.machine_id IS NOT NULL AS is_machine,
             r.code AS reason_code, pd.note
      FROM machine m
      JOIN planned_downtime pd ON pd.machine_id = m.id OR pd.line_id = m.line_id
      LEFT JOIN downtime_reason r ON r.id = pd.reason_id
      WHERE m.id = ANY(${machineIds}::uuid[]) AND pd.starts_at < ${to}::timestamptz AND pd.ends_at > ${from}::timestamptz
      ORDER BY pd.starts_at`,
    prisma.$queryRaw<
      {
        machine_id: string;
        product_id: string;
        product_code: string;
        ideal_cycle_time_sec: number;
        is_machine: boolean;
      }[]
    >`
      SELECT DISTINCT ON (m.id, i.product_id) m.id::text AS machine_id, i.product_id::text AS product_id,
             p.code AS product_code, i.ideal_cycle_time_sec, i.machine_id IS NOT NULL AS is_machine
      FROM machine m
      JOIN ideal_cycle_time i ON i.machine_id = m.id OR i.line_id = m.line_id
      JOIN product p ON p.id = i.product_id
      WHERE m.id = ANY(${machineIds}::uuid[])
      ORDER BY m.id, i.product_id, i.machine_id IS NULL`,
  ]);

  const patterns = new Map<string, TShiftDefinition[]>();
  for (const row of shifts) {
    const list = patterns.get(row.pattern_id) ?? [];
    let shift = list.find((s) => s.code === row.code);
    if (shift === undefined) {
      shift = {
        code: row.code,
        startMinute: row.start_minute,
        durationMin: row.duration_min,
        weekdays: row.weekdays,
        breaks: [],
      };
      list.push(shift);
      patterns.set(row.pattern_id, list);
    }
    if (row.break_name !== null && row.offset_min !== null && row.break_duration_min !== null) {
      (shift.breaks as TShiftDefinition['breaks'][number][]).push({
        name: row.break_name,
        offsetMin: row.offset_min,
        durationMin: row.break_duration_min,
      });
    }
  }

  const byMachine = new Map(machines.map((m) => [m.machine_id, m]));
  return machineIds.flatMap((machineId): TMachineKpiInputs[] => {
    const machine = byMachine.get(machineId);
    if (machine === undefined) return [];
    const shiftDefinitions = machine.shift_pattern_id === null ? [] : (patterns.get(machine.shift_pattern_id) ?? []);
    return [
      {
        machineId,
        lineId: machine.line_id,
        shiftPatternId: machine.shift_pattern_id,
        timeZone: machine.time_zone,
        stateIntervals: intervals
          .filter((i) => i.machine_id === machineId)
          .map((i) => ({
            machineId,
            state: i.state,
            startMs: i.started_at.getTime(),
            endMs: i.ended_at?.getTime() ?? null,
            reasonId: i.reason_id,
            reasonCode: i.reason_code,
            reasonName: i.reason_name,
            productId: i.product_id,
            productCode: i.product_code,
            sourceCode: i.source_code,
          })),
        counts: counts
          .filter((c) => c.machine_id === machineId)
          .map((c) => ({
            machineId,
            bucketStartMs: c.bucket_start.getTime(),
            bucketSec: c.bucket_sec,
            productId: c.product_id,
            productCode: c.product_code,
            goodCount: c.good_count,
            rejectCount: c.reject_count,
          })),
        shiftWindows: expandShiftCalendar({ shifts: shiftDefinitions, timeZone: machine.time_zone, fromMs, toMs }),
        plannedDowntime: plannedDowntime
          .filter((p) => p.machine_id === machineId)
          .map((p) => ({
            startMs: p.starts_at.getTime(),
            endMs: p.ends_at.getTime(),
            scope: p.is_machine ? 'MACHINE' : 'LINE',
            reasonCode: p.reason_code,
            note: p.note,
          })),
        idealCycleTimes: ideals
          .filter((i) => i.machine_id === machineId)
          .map((i) => ({
            productId: i.product_id,
            productCode: i.product_code,
            idealCycleTimeSec: i.ideal_cycle_time_sec,
            source: i.is_machine ? 'MACHINE' : 'LINE',
          })),
      },
    ];
  });
}

/** The pure engine's components of one machine's loaded inputs over `[fromMs, toMs)`. */
export function computeComponentsFromInputs(inputs: TMachineKpiInputs, fromMs: number, toMs: number): TKpiComponents {
  const ideal = new Map(inputs.idealCycleTimes.map((i) => [i.productId, i.idealCycleTimeSec]));
  return computeMachineComponents({
    machineId: inputs.machineId,
    fromMs,
    toMs,
    stateIntervals: inputs.stateIntervals,
    counts: inputs.counts,
    shiftWindows: inputs.shiftWindows,
    plannedDowntimeWindows: inputs.plannedDowntime,
    idealCycleTimeSec: (_machineId, productId) => ideal.get(productId) ?? null,
  });
}
