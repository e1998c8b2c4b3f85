// GET /kpi/downtime-pareto: unplanned down time of a scope by reason, largest first, with cumulative shares.
// One bar per downtime reason (whatever the state it was recorded on); DOWN and IDLE without a reason make the
// "unclassified" bar; CHANGEOVER and OFFLINE (and time without data) without a reason get a bar per state. The bars
// add up to the scope's unplanned down time, and event counts follow the DOWN-event rule (counted where they start).
import type { TKpiParetoBar, TKpiParetoResponse, TKpiRangeQuery, TMachineState } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { TDowntimeEntry } from '@takt/kpi-sql';
import { findReasons, readRangeDowntime } from './kpi.repository.ts';
import { iso, machineEndMs, resolveScope } from './kpi-scope.service.ts';

export type TGetDowntimeParetoOptions = {
  prisma: PrismaClient;
  query: TKpiRangeQuery;
  nowMs?: number;
  /** false: compute from the raw tables only (benchmark baseline). */
  useRollups?: boolean;
};

const STATE_BAR_LABEL: Partial<Record<TMachineState, string>> = {
  CHANGEOVER: 'Changeover (no reason)',
  OFFLINE: 'No data / offline (no reason)',
};

/** The downtime Pareto of a scope over a range. */
export async function getDowntimePareto(options: TGetDowntimeParetoOptions): Promise<TKpiParetoResponse> {
  const { prisma, query } = options;
  const resolved = await resolveScope({ prisma, query, nowMs: options.nowMs ?? Date.now() });
  const entries = await readRangeDowntime(prisma, {
    machines: resolved.machines.map((m) => ({
      machineId: m.id,
      groupNo: 0,
      toMs: machineEndMs(m, resolved),
      coverage: m.coverage,
    })),
    fromMs: resolved.fromMs,
    toMs: resolved.evaluatedToMs,
    useRollups: options.useRollups,
  });
  const reasons = await findReasons(prisma, [
    ...new Set(entries.flatMap((e) => (e.reasonId === null ? [] : [e.reasonId]))),
  ]);

  const bars = new Map<string, Omit<TKpiParetoBar, 'share' | 'cumulativeShare'> & { durationMs: number }>();
  const add = (key: string, entry: TDowntimeEntry, bar: () => Omit<TKpiParetoBar, 'share' | 'cumulativeShare'>) => {
    const existing = bars.get(key) ?? { ...bar(), durationSec: 0, eventCount: 0, durationMs: 0 };
    // Integer milliseconds while adding, so that the bars add up exactly.
    existing.durationMs += Math.round(entry.durationSec * 1000);
    existing.eventCount += entry.eventCount;
    bars.set(key, existing);
  };
  for (const entry of entries) {
    const reason = entry.reasonId === null ? undefined : reasons.get(entry.reasonId);
    if (reason !== undefined) {
      add(`reason:${reason.id}`, entry, () => ({
        key: `reason:${reason.id}`,
        kind: 'REASON',
        label: reason.category === null ? reason.name : `${reason.category.name} › ${reason.name}`,
        reason,
        state: null,
        durationSec: 0,
        eventCount: 0,
      }));
    } else if (entry.state === 'DOWN' || entry.state === 'IDLE' || entry.reasonId !== null) {
      // A reason id that no longer resolves is as good as none.
      add('unclassified', entry, () => ({
        key: 'unclassified',
        kind: 'UNCLASSIFIED',
        label: 'Unclassified',
        reason: null,
        state: null,
        durationSec: 0,
        eventCount: 0,
      }));
    } else {
      add(`state:${entry.state}`, entry, () => ({
        key: `state:${entry.state}`,
        kind: 'STATE',
        label: STATE_BAR_LABEL[entry.state] ?? entry.state,
        reason: null,
        state: entry.state,
        durationSec: 0,
        eventCount: 0,
      }));
    }
  }

  const sorted = [...bars.values()]
    .filter((b) => b.durationMs > 0 || b.eventCount > 0)
    .sort((a, b) => b.durationMs - a.durationMs || b.eventCount - a.eventCount || a.key.localeCompare(b.key));
  const totalDurationMs = sorted.reduce((sum, b) => sum + b.durationMs, 0);
  let cumulativeMs = 0;
  return {
    scope: resolved.scope,
    from: iso(resolved.fromMs),
    to: iso(resolved.toMs),
    evaluatedTo: iso(resolved.evaluatedToMs),
    totalDurationSec: totalDurationMs / 1000,
    totalEventCount: sorted.reduce((sum, b) => sum + b.eventCount, 0),
    bars: sorted.map(({ durationMs, ...bar }) => {
      cumulativeMs += durationMs;
      return {
        ...bar,
        durationSec: durationMs / 1000,
        share: totalDurationMs > 0 ? durationMs / totalDurationMs : null,
        cumulativeShare: totalDurationMs > 0 ? cumulativeMs / totalDurationMs : null,
      };
    }),
  };
}
