// What a machine is scheduled to do at any instant (pure: no clock, no I/O), from its line's shift calendar and
// the planned downtime of its line or itself. The calendar is laid out in the site's IANA time zone by
// @takt/kpi's expandShiftCalendar, the same expansion the KPIs and the seed use, so the simulated states line
// up with the planned time the dashboards compute (wall-clock shifts, 23 h and 25 h DST days included).
//
// Precedence per instant, as the KPI engine's (packages/kpi README "Precedence"), except that planned downtime
// also wins outside shifts, so that weekend maintenance shows as maintenance:
//   in planned downtime → PLANNED_STOP (its reason); outside every shift → NO_ORDER; in a break → PLANNED_STOP
//   (`breakReasonCode`); otherwise WORKING, and the machine model decides.
// A line without a shift pattern has no calendar: its machines may work around the clock.
//
// The calendar never ends, so it is expanded a horizon at a time; a slot that reaches the end of the expanded
// horizon ends there, and asking again at that instant continues it. Callers must therefore treat a slot that
// follows one of the same kind and reason as no change.
import { expandShiftCalendar, type TShiftDefinition, type TShiftWindow, type TTimeWindow } from '@takt/kpi';

export type ScheduleSlotKind = 'WORKING' | 'PLANNED_STOP' | 'NO_ORDER';

export type ScheduleSlot = {
  kind: ScheduleSlotKind;
  /** PLANNED_STOP: the break or planned downtime reason; null otherwise. */
  reasonCode: string | null;
  /** Where the slot ends (exclusive); ask again from there. */
  endMs: number;
};

export type MachineSchedule = {
  /** The slot that contains `tsMs`. */
  slotAt(tsMs: number): ScheduleSlot;
};

export type ScheduledDowntime = TTimeWindow & { reasonCode: string | null };

export type MachineCalendar = { timeZone: string; shifts: readonly TShiftDefinition[] };

export type MachineScheduleConfig = {
  /** The line's shift pattern in its site's time zone; null: no calendar, working around the clock. */
  calendar: MachineCalendar | null;
  /** Planned downtime of the machine's line and of the machine. */
  plannedDowntime?: readonly ScheduledDowntime[];
  /** Reason reported during shift breaks; null: none. */
  breakReasonCode?: string | null;
  /** How far one expansion of the calendar reaches, default 7 days. */
  horizonMs?: number;
};

const DEFAULT_HORIZON_MS = 7 * 24 * 3600_000;

/** Always working: a machine without calendar and planned downtime. */
export const ALWAYS_WORKING: MachineSchedule = {
  slotAt: () => ({ kind: 'WORKING', reasonCode: null, endMs: Number.POSITIVE_INFINITY }),
};

type Slot = ScheduleSlot & { startMs: number };

export function createMachineSchedule(config: MachineScheduleConfig): MachineSchedule {
  const { calendar } = config;
  const horizonMs = config.horizonMs ?? DEFAULT_HORIZON_MS;
  const breakReasonCode = config.breakReasonCode ?? null;
  const plannedDowntime = (config.plannedDowntime ?? [])
    .filter((downtime) => downtime.endMs > downtime.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  if (!(horizonMs > 0)) throw new RangeError('horizonMs must be positive');

  const contains = (window: TTimeWindow, tsMs: number) => window.startMs <= tsMs && tsMs < window.endMs;

  function classify(tsMs: number, shifts: readonly TShiftWindow[] | null): Omit<ScheduleSlot, 'endMs'> {
    const downtime = plannedDowntime.find((window) => contains(window, tsMs));
    if (downtime !== undefined) return { kind: 'PLANNED_STOP', reasonCode: downtime.reasonCode };
    if (shifts === null) return { kind: 'WORKING', reasonCode: null };
    const shift = shifts.find((window) => contains(window, tsMs));
    if (shift === undefined) return { kind: 'NO_ORDER', reasonCode: null };
    if (shift.breaks.some((window) => contains(window, tsMs)))
      return { kind: 'PLANNED_STOP', reasonCode: breakReasonCode };
    return { kind: 'WORKING', reasonCode: null };
  }

  /** Contiguous slots over [fromMs, fromMs + horizon), adjacent ones differing in kind or reason. */
  function expand(fromMs: number): Slot[] {
    const toMs = fromMs + horizonMs;
    const shifts = calendar === null ? null : expandShiftCalendar({ ...calendar, fromMs, toMs });
    const edges = new Set<number>([fromMs, toMs]);
    const addEdges = (window: TTimeWindow) => {
      for (const edgeMs of [window.startMs, window.endMs]) if (edgeMs > fromMs && edgeMs < toMs) edges.add(edgeMs);
    };
    plannedDowntime.forEach(addEdges);
    for (const shift of shifts ?? []) {
      addEdges(shift);
      shift.breaks.forEach(addEdges);
    }
    const sortedEdges = [...edges].sort((a, b) => a - b);
    const slots: Slot[] = [];
    for (let index = 0; index < sortedEdges.length - 1; index += 1) {
      const startMs = sortedEdges[index] ?? fromMs;
      const endMs = sortedEdges[index + 1] ?? toMs;
      const slot = classify(startMs, shifts);
      const last = slots.at(-1);
      if (last !== undefined && last.kind === slot.kind && last.reasonCode === slot.reasonCode) last.endMs = endMs;
      else slots.push({ ...slot, startMs, endMs });
    }
    return slots;
  }

  let expanded: Slot[] = [];
  return {
    slotAt(tsMs) {
      let slot = expanded.find((candidate) => contains(candidate, tsMs));
      if (slot === undefined) {
        // Throws on an unknown time zone or a malformed shift (expandShiftCalendar's checks).
        expanded = expand(tsMs);
        slot = expanded[0] as Slot; // [tsMs, tsMs + horizon) is never empty
      }
      return { kind: slot.kind, reasonCode: slot.reasonCode, endMs: slot.endMs };
    },
  };
}
