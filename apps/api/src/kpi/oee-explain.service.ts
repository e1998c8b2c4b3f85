// GET /kpi/oee/explain: everything behind one figure (docs/kpi.md "Explaining a figure"): the state
// intervals, count buckets, planned-time calendar, planned downtime and ideal cycle times of each machine in the
// scope and range, the pure engine's result over exactly that data, and the figure as /kpi/oee reports it. When the
// two disagree the rollups are stale (a correction that was not followed by a refresh).
import type { TKpiExplainQuery, TKpiExplainResponse } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { NUMERIC_COMPONENTS, sumComponents, type TKpiComponents } from '@takt/kpi';
import { computeComponentsFromInputs } from '@takt/kpi-sql';
import { AppError } from '../http/app-error.ts';
import { computeScopeComponents } from './kpi-figures.service.ts';
import { countRawRows, readKpiInputs } from './kpi.repository.ts';
import { iso, machineEndMs, resolveScope } from './kpi-scope.service.ts';
import { figuresOf } from './oee.service.ts';

/** Most intervals plus counts an explanation lists (beyond that, narrow the scope or range). */
export const EXPLAIN_MAX_ROWS = 100_000;

export type TExplainOeeOptions = { prisma: PrismaClient; query: TKpiExplainQuery; nowMs?: number };

/** The data and calculation behind the OEE of a scope over a range. */
export async function explainOee(options: TExplainOeeOptions): Promise<TKpiExplainResponse> {
  const { prisma, query } = options;
  const resolved = await resolveScope({ prisma, query, nowMs: options.nowMs ?? Date.now() });
  const machineIds = resolved.machines.map((m) => m.id);
  const rowCount = await countRawRows(prisma, machineIds, resolved.fromMs, resolved.evaluatedToMs);
  if (rowCount > EXPLAIN_MAX_ROWS) {
    throw new AppError('BAD_REQUEST', 'Too much to explain', {
      detail: `This scope and range hold ${rowCount} intervals and counts; an explanation lists at most ${EXPLAIN_MAX_ROWS}. Narrow the scope or the range.`,
    });
  }

  const [inputs, reported] = await Promise.all([
    readKpiInputs(prisma, machineIds, resolved.fromMs, resolved.evaluatedToMs),
    computeScopeComponents({ prisma, resolved, bucket: 'day' }),
  ]);
  const inputsById = new Map(inputs.map((i) => [i.machineId, i]));
  const machines = resolved.machines.flatMap((machine) => {
    const input = inputsById.get(machine.id);
    if (input === undefined) return [];
    const endMs = machineEndMs(machine, resolved);
    const components = computeComponentsFromInputs(input, resolved.fromMs, endMs);
    const isInRange = (ms: number) => ms >= resolved.fromMs && ms < endMs;
    return [
      {
        id: machine.id,
        code: machine.code,
        name: machine.name,
        path: machine.path,
        lineId: machine.lineId,
        evaluatedTo: iso(endMs),
        ...figuresOf(components),
        stateIntervals: input.stateIntervals.map((i) => ({
          state: i.state,
          startedAt: iso(i.startMs),
          endedAt: i.endMs === null ? null : iso(i.endMs),
          reason: i.reasonId === null ? null : { id: i.reasonId, code: i.reasonCode ?? '', name: i.reasonName ?? '' },
          product:
            i.productId === null || i.productId === undefined ? null : { id: i.productId, code: i.productCode ?? '' },
          sourceCode: i.sourceCode,
        })),
        counts: input.counts
          .filter((c) => isInRange(c.bucketStartMs))
          .map((c) => ({
            bucketStart: iso(c.bucketStartMs),
            bucketSec: c.bucketSec,
            product: c.productId === null ? null : { id: c.productId, code: c.productCode ?? '' },
            goodCount: c.goodCount,
            rejectCount: c.rejectCount,
          })),
        plannedDowntime: input.plannedDowntime.map((p) => ({
          from: iso(p.startMs),
          to: iso(p.endMs),
          scope: p.scope,
          reasonCode: p.reasonCode,
          note: p.note,
        })),
        idealCycleTimes: input.idealCycleTimes.map((i) => ({
          product: { id: i.productId, code: i.productCode },
          idealCycleTimeSec: i.idealCycleTimeSec,
          source: i.source,
        })),
      },
    ];
  });

  const calendars = [...new Map(resolved.machines.map((m) => [m.lineId, m])).values()].map((m) => ({
    lineId: m.lineId,
    lineCode: m.lineCode,
    shiftPattern: m.shiftPatternId === null ? null : { id: m.shiftPatternId, code: m.shiftPatternCode ?? '' },
    shiftWindows: (inputsById.get(m.id)?.shiftWindows ?? []).map((w) => ({
      shiftCode: w.shiftCode,
      shiftDate: w.shiftDate,
      from: iso(w.startMs),
      to: iso(w.endMs),
      breaks: w.breaks.map((b) => ({ name: b.name, from: iso(b.startMs), to: iso(b.endMs) })),
    })),
  }));

  const totals = sumComponents(machines.map((m) => m.components));
  return {
    scope: resolved.scope,
    from: iso(resolved.fromMs),
    to: iso(resolved.toMs),
    evaluatedTo: iso(resolved.evaluatedToMs),
    calendars,
    machines,
    totals: figuresOf(totals),
    reported: figuresOf(reported.totals),
    isConsistent: isSameComponents(totals, reported.totals),
  };
}

// To the millisecond for times, exactly for counts, to floating-point noise for sums of ideal times.
function isSameComponents(a: TKpiComponents, b: TKpiComponents): boolean {
  return NUMERIC_COMPONENTS.every((key) => {
    if (key === 'idealProductionTimeSec' || key === 'goodIdealTimeSec') {
      return Math.abs(a[key] - b[key]) <= 1e-9 * Math.max(1, Math.abs(a[key]), Math.abs(b[key]));
    }
    return Math.round(a[key] * 1000) === Math.round(b[key] * 1000);
  });
}
