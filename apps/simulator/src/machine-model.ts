// A deterministic model of one machine (pure: no clock, no I/O): given a seed it produces the same state
// timeline and part counts on every run. States follow docs/domain.md "Machine states":
//   PRODUCING    – parts come out at the ideal cycle time slowed by a speed loss drawn per run (performance
//                  loss), each part scrap with probability `scrapRate` (quality loss);
//   IDLE         – micro-stops, exponential gaps (in producing time) and durations;
//   DOWN         – breakdowns, exponential MTBF (in producing time) and MTTR, with an unplanned reason;
//   CHANGEOVER   – after a run of the current product, setup for the next product in the list;
//   NO_ORDER     – outside the line's shifts (machine-schedule.ts);
//   PLANNED_STOP – shift breaks and planned downtime, with their reason.
// Competing risks: each producing stretch ends at whichever of micro-stop, breakdown and end of run comes
// first (memorylessness of the exponential makes redrawing at each stretch exact).
//
// The schedule pauses the stochastic activity rather than replacing it: outside working slots no working time
// passes, and at the next shift start (or the end of a break) the machine takes up what it was doing — a repair
// left at the end of the Friday night shift goes on on Monday morning. All times are the caller's clock
// (`advanceTo`), which is also the clock of the shift boundaries.
//
// `timeScale` (SIMULATOR_SPEED) compresses the stochastic durations (stops, runs) but neither the cycle time nor
// the shift calendar, so a demo at speed 60 shows an hour of stops per minute while counts stay true to the
// ideal cycle time, shifts stay where the dashboards expect them and OEE stays plausible. Timestamps are
// always the clock's.
//
// Open: work orders would replace the round-robin product plan.
import type { TMachineState } from '@takt/contracts';
import { ALWAYS_WORKING, type MachineSchedule, type ScheduleSlot } from './machine-schedule.ts';
import { deriveSeed, mulberry32, pick, sampleExponential, sampleUniform, type Prng } from './seeded.prng.ts';

export type SimProduct = { code: string; idealCycleTimeSec: number };

export type MachineModelParams = {
  /** Mean producing time between two micro-stops. */
  microStopEverySec: number;
  microStopMeanSec: number;
  /** Mean producing time between breakdowns (MTBF) and mean time to repair (MTTR). */
  mtbfSec: number;
  mttrSec: number;
  /** Producing time of one product before a changeover, drawn uniformly. */
  runLengthMinSec: number;
  runLengthMaxSec: number;
  changeoverMinSec: number;
  changeoverMaxSec: number;
  /** Actual speed as a share of the ideal, drawn uniformly per producing stretch. */
  speedShareMin: number;
  speedShareMax: number;
  scrapRate: number;
  /** Cycle time of a machine with no product (no ideal cycle time configured). */
  defaultCycleTimeSec: number;
};

export const DEFAULT_MACHINE_MODEL_PARAMS: MachineModelParams = {
  microStopEverySec: 10 * 60,
  microStopMeanSec: 40,
  mtbfSec: 4 * 3600,
  mttrSec: 20 * 60,
  runLengthMinSec: 2 * 3600,
  runLengthMaxSec: 4 * 3600,
  changeoverMinSec: 10 * 60,
  changeoverMaxSec: 25 * 60,
  speedShareMin: 0.85,
  speedShareMax: 0.98,
  scrapRate: 0.02,
  defaultCycleTimeSec: 10,
};

export type MachineModelConfig = {
  /** The machine's own seed (derive it from the plant seed and the machine path). */
  seed: number;
  startMs: number;
  /** Products the machine can make, in changeover order; empty: it makes anonymous parts. */
  products: readonly SimProduct[];
  /** Unplanned downtime reason codes a breakdown is attributed to; empty: none. */
  downReasonCodes: readonly string[];
  /** Speed factor for stops and runs (1 = real time). */
  timeScale?: number;
  /** Shifts, breaks and planned downtime; default: working around the clock. */
  schedule?: MachineSchedule;
  params?: Partial<MachineModelParams>;
};

export type MachineStateChange = {
  tsMs: number;
  state: TMachineState;
  reasonCode: string | null;
  productCode: string | null;
};

export type MachineAdvance = {
  /** State changes in (previous time, new time], in order. */
  stateChanges: MachineStateChange[];
  goodCount: number;
  rejectCount: number;
};

export type MachineModel = {
  /** The state the machine is in, with the time it entered it. */
  current(): MachineStateChange;
  /** Runs the model forward to `tsMs`; a time not after the last one changes nothing. */
  advanceTo(tsMs: number): MachineAdvance;
};

type SimulatedState = 'PRODUCING' | 'IDLE' | 'DOWN' | 'CHANGEOVER';

/** What the machine does while it is scheduled to work; it lasts `durationMs` of working time. */
type Activity = {
  state: SimulatedState;
  durationMs: number;
  /** Working time still to go: the activity pauses outside working slots. */
  remainingMs: number;
  reasonCode: string | null;
  /** PRODUCING only: the stop that ends it, and the speed as per-mille of the ideal. */
  nextStop: Exclude<SimulatedState, 'PRODUCING'> | null;
  speedPermille: number;
};

export function createMachineModel(config: MachineModelConfig): MachineModel {
  const params: MachineModelParams = { ...DEFAULT_MACHINE_MODEL_PARAMS, ...config.params };
  const timeScale = config.timeScale ?? 1;
  const schedule = config.schedule ?? ALWAYS_WORKING;
  // Separate streams: the state timeline does not depend on how many parts were made (or checked for
  // scrap) in between, so advancing in any step size gives the same result.
  const stateRng: Prng = mulberry32(config.seed);
  const scrapRng: Prng = mulberry32(deriveSeed(config.seed, 'scrap'));
  const scaledMs = (sec: number) => Math.max(1, Math.round((sec * 1000) / timeScale));

  let productIndex = Math.floor(stateRng.next() * Math.max(1, config.products.length));
  let runRemainingMs = scaledMs(sampleUniform(stateRng, params.runLengthMinSec, params.runLengthMaxSec));
  // Integer progress in ms × per-mille speed, so that part completions are exact whatever the step size.
  let cycleProgress = 0;
  let cursorMs = config.startMs;

  const product = (): SimProduct | undefined => config.products[productIndex];
  const cycleUnits = () =>
    Math.max(1, Math.round((product()?.idealCycleTimeSec ?? params.defaultCycleTimeSec) * 1000)) * 1000;
  const activity = (
    state: SimulatedState,
    durationMs: number,
    rest: Pick<Activity, 'reasonCode' | 'nextStop' | 'speedPermille'>,
  ): Activity => ({ state, durationMs, remainingMs: durationMs, ...rest });

  function producing(): Activity {
    const untilMicroStopMs = scaledMs(sampleExponential(stateRng, params.microStopEverySec));
    const untilBreakdownMs = scaledMs(sampleExponential(stateRng, params.mtbfSec));
    const speedPermille = Math.round(sampleUniform(stateRng, params.speedShareMin, params.speedShareMax) * 1000);
    const durationMs = Math.min(untilMicroStopMs, untilBreakdownMs, runRemainingMs);
    const nextStop = durationMs === runRemainingMs ? 'CHANGEOVER' : durationMs === untilBreakdownMs ? 'DOWN' : 'IDLE';
    return activity('PRODUCING', durationMs, { reasonCode: null, nextStop, speedPermille });
  }

  function stop(state: Exclude<SimulatedState, 'PRODUCING'>): Activity {
    const rest = { nextStop: null, speedPermille: 0 };
    switch (state) {
      case 'IDLE':
        return activity(state, scaledMs(sampleExponential(stateRng, params.microStopMeanSec)), {
          ...rest,
          reasonCode: null,
        });
      case 'DOWN': {
        const durationMs = scaledMs(sampleExponential(stateRng, params.mttrSec));
        return activity(state, durationMs, { ...rest, reasonCode: pick(stateRng, config.downReasonCodes) ?? null });
      }
      case 'CHANGEOVER':
        // Setting up for the next product: the changeover belongs to it.
        productIndex = config.products.length === 0 ? 0 : (productIndex + 1) % config.products.length;
        runRemainingMs = scaledMs(sampleUniform(stateRng, params.runLengthMinSec, params.runLengthMaxSec));
        cycleProgress = 0;
        return activity(state, scaledMs(sampleUniform(stateRng, params.changeoverMinSec, params.changeoverMaxSec)), {
          ...rest,
          reasonCode: null,
        });
    }
  }

  /** The activity after `previous` (the transition table). */
  function next(previous: Activity): Activity {
    if (previous.state !== 'PRODUCING') return producing();
    runRemainingMs -= previous.durationMs;
    return stop(previous.nextStop ?? 'IDLE');
  }

  function initial(): Activity {
    const draw = stateRng.next();
    if (draw < 0.85) return producing();
    return stop(draw < 0.93 ? 'IDLE' : 'DOWN');
  }

  let current = initial();
  let slot: ScheduleSlot = schedule.slotAt(config.startMs);
  /** What the machine reports: the schedule's state outside working slots, else the activity's. */
  const report = (tsMs: number): MachineStateChange => ({
    tsMs,
    state: slot.kind === 'WORKING' ? current.state : slot.kind,
    reasonCode: slot.kind === 'WORKING' ? current.reasonCode : slot.reasonCode,
    productCode: product()?.code ?? null,
  });
  let reported = report(config.startMs);

  /** Moves the cursor to `untilMs`: working time passes (and parts come out) only in a working slot. */
  function elapse(untilMs: number, result: MachineAdvance): void {
    if (untilMs <= cursorMs) return;
    if (slot.kind === 'WORKING') {
      current.remainingMs -= untilMs - cursorMs;
      if (current.state === 'PRODUCING') {
        cycleProgress += (untilMs - cursorMs) * current.speedPermille;
        const units = cycleUnits();
        const parts = Math.floor(cycleProgress / units);
        cycleProgress -= parts * units;
        for (let part = 0; part < parts; part += 1) {
          if (scrapRng.next() < params.scrapRate) result.rejectCount += 1;
          else result.goodCount += 1;
        }
      }
    }
    cursorMs = untilMs;
  }

  return {
    current: () => reported,
    advanceTo(tsMs) {
      const result: MachineAdvance = { stateChanges: [], goodCount: 0, rejectCount: 0 };
      if (tsMs <= cursorMs) return result;
      for (;;) {
        const activityEndMs = slot.kind === 'WORKING' ? cursorMs + current.remainingMs : Number.POSITIVE_INFINITY;
        const eventMs = Math.min(activityEndMs, slot.endMs);
        if (eventMs > tsMs) break;
        elapse(eventMs, result);
        if (eventMs === activityEndMs) current = next(current);
        if (eventMs >= slot.endMs) slot = schedule.slotAt(eventMs);
        const change = report(eventMs);
        // A slot may continue in the next one (schedule horizon): only real changes are reported.
        if (
          change.state !== reported.state ||
          change.reasonCode !== reported.reasonCode ||
          change.productCode !== reported.productCode
        ) {
          reported = change;
          result.stateChanges.push(change);
        }
      }
      elapse(tsMs, result);
      return result;
    },
  };
}
