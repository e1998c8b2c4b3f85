// The SQL agrees with the pure engine: fast-check writes random machines (messy state intervals with gaps, overlaps
// and an open end; shift patterns with breaks in DST-changing time zones; planned downtime of the line and of the
// machine; counts with and without products and ideal cycle times) to PostgreSQL, then compares the SQL's
// components with @takt/kpi's computeMachineComponents over the same data, to the millisecond and to the part.
// Exact cells, rollups (with any coverage) and range queries cut into pieces are all checked, also after a
// configuration change that invalidated the rollups (recomputed at once, or marked stale and recomputed later).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_STATES, type TMachineState } from '@takt/contracts';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import {
  buildMachineTimeline,
  computeMachineComponents,
  expandLocalDays,
  expandShiftCalendar,
  NUMERIC_COMPONENTS,
  type TCountBucket,
  type TKpiComponents,
  type TShiftDefinition,
  type TStateInterval,
  type TTimeWindow,
} from '@takt/kpi';
import { computeCellComponents } from './cell-components.query.ts';
import { mergeDowntime } from './components-row.mapper.ts';
import { computeRangeComponents, computeRangeDowntime } from './range-components.query.ts';
import type { TDowntimeEntry, TRollupCoverage } from './kpi-sql.types.ts';
import { loadRollupCoverage } from './rollup-coverage.query.ts';
import {
  idealCycleTimeChange,
  invalidateRollups,
  refreshStaleRollups,
  type TRollupChange,
} from './rollup-invalidation.ts';
import { refreshRollups } from './rollup-refresh.ts';

const HOUR_MS = 3_600_000;
const HORIZON_MS = 2 * 24 * HOUR_MS;
// Around the EU spring and autumn clock changes and the US autumn one, so that shift windows cross them.
const BASES_MS = [Date.UTC(2024, 2, 30, 6, 0, 0, 0), Date.UTC(2024, 9, 26, 9, 17, 0, 250), Date.UTC(2024, 10, 2, 18)];
const TIME_ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'] as const;

let db: TestDatabase;
type TPlant = {
  machineId: string;
  otherMachineId: string;
  lines: { lineId: string; patternId: string; timeZone: string }[];
  products: Record<'A' | 'B' | 'C' | 'X', string>;
  reasons: string[];
};
let plant: TPlant;
/** Ideal cycle times as the pure engine sees them: the machine's own rows win over the line's. */
let idealSecByProduct: Map<string, number>;

beforeAll(async () => {
  db = await createTestDatabase('kpi_sql');
  const p = db.prisma;
  const enterprise = await p.enterprise.create({ data: { code: 'e', name: 'E' } });
  const products = {
    A: (await p.product.create({ data: { code: 'A', name: 'A' } })).id,
    B: (await p.product.create({ data: { code: 'B', name: 'B' } })).id,
    C: (await p.product.create({ data: { code: 'C', name: 'C' } })).id,
    X: (await p.product.create({ data: { code: 'X', name: 'X (no ideal cycle time)' } })).id,
  };
  const category = await p.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  const reasons = await Promise.all(
    ['JAM', 'MOTOR'].map(
      async (code) =>
        (await p.downtimeReason.create({ data: { code, name: code, kind: 'UNPLANNED', parentId: category.id } })).id,
    ),
  );
  // One line per time zone; the machines move between lines from run to run (the line decides the calendar).
  const lines: TPlant['lines'] = [];
  for (const [index, timeZone] of TIME_ZONES.entries()) {
    const site = await p.site.create({ data: { enterpriseId: enterprise.id, code: `s${index}`, name: 'S', timeZone } });
    const pattern = await p.shiftPattern.create({ data: { siteId: site.id, code: 'p', name: 'P' } });
    const area = await p.area.create({ data: { siteId: site.id, code: 'a', name: 'A' } });
    const line = await p.line.create({ data: { areaId: area.id, code: 'l', name: 'L', shiftPatternId: pattern.id } });
    lines.push({ lineId: line.id, patternId: pattern.id, timeZone });
    await p.idealCycleTime.createMany({
      data: [
        { lineId: line.id, productId: products.A, idealCycleTimeSec: 1.5 },
        { lineId: line.id, productId: products.B, idealCycleTimeSec: 0.7 },
      ],
    });
  }
  const firstLine = lines[0] as TPlant['lines'][number];
  const machine = await p.machine.create({ data: { lineId: firstLine.lineId, code: 'm1', path: 'x/m1', name: 'M1' } });
  const other = await p.machine.create({ data: { lineId: firstLine.lineId, code: 'm2', path: 'x/m2', name: 'M2' } });
  await p.idealCycleTime.createMany({
    data: [
      { machineId: machine.id, productId: products.B, idealCycleTimeSec: 0.9 },
      { machineId: machine.id, productId: products.C, idealCycleTimeSec: 12 },
    ],
  });
  idealSecByProduct = new Map([
    [products.A, 1.5],
    [products.B, 0.9],
    [products.C, 12],
  ]);
  plant = { machineId: machine.id, otherMachineId: other.id, lines, products, reasons };
});
afterAll(() => db.drop());

// ------------------------------------------------------------------------------------------------ generators

const productArb = fc.constantFrom<'A' | 'B' | 'C' | 'X' | null>(null, 'A', 'B', 'C', 'X');
const reasonArb = fc.constantFrom<number | null>(null, 0, 1);

const intervalsArb = fc.tuple(
  fc.integer({ min: -3 * HOUR_MS, max: 6 * HOUR_MS }),
  fc.array(
    fc.record({
      // Mostly contiguous, sometimes a gap, sometimes an overlap (bad data both sides must absorb alike).
      gapMs: fc.oneof(fc.constant(0), fc.integer({ min: -600_000, max: 3 * HOUR_MS })),
      durationMs: fc.oneof(fc.integer({ min: 1, max: 20 * 60_000 }), fc.integer({ min: 1, max: 8 * HOUR_MS })),
      state: fc.constantFrom(...MACHINE_STATES),
      reason: reasonArb,
      product: productArb,
    }),
    { maxLength: 40 },
  ),
  fc.boolean(),
);

const shiftsArb = fc.array(
  fc.record({
    startMinute: fc.integer({ min: 0, max: 1439 }),
    durationMin: fc.oneof(fc.integer({ min: 1, max: 1440 }), fc.constantFrom(480, 510, 720)),
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    breaks: fc.array(
      fc.record({ offsetMin: fc.integer({ min: 0, max: 600 }), durationMin: fc.integer({ min: 1, max: 90 }) }),
      {
        maxLength: 2,
      },
    ),
  }),
  { maxLength: 3 },
);

const windowArb = fc
  .tuple(fc.integer({ min: -2 * HOUR_MS, max: HORIZON_MS }), fc.integer({ min: 1, max: 5 * HOUR_MS }))
  .map(([offsetMs, lengthMs]) => ({ offsetMs, lengthMs }));

const scenarioArb = fc.record({
  baseIndex: fc.integer({ min: 0, max: BASES_MS.length - 1 }),
  lineIndex: fc.integer({ min: 0, max: TIME_ZONES.length - 1 }),
  intervals: intervalsArb,
  otherIntervals: intervalsArb,
  shifts: shiftsArb,
  plannedDowntime: fc.array(fc.record({ window: windowArb, isMachine: fc.boolean() }), { maxLength: 3 }),
  counts: fc.array(
    fc.record({
      offsetMs: fc.integer({ min: -HOUR_MS, max: HORIZON_MS + HOUR_MS }),
      product: productArb,
      goodCount: fc.integer({ min: 0, max: 5000 }),
      rejectCount: fc.integer({ min: 0, max: 500 }),
    }),
    { maxLength: 40 },
  ),
  ranges: fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: HORIZON_MS }),
      fc.oneof(fc.integer({ min: 0, max: 3 * HOUR_MS }), fc.integer({ min: 0, max: HORIZON_MS })),
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

type TScenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

type TWritten = {
  baseMs: number;
  timeZone: string;
  intervals: TStateInterval[];
  counts: TCountBucket[];
  shifts: TShiftDefinition[];
  plannedDowntime: (TTimeWindow & { isMachine: boolean })[];
  lineIndex: number;
};

// Intervals as the database can hold them: unique starts, a positive length, at most one open interval.
function intervalsOf(machineId: string, baseMs: number, spec: TScenario['intervals']): TStateInterval[] {
  const [startOffsetMs, specs, isLastOpen] = spec;
  const intervals: TStateInterval[] = [];
  const starts = new Set<number>();
  let cursorMs = baseMs + startOffsetMs;
  specs.forEach((s, index) => {
    const startMs = cursorMs + s.gapMs;
    const endMs = startMs + s.durationMs;
    cursorMs = endMs;
    if (starts.has(startMs)) return;
    starts.add(startMs);
    intervals.push({
      machineId,
      state: s.state,
      startMs,
      endMs: isLastOpen && index === specs.length - 1 ? null : endMs,
      reasonCode: s.reason === null ? null : (plant.reasons[s.reason] ?? null),
      productId: s.product === null ? null : plant.products[s.product],
    });
  });
  return intervals;
}

async function writeScenario(s: TScenario): Promise<TWritten> {
  const p = db.prisma;
  const baseMs = BASES_MS[s.baseIndex] as number;
  const line = plant.lines[s.lineIndex] as TPlant['lines'][number];
  const machineIds = [plant.machineId, plant.otherMachineId];
  await p.$transaction([
    p.machineStateInterval.deleteMany({ where: { machineId: { in: machineIds } } }),
    p.productionCount.deleteMany({ where: { machineId: { in: machineIds } } }),
    p.plannedDowntime.deleteMany({}),
    p.shift.deleteMany({ where: { patternId: line.patternId } }),
    p.kpiRollupHour.deleteMany({}),
    p.kpiRollupDay.deleteMany({}),
    p.kpiDowntimeHour.deleteMany({}),
    p.kpiRollupCoverage.deleteMany({}),
    p.machine.updateMany({ where: { id: { in: machineIds } }, data: { lineId: line.lineId } }),
    // A configuration change of an earlier run may have changed it.
    p.idealCycleTime.updateMany({
      where: { productId: plant.products.A, lineId: { not: null } },
      data: { idealCycleTimeSec: 1.5 },
    }),
  ]);
  idealSecByProduct.set(plant.products.A, 1.5);

  const intervals = intervalsOf(plant.machineId, baseMs, s.intervals);
  const otherIntervals = intervalsOf(plant.otherMachineId, baseMs, s.otherIntervals);
  await p.machineStateInterval.createMany({
    data: [...intervals, ...otherIntervals].map((i) => ({
      machineId: i.machineId,
      state: i.state,
      startedAt: new Date(i.startMs),
      endedAt: i.endMs === null ? null : new Date(i.endMs),
      reasonId: i.reasonCode ?? null,
      productId: i.productId ?? null,
    })),
  });

  // One row per (bucket, product): production_count_bucket_key, which the ingest upserts on.
  const countByKey = new Map<string, TCountBucket>();
  for (const c of s.counts) {
    const productId = c.product === null ? null : plant.products[c.product];
    const key = `${c.offsetMs}/${productId}`;
    const existing = countByKey.get(key);
    if (existing !== undefined) {
      existing.goodCount += c.goodCount;
      existing.rejectCount += c.rejectCount;
    } else {
      countByKey.set(key, {
        machineId: plant.machineId,
        bucketStartMs: baseMs + c.offsetMs,
        bucketSec: 60,
        productId,
        goodCount: c.goodCount,
        rejectCount: c.rejectCount,
      });
    }
  }
  const counts = [...countByKey.values()];
  await p.productionCount.createMany({
    data: [
      ...counts.map((c) => ({
        machineId: c.machineId,
        bucketStart: new Date(c.bucketStartMs),
        productId: c.productId,
        goodCount: c.goodCount,
        rejectCount: c.rejectCount,
      })),
      // The other machine's parts must never show up in this machine's figures.
      {
        machineId: plant.otherMachineId,
        bucketStart: new Date(baseMs + HOUR_MS),
        productId: plant.products.A,
        goodCount: 999,
      },
    ],
  });

  const shifts: TShiftDefinition[] = s.shifts.map((sh, index) => ({
    code: `s${index}`,
    startMinute: sh.startMinute,
    durationMin: sh.durationMin,
    weekdays: sh.weekdays,
    breaks: sh.breaks.map((b, k) => ({ name: `b${k}`, offsetMin: b.offsetMin, durationMin: b.durationMin })),
  }));
  await writeShifts(p, line.patternId, shifts);

  const plannedDowntime = s.plannedDowntime.map((pd) => ({
    startMs: baseMs + pd.window.offsetMs,
    endMs: baseMs + pd.window.offsetMs + pd.window.lengthMs,
    isMachine: pd.isMachine,
  }));
  await p.plannedDowntime.createMany({
    data: [
      ...plannedDowntime.map((pd) => ({
        startsAt: new Date(pd.startMs),
        endsAt: new Date(pd.endMs),
        ...(pd.isMachine ? { machineId: plant.machineId } : { lineId: line.lineId }),
      })),
      // Planned downtime of the other machine only must not touch this one.
      { machineId: plant.otherMachineId, startsAt: new Date(baseMs), endsAt: new Date(baseMs + HORIZON_MS) },
    ],
  });
  return { baseMs, timeZone: line.timeZone, intervals, counts, shifts, plannedDowntime, lineIndex: s.lineIndex };
}

async function writeShifts(
  p: Pick<TestDatabase['prisma'], 'shift'>,
  patternId: string,
  shifts: readonly TShiftDefinition[],
): Promise<void> {
  for (const sh of shifts) {
    await p.shift.create({
      data: {
        patternId,
        code: sh.code,
        name: sh.code,
        startMinute: sh.startMinute,
        durationMin: sh.durationMin,
        weekdays: [...sh.weekdays],
        breaks: {
          create: sh.breaks.map((b) => ({ name: b.name, offsetMin: b.offsetMin, durationMin: b.durationMin })),
        },
      },
    });
  }
}

function pureComponents(w: TWritten, fromMs: number, toMs: number): TKpiComponents {
  return computeMachineComponents({
    machineId: plant.machineId,
    fromMs,
    toMs,
    stateIntervals: w.intervals,
    counts: w.counts,
    shiftWindows: expandShiftCalendar({ shifts: w.shifts, timeZone: w.timeZone, fromMs, toMs }),
    plannedDowntimeWindows: w.plannedDowntime,
    idealCycleTimeSec: (_machineId, productId) => idealSecByProduct.get(productId) ?? null,
  });
}

// The downtime Pareto's raw material from the pure timeline: unplanned down time per state and reason, and the
// intervals (after normalization: a state lasts until the next starts) that start in the range.
function pureDowntime(w: TWritten, fromMs: number, toMs: number): TDowntimeEntry[] {
  const timeline = buildMachineTimeline({
    machineId: plant.machineId,
    fromMs,
    toMs,
    stateIntervals: w.intervals,
    shiftWindows: expandShiftCalendar({ shifts: w.shifts, timeZone: w.timeZone, fromMs, toMs }),
    plannedDowntimeWindows: w.plannedDowntime,
  });
  const entries: TDowntimeEntry[] = timeline
    .filter((s) => s.timeClass === 'UNPLANNED_DOWN')
    .map((s) => ({ state: s.state, reasonId: s.reasonCode, durationSec: (s.endMs - s.startMs) / 1000, eventCount: 0 }));
  const sorted = [...w.intervals].sort((a, b) => a.startMs - b.startMs);
  const downStates: ReadonlySet<TMachineState> = new Set(['DOWN', 'IDLE', 'CHANGEOVER', 'OFFLINE']);
  sorted.forEach((interval, k) => {
    const endMs = Math.min(interval.endMs ?? Infinity, sorted[k + 1]?.startMs ?? Infinity);
    if (endMs <= interval.startMs || interval.startMs < fromMs || interval.startMs >= toMs) return;
    if (!downStates.has(interval.state)) return;
    entries.push({ state: interval.state, reasonId: interval.reasonCode ?? null, durationSec: 0, eventCount: 1 });
  });
  return normalizeDowntime(entries);
}

function normalizeDowntime(entries: readonly TDowntimeEntry[]): TDowntimeEntry[] {
  return mergeDowntime(entries)
    .filter((e) => e.durationSec > 0 || e.eventCount > 0)
    .sort((a, b) => `${a.state}/${a.reasonId}`.localeCompare(`${b.state}/${b.reasonId}`));
}

const isClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectSameComponents(actual: TKpiComponents, expected: TKpiComponents, label: string): void {
  for (const key of NUMERIC_COMPONENTS) {
    if (key === 'idealProductionTimeSec' || key === 'goodIdealTimeSec') {
      expect(isClose(actual[key], expected[key]), `${label} ${key}: ${actual[key]} vs ${expected[key]}`).toBe(true);
    } else if (key.endsWith('Sec')) {
      // To the millisecond (the SQL sums integer milliseconds).
      expect(Math.round(actual[key] * 1000), `${label} ${key}`).toBe(Math.round(expected[key] * 1000));
    } else {
      expect(actual[key], `${label} ${key}`).toBe(expected[key]);
    }
  }
  expect(actual.missingIdealCycleTime, `${label} missingIdealCycleTime`).toEqual(expected.missingIdealCycleTime);
}

// ------------------------------------------------------------------------------------------------ properties

describe('kpi_cell_components agrees with computeMachineComponents', () => {
  it('on random machines, calendars and ranges (to the millisecond and the part), downtime per reason included', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const w = await writeScenario(s);
        const cells = s.ranges.map(([offsetMs, lengthMs]) => ({
          machineId: plant.machineId,
          fromMs: w.baseMs + offsetMs,
          toMs: w.baseMs + offsetMs + lengthMs,
        }));
        const results = await computeCellComponents({ prisma: db.prisma, cells });
        results.forEach((result, index) => {
          const label = `cell ${index} [${result.fromMs}, ${result.toMs}) ${w.timeZone}`;
          expectSameComponents(result.components, pureComponents(w, result.fromMs, result.toMs), label);
          expect(normalizeDowntime(result.downtime), label).toEqual(pureDowntime(w, result.fromMs, result.toMs));
        });
      }),
      { numRuns: 60 },
    );
  });
});

// Range queries of the machine over the whole horizon, cut at the given points, with and without rollups, against
// the pure engine over the data as written now; returns the rollup rows read.
async function expectRangeQueriesAgree(
  w: TWritten,
  coverage: TRollupCoverage | null,
  cutOffsets: { rawCuts: readonly number[]; hourCuts: readonly number[] },
  isArchivedEarly: boolean,
): Promise<number> {
  const fromMs = w.baseMs;
  const toMs = w.baseMs + HORIZON_MS;
  const cutsMs = [
    ...new Set([
      fromMs,
      toMs,
      ...cutOffsets.rawCuts.map((c) => fromMs + c),
      ...cutOffsets.hourCuts.map((h) => Math.floor(fromMs / HOUR_MS) * HOUR_MS + h * HOUR_MS),
    ]),
  ]
    .filter((c) => c >= fromMs && c <= toMs)
    .sort((a, b) => a - b);
  const machineToMs = isArchivedEarly ? fromMs + Math.floor((toMs - fromMs) / 3) : toMs;
  let rollupRows = 0;
  for (const useRollups of [true, false]) {
    const result = await computeRangeComponents({
      prisma: db.prisma,
      machines: [{ machineId: plant.machineId, groupNo: 7, toMs: machineToMs, coverage }],
      cutsMs,
      // Whole local days come from day rollups (when no cut point lies inside them).
      localDays: expandLocalDays({ timeZone: w.timeZone, fromMs, toMs }),
      useRollups,
    });
    if (useRollups) rollupRows += result.stats.rollupRows;
    const label = `useRollups=${useRollups} ${w.timeZone}`;
    expectSameComponents(
      result.byMachine.get(plant.machineId) ?? ({} as TKpiComponents),
      pureComponents(w, fromMs, machineToMs),
      `${label} total`,
    );
    for (let i = 0; i + 1 < cutsMs.length; i++) {
      const pieceFromMs = cutsMs[i] as number;
      const pieceToMs = Math.min(cutsMs[i + 1] as number, machineToMs);
      if (pieceToMs <= pieceFromMs) {
        expect(result.byGroupPiece.has(`7:${i}`), `${label} piece ${i} after the machine's end`).toBe(false);
        continue;
      }
      expectSameComponents(
        result.byGroupPiece.get(`7:${i}`) ?? ({} as TKpiComponents),
        pureComponents(w, pieceFromMs, pieceToMs),
        `${label} piece ${i}`,
      );
    }
    const downtime = await computeRangeDowntime({
      prisma: db.prisma,
      machines: [{ machineId: plant.machineId, groupNo: 0, toMs: machineToMs, coverage }],
      fromMs,
      toMs,
      useRollups,
    });
    expect(normalizeDowntime(downtime), `${label} downtime`).toEqual(pureDowntime(w, fromMs, machineToMs));
  }
  return rollupRows;
}

async function coverageOfMachine(): Promise<TRollupCoverage | null> {
  return (await loadRollupCoverage({ prisma: db.prisma, machineIds: [plant.machineId] })).get(plant.machineId) ?? null;
}

const cutOffsetsArb = fc.record({
  rawCuts: fc.array(fc.integer({ min: 0, max: HORIZON_MS }), { maxLength: 6 }),
  hourCuts: fc.array(fc.integer({ min: 0, max: 48 }), { maxLength: 4 }),
});

describe('rollups and range queries agree with computeMachineComponents', () => {
  it('whatever the coverage and wherever the cut points fall (hours, shifts, days, milliseconds)', async () => {
    let runs = 0;
    let dayRowsRead = 0;
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.integer({ min: 0, max: HORIZON_MS }),
        cutOffsetsArb,
        fc.boolean(),
        async (s, nowOffsetMs, cutOffsets, isArchivedEarly) => {
          runs++;
          const w = await writeScenario(s);
          const nowMs = w.baseMs + nowOffsetMs;
          // Rollups of everything complete at `nowMs`, then a query over the whole horizon.
          await refreshRollups({
            prisma: db.prisma,
            machineId: plant.machineId,
            fromMs: w.baseMs - HOUR_MS,
            toMs: nowMs,
            nowMs,
          });
          dayRowsRead += await expectRangeQueriesAgree(w, await coverageOfMachine(), cutOffsets, isArchivedEarly);
        },
      ),
      { numRuns: 40 },
    );
    // Rollup rows were really read, not only exact cells.
    expect(dayRowsRead).toBeGreaterThan(runs);
    const dayRows = await db.prisma.kpiRollupDay.count();
    expect(dayRows + (await db.prisma.kpiRollupHour.count())).toBeGreaterThan(0);
  });
});

// A configuration change after the rollups were made: new shifts and breaks, other planned downtime, the machines
// moved to another line (another time zone and calendar), another ideal cycle time of product A on the line.
const changeArb = fc.record({
  shifts: fc.option(shiftsArb, { nil: undefined }),
  plannedDowntime: fc.option(fc.array(fc.record({ window: windowArb, isMachine: fc.boolean() }), { maxLength: 3 }), {
    nil: undefined,
  }),
  lineIndex: fc.option(fc.integer({ min: 0, max: TIME_ZONES.length - 1 }), { nil: undefined }),
  idealCycleTimeSecA: fc.option(fc.constantFrom(0.4, 2.25), { nil: undefined }),
  // 0: everything is marked stale for the rollup job; else recomputed in the change's transaction.
  maxSyncMachineHours: fc.constantFrom(0, 10_000),
});

type TChange = typeof changeArb extends fc.Arbitrary<infer T> ? T : never;

// Applies the change and invalidates the rollups in one transaction, as the API's services do; returns the data as
// the pure engine must now see it.
async function applyChange(w: TWritten, change: TChange): Promise<TWritten> {
  const machineIds = [plant.machineId, plant.otherMachineId];
  const oldLine = plant.lines[w.lineIndex] as TPlant['lines'][number];
  const lineIndex = change.lineIndex ?? w.lineIndex;
  const line = plant.lines[lineIndex] as TPlant['lines'][number];
  const shifts: TShiftDefinition[] =
    change.shifts?.map((sh, index) => ({
      code: `c${index}`,
      startMinute: sh.startMinute,
      durationMin: sh.durationMin,
      weekdays: sh.weekdays,
      breaks: sh.breaks.map((b, k) => ({ name: `b${k}`, offsetMin: b.offsetMin, durationMin: b.durationMin })),
    })) ?? w.shifts;
  const plannedDowntime =
    change.plannedDowntime?.map((pd) => ({
      startMs: w.baseMs + pd.window.offsetMs,
      endMs: w.baseMs + pd.window.offsetMs + pd.window.lengthMs,
      isMachine: pd.isMachine,
    })) ?? w.plannedDowntime;
  const downtimeChange = (pd: TWritten['plannedDowntime'][number], lineId: string): TRollupChange => ({
    ...(pd.isMachine ? { machineIds: [plant.machineId] } : { lineIds: [lineId] }),
    fromMs: pd.startMs,
    toMs: pd.endMs,
  });

  await db.prisma.$transaction(
    async (tx) => {
      const changes: TRollupChange[] = [];
      if (lineIndex !== w.lineIndex) {
        await tx.machine.updateMany({ where: { id: { in: machineIds } }, data: { lineId: line.lineId } });
        changes.push({ machineIds });
      }
      if (lineIndex !== w.lineIndex || change.shifts !== undefined) {
        await tx.shift.deleteMany({ where: { patternId: line.patternId } });
        await writeShifts(tx, line.patternId, shifts);
        changes.push({ shiftPatternIds: [line.patternId] });
      }
      if (lineIndex !== w.lineIndex || change.plannedDowntime !== undefined) {
        // The line's planned downtime moves with the machines (or is replaced).
        await tx.plannedDowntime.deleteMany({
          where: { OR: [{ machineId: plant.machineId }, { lineId: { not: null } }] },
        });
        await tx.plannedDowntime.createMany({
          data: plannedDowntime.map((pd) => ({
            startsAt: new Date(pd.startMs),
            endsAt: new Date(pd.endMs),
            ...(pd.isMachine ? { machineId: plant.machineId } : { lineId: line.lineId }),
          })),
        });
        changes.push(
          ...w.plannedDowntime.map((pd) => downtimeChange(pd, oldLine.lineId)),
          ...plannedDowntime.map((pd) => downtimeChange(pd, line.lineId)),
        );
      }
      if (change.idealCycleTimeSecA !== undefined) {
        const where = { productId: plant.products.A, lineId: line.lineId };
        const before = await tx.idealCycleTime.findMany({ where });
        await tx.idealCycleTime.updateMany({ where, data: { idealCycleTimeSec: change.idealCycleTimeSecA } });
        const after = await tx.idealCycleTime.findMany({ where });
        const icChange = idealCycleTimeChange(plant.products.A, before, after);
        if (icChange !== null) changes.push(icChange);
      }
      await invalidateRollups({ prisma: tx, changes, maxSyncMachineHours: change.maxSyncMachineHours });
    },
    { timeout: 60_000 },
  );
  if (change.idealCycleTimeSecA !== undefined) idealSecByProduct.set(plant.products.A, change.idealCycleTimeSecA);
  return { ...w, timeZone: line.timeZone, shifts, plannedDowntime, lineIndex };
}

describe('rollups after a configuration change agree with computeMachineComponents', () => {
  it('at once (recomputed in the transaction, or computed exactly while stale), and after the rollup job', async () => {
    let staleRuns = 0;
    let rollupRowsAfterJob = 0;
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        changeArb,
        fc.integer({ min: HOUR_MS, max: HORIZON_MS }),
        cutOffsetsArb,
        async (s, change, nowOffsetMs, cutOffsets) => {
          const w = await writeScenario(s);
          const nowMs = w.baseMs + nowOffsetMs;
          await refreshRollups({
            prisma: db.prisma,
            machineId: plant.machineId,
            fromMs: w.baseMs - HOUR_MS,
            toMs: nowMs,
            nowMs,
          });
          const changed = await applyChange(w, change);
          const coverage = await coverageOfMachine();
          if ((coverage?.stale.length ?? 0) > 0) staleRuns++;
          await expectRangeQueriesAgree(changed, coverage, cutOffsets, false);

          let steps = 0;
          for (let isDone = false; !isDone; steps++) {
            ({ isDone } = await refreshStaleRollups({ prisma: db.prisma, maxMachines: 1, hoursPerMachine: 7 }));
            expect(steps).toBeLessThan(100);
          }
          const after = await coverageOfMachine();
          expect(after?.stale ?? []).toEqual([]);
          expect(after?.toMs).toBe(coverage?.toMs);
          rollupRowsAfterJob += await expectRangeQueriesAgree(changed, after, cutOffsets, false);
        },
      ),
      { numRuns: 40 },
    );
    // Both paths were taken, and the recomputed rollups were read.
    expect(staleRuns).toBeGreaterThan(3);
    expect(rollupRowsAfterJob).toBeGreaterThan(40);
  });
});
