// A deterministic model of one machine (pure: no clock, no I/O): given a seed it produces the same state
// timeline and part counts on every run. States follow DESIGN.md "Machine states":
//   PRODUCING  – parts come out at the ideal cycle time slowed by a speed loss drawn per run (performance
//                loss), each part scrap with probability `scrapRate` (quality loss);
//   IDLE       – micro-stops, exponential gaps (in producing time) and durations;
//   DOWN       – breakdowns, exponential MTBF (in producing time) and MTTR, with an unplanned reason;
//   CHANGEOVER – after a run of the current product, setup for the next product in the list.
// Competing risks: each producing stretch ends at whichever of micro-stop, breakdown and end of run comes
// first (memorylessness of the exponential makes redrawing at each stretch exact).
//
// `timeScale` (SIMULATOR_SPEED) compresses the stochastic durations (stops, runs) but not the cycle time, so
// a demo at speed 60 shows an hour of stops per minute while counts stay true to the ideal cycle time and
// OEE stays plausible. Timestamps are always real time.
//
// Open for the later simulator issue: shift calendars and planned stops (PLANNED_STOP, NO_ORDER) become
// further entries of the transition table below, driven by a schedule passed in the config; work orders
// would replace the round-robin product plan.
import type { TMachineState } from '@takt/contracts';
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

type Segment = {
  state: SimulatedState;
  startMs: number;
  endMs: number;
  reasonCode: string | null;
  /** PRODUCING only: the stop that ends it, and the speed as per-mille of the ideal. */
  nextStop: Exclude<SimulatedState, 'PRODUCING'> | null;
  speedPermille: number;
};

export function createMachineModel(config: MachineModelConfig): MachineModel {
  const params: MachineModelParams = { ...DEFAULT_MACHINE_MODEL_PARAMS, ...config.params };
  const timeScale = config.timeScale ?? 1;
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

  function producing(startMs: number): Segment {
    const untilMicroStopMs = scaledMs(sampleExponential(stateRng, params.microStopEverySec));
    const untilBreakdownMs = scaledMs(sampleExponential(stateRng, params.mtbfSec));
    const speedPermille = Math.round(sampleUniform(stateRng, params.speedShareMin, params.speedShareMax) * 1000);
    const durationMs = Math.min(untilMicroStopMs, untilBreakdownMs, runRemainingMs);
    const nextStop = durationMs === runRemainingMs ? 'CHANGEOVER' : durationMs === untilBreakdownMs ? 'DOWN' : 'IDLE';
    return { state: 'PRODUCING', startMs, endMs: startMs + durationMs, reasonCode: null, nextStop, speedPermille };
  }

  function stop(state: Exclude<SimulatedState, 'PRODUCING'>, startMs: number): Segment {
    const base = { state, startMs, nextStop: null, speedPermille: 0 };
    switch (state) {
      case 'IDLE':
        return {
          ...base,
          endMs: startMs + scaledMs(sampleExponential(stateRng, params.microStopMeanSec)),
          reasonCode: null,
        };
      case 'DOWN':
        return {
          ...base,
          endMs: startMs + scaledMs(sampleExponential(stateRng, params.mttrSec)),
          reasonCode: pick(stateRng, config.downReasonCodes) ?? null,
        };
      case 'CHANGEOVER':
        // Setting up for the next product: the changeover belongs to it.
        productIndex = config.products.length === 0 ? 0 : (productIndex + 1) % config.products.length;
        runRemainingMs = scaledMs(sampleUniform(stateRng, params.runLengthMinSec, params.runLengthMaxSec));
        cycleProgress = 0;
        return {
          ...base,
          endMs: startMs + scaledMs(sampleUniform(stateRng, params.changeoverMinSec, params.changeoverMaxSec)),
          reasonCode: null,
        };
    }
  }

  /** The segment after `previous` (the transition table). */
  function next(previous: Segment): Segment {
    if (previous.state !== 'PRODUCING') return producing(previous.endMs);
    runRemainingMs -= previous.endMs - previous.startMs;
    return stop(previous.nextStop ?? 'IDLE', previous.endMs);
  }

  function initial(startMs: number): Segment {
    const draw = stateRng.next();
    if (draw < 0.85) return producing(startMs);
    return stop(draw < 0.93 ? 'IDLE' : 'DOWN', startMs);
  }

  let segment = initial(config.startMs);
  const toChange = (s: Segment): MachineStateChange => ({
    tsMs: s.startMs,
    state: s.state,
    reasonCode: s.reasonCode,
    productCode: product()?.code ?? null,
  });

  function accrue(untilMs: number, result: MachineAdvance): void {
    if (segment.state === 'PRODUCING' && untilMs > cursorMs) {
      cycleProgress += (untilMs - cursorMs) * segment.speedPermille;
      const units = cycleUnits();
      const parts = Math.floor(cycleProgress / units);
      cycleProgress -= parts * units;
      for (let part = 0; part < parts; part += 1) {
        if (scrapRng.next() < params.scrapRate) result.rejectCount += 1;
        else result.goodCount += 1;
      }
    }
    cursorMs = Math.max(cursorMs, untilMs);
  }

  return {
    current: () => toChange(segment),
    advanceTo(tsMs) {
      const result: MachineAdvance = { stateChanges: [], goodCount: 0, rejectCount: 0 };
      if (tsMs <= cursorMs) return result;
      while (segment.endMs <= tsMs) {
        accrue(segment.endMs, result);
        segment = next(segment);
        result.stateChanges.push(toChange(segment));
      }
      accrue(tsMs, result);
      return result;
    },
  };
}
