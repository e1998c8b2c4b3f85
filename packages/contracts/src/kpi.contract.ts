// KPI endpoints (docs/kpi.md): OEE with its components, loss waterfall, series and per-child breakdown; the
// downtime Pareto; MTBF and MTTR; the explanation behind a figure; a machine's state timeline. Every figure is
// made of additive components (seconds and part counts) so that the client can re-aggregate them; a ratio with no
// denominator is null ("not applicable"), never 0.
import { z } from 'zod';
import { cursorCodec, ZCursorInstant } from './cursor.contract.ts';
import { ZInstant } from './instant.contract.ts';
import { ZMachineState } from './machine-state.contract.ts';

export const KPI_SCOPE_KINDS = ['site', 'area', 'line', 'machine'] as const;
export const ZKpiScopeKind = z.enum(KPI_SCOPE_KINDS);
export type TKpiScopeKind = z.infer<typeof ZKpiScopeKind>;

export const KPI_BUCKETS = ['hour', 'shift', 'day'] as const;
export const ZKpiBucket = z.enum(KPI_BUCKETS);
export type TKpiBucket = z.infer<typeof ZKpiBucket>;

/** Longest range any KPI query accepts. */
export const KPI_MAX_RANGE_DAYS = 400;
/** Longest range of an hourly series (at most 24 × 31 points per series). */
export const KPI_MAX_HOURLY_RANGE_DAYS = 31;
/** Longest range of an explanation, which lists every interval and count. */
export const KPI_MAX_EXPLAIN_RANGE_DAYS = 7;
/** Longest range of a machine timeline query. */
export const KPI_MAX_TIMELINE_RANGE_DAYS = 31;

const DAY_MS = 86_400_000;

type TRangeFields = { from: string; to: string };

/** Rejects from ≥ to and ranges longer than `maxDays`, as field errors on `to`. */
export function checkRange(maxDays: number) {
  return (value: TRangeFields, ctx: z.RefinementCtx) => {
    const fromMs = Date.parse(value.from);
    const toMs = Date.parse(value.to);
    if (!(toMs > fromMs)) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`.' });
    else if (toMs - fromMs > maxDays * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${maxDays} days.` });
    }
  };
}

export const ZKpiScopeFields = {
  scope: ZKpiScopeKind.meta({ description: 'What `id` names: a site, an area, a line or a machine.' }),
  id: z.uuid(),
  from: ZInstant.meta({ description: 'Start of the range (inclusive).' }),
  to: ZInstant.meta({ description: 'End of the range (exclusive); the figures stop at the present.' }),
};

export const ZKpiOeeQuery = z
  .object({
    ...ZKpiScopeFields,
    bucket: ZKpiBucket.default('day').meta({
      description: 'Series buckets: hours and days of the site’s time zone, or the shifts of each line’s pattern.',
    }),
  })
  .superRefine(checkRange(KPI_MAX_RANGE_DAYS))
  .superRefine((value, ctx) => {
    if (value.bucket === 'hour' && Date.parse(value.to) - Date.parse(value.from) > KPI_MAX_HOURLY_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['bucket'],
        message: `Hourly series span at most ${KPI_MAX_HOURLY_RANGE_DAYS} days; use day or shift buckets.`,
      });
    }
  });
export type TKpiOeeQuery = z.infer<typeof ZKpiOeeQuery>;

export const ZKpiRangeQuery = z.object(ZKpiScopeFields).superRefine(checkRange(KPI_MAX_RANGE_DAYS));
export type TKpiRangeQuery = z.infer<typeof ZKpiRangeQuery>;

export const ZKpiMtbfMttrQuery = ZKpiOeeQuery;
export type TKpiMtbfMttrQuery = TKpiOeeQuery;

export const ZKpiExplainQuery = z.object(ZKpiScopeFields).superRefine(checkRange(KPI_MAX_EXPLAIN_RANGE_DAYS));
export type TKpiExplainQuery = z.infer<typeof ZKpiExplainQuery>;

// ------------------------------------------------------------------------------------------------ figures

export const ZMissingIdealCycleTime = z.object({
  machineId: z.string(),
  productId: z.string().nullable(),
  totalCount: z.number(),
});

/** Additive components (@takt/kpi TKpiComponents): sum them to aggregate, then derive the ratios. */
export const ZKpiComponents = z.object({
  calendarTimeSec: z.number(),
  shiftTimeSec: z.number(),
  plannedShutdownTimeSec: z.number(),
  plannedBusyTimeSec: z.number().meta({ description: 'Planned production time (ISO 22400 planned busy time).' }),
  runTimeSec: z.number().meta({ description: 'ISO 22400 actual production time.' }),
  unplannedDownTimeSec: z.number(),
  downTimeSec: z.number(),
  idleTimeSec: z.number(),
  setupTimeSec: z.number(),
  offlineTimeSec: z.number(),
  unclassifiedDownTimeSec: z.number(),
  downEventCount: z.number(),
  goodCount: z.number(),
  rejectCount: z.number(),
  countWithIdealCycleTime: z.number(),
  countOutsidePlannedBusyTime: z.number(),
  idealProductionTimeSec: z.number().meta({ description: 'Net run time: Σ ideal cycle time × total count.' }),
  goodIdealTimeSec: z.number().meta({ description: 'Fully productive time: Σ ideal cycle time × good count.' }),
  missingIdealCycleTime: z.array(ZMissingIdealCycleTime),
});
export type TKpiComponentsContract = z.infer<typeof ZKpiComponents>;

/** Ratios derived from components (@takt/kpi TKpis); null means not applicable. */
export const ZKpis = z.object({
  availability: z.number().nullable(),
  performance: z.number().nullable(),
  quality: z.number().nullable(),
  oee: z.number().nullable(),
  teep: z.number().nullable(),
  utilization: z.number().nullable(),
  scrapRate: z.number().nullable(),
  throughputPerHour: z.number().nullable(),
  mtbfSec: z.number().nullable(),
  mttrSec: z.number().nullable(),
  unclassifiedDownTimeShare: z.number().nullable(),
  dataGapShare: z.number().nullable(),
  isPerformanceAboveIdeal: z.boolean(),
  hasMissingIdealCycleTime: z.boolean(),
});
export type TKpisContract = z.infer<typeof ZKpis>;

const ZLossWaterfallSteps = z.object({
  plannedProductionTime: z.number(),
  availabilityLoss: z.number(),
  runTime: z.number(),
  performanceLoss: z.number(),
  netRunTime: z.number(),
  qualityLoss: z.number(),
  fullyProductiveTime: z.number(),
});

/** Planned → run → net run → fully productive time, in seconds and in parts (@takt/kpi TLossWaterfall). */
export const ZLossWaterfall = z.object({
  seconds: ZLossWaterfallSteps,
  availabilityLossSec: z.object({
    downSec: z.number(),
    idleSec: z.number(),
    setupSec: z.number(),
    offlineSec: z.number(),
  }),
  weightedIdealCycleTimeSec: z.number().nullable(),
  parts: ZLossWaterfallSteps.nullable(),
});

export const KPI_LOSS_CODES = ['BREAKDOWN', 'SETUP', 'IDLE', 'DATA_GAP', 'PERFORMANCE', 'QUALITY'] as const;

/** One of the losses between planned production time and fully productive time. */
export const ZKpiLoss = z.object({
  code: z.enum(KPI_LOSS_CODES),
  label: z.string(),
  durationSec: z.number().meta({ description: 'Negative for performance when parts ran faster than ideal.' }),
  shareOfPlannedTime: z.number().nullable(),
});

export const ZKpiFigures = z.object({ components: ZKpiComponents, kpis: ZKpis });
export type TKpiFigures = z.infer<typeof ZKpiFigures>;

export const ZKpiScope = z.object({
  kind: ZKpiScopeKind,
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  /** The site's IANA time zone, in which hours, days and shifts are laid out. */
  timeZone: z.string(),
});
export type TKpiScope = z.infer<typeof ZKpiScope>;

const ZKpiRange = {
  scope: ZKpiScope,
  from: z.string(),
  to: z.string(),
  /** Where the figures stop: `to`, or the present when `to` lies in the future. */
  evaluatedTo: z.string(),
};

export const ZKpiSeriesPoint = ZKpiFigures.extend({
  from: z.string(),
  to: z.string(),
  /** Local date (day buckets, and the date a shift starts on), else null. */
  localDate: z.string().nullable(),
  /** Shift code (shift buckets), else null. */
  shiftCode: z.string().nullable(),
  label: z.string(),
});
export type TKpiSeriesPoint = z.infer<typeof ZKpiSeriesPoint>;

export const ZKpiChild = ZKpiFigures.extend({
  kind: ZKpiScopeKind,
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
});
export type TKpiChild = z.infer<typeof ZKpiChild>;

export const ZKpiOeeResponse = z.object({
  ...ZKpiRange,
  bucket: ZKpiBucket,
  totals: ZKpiFigures.extend({ lossWaterfall: ZLossWaterfall }),
  losses: z.array(ZKpiLoss),
  series: z.array(ZKpiSeriesPoint),
  /** One entry per child: areas of a site, lines of an area, machines of a line; none for a machine. */
  children: z.array(ZKpiChild),
  /** How the figures were made: rollup rows read (machine-days and machine-hours), cells computed from raw data. */
  computation: z.object({ rollupRows: z.number(), exactCells: z.number(), durationMs: z.number() }),
});
export type TKpiOeeResponse = z.infer<typeof ZKpiOeeResponse>;

// ------------------------------------------------------------------------------------------------ Pareto

export const KPI_PARETO_BAR_KINDS = ['REASON', 'UNCLASSIFIED', 'STATE'] as const;

export const ZKpiParetoBar = z.object({
  key: z.string(),
  /** REASON: a downtime reason; UNCLASSIFIED: DOWN or IDLE without one; STATE: CHANGEOVER or OFFLINE without one. */
  kind: z.enum(KPI_PARETO_BAR_KINDS),
  label: z.string(),
  reason: z
    .object({
      id: z.uuid(),
      code: z.string(),
      name: z.string(),
      kind: z.enum(['PLANNED', 'UNPLANNED']),
      category: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
    })
    .nullable(),
  state: ZMachineState.nullable(),
  durationSec: z.number().meta({ description: 'Unplanned down time within planned busy time.' }),
  eventCount: z.number().meta({ description: 'Stops that start in the range.' }),
  share: z.number().nullable(),
  cumulativeShare: z.number().nullable(),
});
export type TKpiParetoBar = z.infer<typeof ZKpiParetoBar>;

export const ZKpiParetoResponse = z.object({
  ...ZKpiRange,
  totalDurationSec: z.number(),
  totalEventCount: z.number(),
  bars: z.array(ZKpiParetoBar),
});
export type TKpiParetoResponse = z.infer<typeof ZKpiParetoResponse>;

// ------------------------------------------------------------------------------------------------ MTBF / MTTR

export const ZKpiReliability = z.object({
  downEventCount: z.number(),
  runTimeSec: z.number(),
  downTimeSec: z.number(),
  mtbfSec: z.number().nullable(),
  mttrSec: z.number().nullable(),
});
export type TKpiReliability = z.infer<typeof ZKpiReliability>;

export const ZKpiMtbfMttrResponse = z.object({
  ...ZKpiRange,
  bucket: ZKpiBucket,
  totals: ZKpiReliability,
  series: z.array(ZKpiReliability.extend({ from: z.string(), to: z.string(), label: z.string() })),
  children: z.array(ZKpiReliability.extend({ kind: ZKpiScopeKind, id: z.uuid(), code: z.string(), name: z.string() })),
});
export type TKpiMtbfMttrResponse = z.infer<typeof ZKpiMtbfMttrResponse>;

// ------------------------------------------------------------------------------------------------ explanation

const ZExplainInterval = z.object({
  state: ZMachineState,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  reason: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
  product: z.object({ id: z.uuid(), code: z.string() }).nullable(),
  sourceCode: z.string().nullable(),
});

const ZExplainCount = z.object({
  bucketStart: z.string(),
  bucketSec: z.number(),
  product: z.object({ id: z.uuid(), code: z.string() }).nullable(),
  goodCount: z.number(),
  rejectCount: z.number(),
});

const ZExplainWindow = z.object({ from: z.string(), to: z.string() });

export const ZKpiExplainMachine = ZKpiFigures.extend({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  path: z.string(),
  lineId: z.uuid(),
  /** Until when this machine counts: the range's end, or when it was archived. */
  evaluatedTo: z.string(),
  stateIntervals: z.array(ZExplainInterval),
  counts: z.array(ZExplainCount),
  plannedDowntime: z.array(
    ZExplainWindow.extend({
      scope: z.enum(['LINE', 'MACHINE']),
      reasonCode: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  idealCycleTimes: z.array(
    z.object({
      product: z.object({ id: z.uuid(), code: z.string() }),
      idealCycleTimeSec: z.number(),
      source: z.enum(['MACHINE', 'LINE']),
    }),
  ),
});

export const ZKpiExplainResponse = z.object({
  ...ZKpiRange,
  /** The planned-time calendar of each line: shift windows with their breaks, in the site's time zone. */
  calendars: z.array(
    z.object({
      lineId: z.uuid(),
      lineCode: z.string(),
      shiftPattern: z.object({ id: z.uuid(), code: z.string() }).nullable(),
      shiftWindows: z.array(
        ZExplainWindow.extend({
          shiftCode: z.string(),
          shiftDate: z.string(),
          breaks: z.array(ZExplainWindow.extend({ name: z.string() })),
        }),
      ),
    }),
  ),
  machines: z.array(ZKpiExplainMachine),
  /** The pure KPI engine's result over exactly the data listed here. */
  totals: ZKpiFigures,
  /** The figure as GET /kpi/oee answers it (rollups plus exact edges) for the same scope and range. */
  reported: ZKpiFigures,
  /** Both agree to the millisecond and the part: false means the rollups are stale and need a refresh. */
  isConsistent: z.boolean(),
});
export type TKpiExplainResponse = z.infer<typeof ZKpiExplainResponse>;

// ------------------------------------------------------------------------------------------------ timeline

/** A timeline page continues at the start of the next interval. */
export const machineTimelineCursor = cursorCodec(z.tuple([ZCursorInstant]));

export const ZMachineTimelineQuery = z
  .object({
    from: ZInstant,
    to: ZInstant,
    limit: z.coerce.number().int().min(1).max(20_000).default(5_000).meta({ description: 'Page size (1–20000).' }),
    cursor: machineTimelineCursor.param,
  })
  .superRefine(checkRange(KPI_MAX_TIMELINE_RANGE_DAYS));
export type TMachineTimelineQuery = z.infer<typeof ZMachineTimelineQuery>;

export const ZMachineTimelineItem = z.object({
  state: ZMachineState,
  /** Clipped to the range; a state lasts until the next one starts. */
  from: z.string(),
  to: z.string(),
  /** The machine is still in this state (the interval has no end yet); `to` is then the present. */
  isOpen: z.boolean(),
  reason: z
    .object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.enum(['PLANNED', 'UNPLANNED']) })
    .nullable(),
  product: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
  sourceCode: z.string().nullable(),
});
export type TMachineTimelineItem = z.infer<typeof ZMachineTimelineItem>;

export const ZMachineTimelineResponse = z.object({
  machine: z.object({ id: z.uuid(), code: z.string(), name: z.string(), path: z.string() }),
  from: z.string(),
  to: z.string(),
  items: z.array(ZMachineTimelineItem),
  nextCursor: z.string().nullable(),
});
export type TMachineTimelineResponse = z.infer<typeof ZMachineTimelineResponse>;
