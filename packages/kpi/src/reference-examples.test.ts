// Published worked examples, reproduced end to end (shift calendar → state intervals → counts → KPIs) or at the
// components level, each asserted to the precision the source publishes. Sources are cited per example.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { emptyComponents, sumComponents, type TKpiComponents } from './kpi-components.ts';
import type { TStateInterval } from './kpi-input.types.ts';
import { computeLossWaterfall } from './loss-waterfall.kpi.ts';
import { deriveKpis } from './oee.kpi.ts';
import { expandShiftCalendar } from './shift-calendar.ts';
import { computeMachineComponents } from './time-model.ts';

const MIN_MS = 60_000;

/** The value rounded the way the source rounds it (e.g. 4 decimals for "88.81 %") equals the published figure. */
function expectPublished(actual: number | null, published: number, decimals: number): void {
  expect(actual).not.toBeNull();
  const scale = 10 ** decimals;
  expect(Math.round((actual as number) * scale) / scale).toBe(published);
}

describe('oee.com (Vorne) "Calculate OEE" worked example — https://www.oee.com/calculating-oee/', () => {
  // Source data, "first shift": shift length 8 h = 480 min; short breaks 2 × 15 min; meal break 1 × 30 min;
  // down time 47 min; ideal cycle time 1.0 s; total count 19,271; reject count 423.
  // Published: planned production time 420 min, run time 373 min, good count 18,848;
  // Availability 0.8881 (88.81 %), Performance 0.8611 (86.11 %), Quality 0.9780 (97.80 %), OEE 0.7479 (74.79 %);
  // and the "simple" calculation OEE = good count × ideal cycle time / planned production time
  // = 18,848 s / 25,200 s = 0.7479.
  const zone = 'Europe/Berlin';
  const calendar = expandShiftCalendar({
    shifts: [
      {
        code: 'EARLY',
        startMinute: 6 * 60,
        durationMin: 480,
        weekdays: [1, 2, 3, 4, 5],
        breaks: [
          { offsetMin: 120, durationMin: 15, name: 'short break 1' },
          { offsetMin: 240, durationMin: 30, name: 'meal break' },
          { offsetMin: 360, durationMin: 15, name: 'short break 2' },
        ],
      },
    ],
    timeZone: zone,
    fromMs: DateTime.fromISO('2024-06-03T00:00', { zone }).toMillis(),
    toMs: DateTime.fromISO('2024-06-04T00:00', { zone }).toMillis(),
  });
  const shift = calendar[0]!;
  const at = (min: number) => shift.startMs + min * MIN_MS;
  // The machine keeps reporting PRODUCING through the breaks (as many do): the calendar overrides it.
  const stateIntervals: TStateInterval[] = [
    { machineId: 'm', state: 'PRODUCING', startMs: at(-30), endMs: at(60), productId: 'widget' },
    { machineId: 'm', state: 'DOWN', startMs: at(60), endMs: at(60 + 47), reasonCode: 'JAM', productId: 'widget' },
    { machineId: 'm', state: 'PRODUCING', startMs: at(107), endMs: null, productId: 'widget' },
  ];
  const components = computeMachineComponents({
    machineId: 'm',
    fromMs: shift.startMs,
    toMs: shift.endMs,
    stateIntervals,
    counts: [
      { machineId: 'm', bucketStartMs: at(0), bucketSec: 3600, productId: 'widget', goodCount: 9000, rejectCount: 200 },
      { machineId: 'm', bucketStartMs: at(300), bucketSec: 3600, productId: null, goodCount: 9848, rejectCount: 223 },
    ],
    shiftWindows: calendar,
    idealCycleTimeSec: () => 1.0,
  });
  const kpis = deriveKpis(components);

  it('builds the time model: 480 min shift, 420 min planned, 373 min run', () => {
    expect(components.shiftTimeSec).toBe(480 * 60);
    expect(components.plannedShutdownTimeSec).toBe(60 * 60);
    expect(components.plannedBusyTimeSec).toBe(420 * 60);
    expect(components.runTimeSec).toBe(373 * 60);
    expect(components.downTimeSec).toBe(47 * 60);
    expect(components.goodCount).toBe(18_848);
    expect(components.goodCount + components.rejectCount).toBe(19_271);
  });

  it('reproduces Availability 0.8881, Performance 0.8611, Quality 0.9780, OEE 0.7479', () => {
    expectPublished(kpis.availability, 0.8881, 4);
    expectPublished(kpis.performance, 0.8611, 4);
    expectPublished(kpis.quality, 0.978, 4);
    expectPublished(kpis.oee, 0.7479, 4);
    expect(kpis.oee).toBeCloseTo(18_848 / 25_200, 12); // the "simple" calculation
    expect(kpis.isPerformanceAboveIdeal).toBe(false);
    expect(kpis.mttrSec).toBe(47 * 60);
  });

  it('gives the loss waterfall: 420 min → −47 min → 373 min → −3,109 s → 19,271 s → −423 s → 18,848 s', () => {
    const waterfall = computeLossWaterfall(components);
    expect(waterfall.seconds).toEqual({
      plannedProductionTime: 25_200,
      availabilityLoss: 2_820,
      runTime: 22_380,
      performanceLoss: 3_109,
      netRunTime: 19_271,
      qualityLoss: 423,
      fullyProductiveTime: 18_848,
    });
    // At 1.0 s per part, seconds and parts coincide: the quality loss is the 423 rejects.
    expect(waterfall.weightedIdealCycleTimeSec).toBe(1);
    expect(waterfall.parts?.qualityLoss).toBe(423);
    expect(waterfall.parts?.fullyProductiveTime).toBe(18_848);
  });
});

describe('Infraspeak "OEE, TEEP and OOE" worked example — https://blog.infraspeak.com/oee-teep-ooe/', () => {
  // Source data: workday 9:00–18:00 with a 1-hour lunch break → 480 min scheduled; 47 min of downtime →
  // 433 min actual production time; ideal time 1.3 s per piece; 19,690 pieces, 19,270 good, 420 defective.
  // Published: availability 433/480 ≈ 0.902; performance (1.3 × 19,690)/(433 × 60) = 25,597/25,980 ≈ 0.985;
  // quality 19,270/19,690 ≈ 0.979.
  // Laid out here in America/Chicago to exercise a second zone.
  const zone = 'America/Chicago';
  const calendar = expandShiftCalendar({
    shifts: [
      {
        code: 'DAY',
        startMinute: 9 * 60,
        durationMin: 9 * 60,
        weekdays: [1, 2, 3, 4, 5],
        breaks: [{ offsetMin: 180, durationMin: 60, name: 'lunch' }],
      },
    ],
    timeZone: zone,
    fromMs: DateTime.fromISO('2024-11-04T00:00', { zone }).toMillis(),
    toMs: DateTime.fromISO('2024-11-05T00:00', { zone }).toMillis(),
  });
  const shift = calendar[0]!;
  const at = (min: number) => shift.startMs + min * MIN_MS;
  const components = computeMachineComponents({
    machineId: 'm',
    fromMs: shift.startMs,
    toMs: shift.endMs,
    stateIntervals: [
      { machineId: 'm', state: 'IDLE', startMs: at(0), endMs: at(20), reasonCode: 'SHIFT_CHANGE' },
      { machineId: 'm', state: 'PRODUCING', startMs: at(20), endMs: at(180) },
      { machineId: 'm', state: 'PLANNED_STOP', startMs: at(180), endMs: at(240) },
      { machineId: 'm', state: 'DOWN', startMs: at(240), endMs: at(267), reasonCode: 'WARM_UP' },
      { machineId: 'm', state: 'PRODUCING', startMs: at(267), endMs: null },
    ],
    counts: [
      { machineId: 'm', bucketStartMs: at(30), bucketSec: 60, productId: 'p', goodCount: 19_270, rejectCount: 420 },
    ],
    shiftWindows: calendar,
    idealCycleTimeSec: () => 1.3,
  });
  const kpis = deriveKpis(components);

  it('reproduces availability ≈ 0.902, performance ≈ 0.985, quality ≈ 0.979', () => {
    expect(components.plannedBusyTimeSec).toBe(480 * 60);
    expect(components.runTimeSec).toBe(433 * 60);
    expectPublished(kpis.availability, 0.902, 3);
    expectPublished(kpis.performance, 0.985, 3);
    expect(components.idealProductionTimeSec).toBeCloseTo(25_597, 9);
    expectPublished(kpis.quality, 0.979, 3);
    expect(kpis.oee).toBeCloseTo((1.3 * 19_270) / (480 * 60), 12);
  });
});

describe('waycalculator.com OEE calculator, "Example 1" — https://waycalculator.com/tool/Overall-Equipment-Effectiveness-OEE-Calculator.php', () => {
  // Source data: run time 420 min, planned production time 480 min, ideal cycle time 1 min, total count 400,
  // good count 380. Published: availability 0.875, performance 0.952, quality 0.95, OEE 0.791.
  // The published OEE multiplies the rounded factors (0.875 × 0.952 × 0.95 = 0.7914); unrounded it is
  // 380 × 60 / 28,800 = 0.7917, which is what the engine returns.
  const components: TKpiComponents = {
    ...emptyComponents(),
    calendarTimeSec: 480 * 60,
    shiftTimeSec: 480 * 60,
    plannedBusyTimeSec: 480 * 60,
    runTimeSec: 420 * 60,
    unplannedDownTimeSec: 60 * 60,
    downTimeSec: 60 * 60,
    goodCount: 380,
    rejectCount: 20,
    countWithIdealCycleTime: 400,
    idealProductionTimeSec: 400 * 60,
    goodIdealTimeSec: 380 * 60,
  };

  it('reproduces A 0.875, P 0.952, Q 0.95, and OEE 0.791 up to the source rounding its factors first', () => {
    const kpis = deriveKpis(components);
    expect(kpis.availability).toBe(0.875);
    expectPublished(kpis.performance, 0.952, 3);
    expect(kpis.quality).toBe(0.95);
    expectPublished(((kpis.availability! * Math.round(kpis.performance! * 1000)) / 1000) * kpis.quality!, 0.791, 3);
    expect(kpis.oee).toBeCloseTo((380 * 60) / (480 * 60), 12);
  });
});

describe('ISO 22400-2:2014 KPI definitions (§6; as reproduced in PTC ThingWorx "Calculating KPIs", support.ptc.com)', () => {
  // Availability = APT / PBT; Effectiveness = PRI × PQ / APT; Quality ratio = GQ / PQ; OEE index = A × E × QR.
  // PRI = planned run time per item (ideal cycle time), PQ = produced quantity, GQ = good quantity.
  // Deliberate difference: PTC returns availability 1 when PBT = 0; Takt returns null (docs/kpi.md).
  it('maps the ISO elements onto the components for a single product', () => {
    const PBT = 7 * 3600;
    const APT = 6 * 3600;
    const PRI = 12;
    const PQ = 1500;
    const GQ = 1440;
    const kpis = deriveKpis({
      ...emptyComponents(),
      calendarTimeSec: 24 * 3600,
      shiftTimeSec: 8 * 3600,
      plannedShutdownTimeSec: 3600,
      plannedBusyTimeSec: PBT,
      runTimeSec: APT,
      unplannedDownTimeSec: PBT - APT,
      downTimeSec: PBT - APT,
      goodCount: GQ,
      rejectCount: PQ - GQ,
      countWithIdealCycleTime: PQ,
      idealProductionTimeSec: PRI * PQ,
      goodIdealTimeSec: PRI * GQ,
    });
    expect(kpis.availability).toBeCloseTo(APT / PBT, 15);
    expect(kpis.performance).toBeCloseTo((PRI * PQ) / APT, 15);
    expect(kpis.quality).toBeCloseTo(GQ / PQ, 15);
    expect(kpis.oee).toBeCloseTo((APT / PBT) * ((PRI * PQ) / APT) * (GQ / PQ), 15);
    expect(kpis.teep).toBeCloseTo(kpis.oee! * (PBT / (24 * 3600)), 15);
    expect(deriveKpis(emptyComponents()).availability).toBeNull();
  });
});

describe('aggregation sums components and divides (docs/kpi.md: never average percentages)', () => {
  it('weights each machine by its planned time, unlike the mean of the OEEs', () => {
    const big: TKpiComponents = {
      ...emptyComponents(),
      calendarTimeSec: 28_800,
      plannedBusyTimeSec: 25_200,
      runTimeSec: 22_380,
      goodCount: 18_848,
      rejectCount: 423,
      countWithIdealCycleTime: 19_271,
      idealProductionTimeSec: 19_271,
      goodIdealTimeSec: 18_848,
    };
    const small: TKpiComponents = {
      ...emptyComponents(),
      calendarTimeSec: 28_800,
      plannedBusyTimeSec: 3_600,
      runTimeSec: 3_600,
      goodCount: 1_800,
      countWithIdealCycleTime: 1_800,
      idealProductionTimeSec: 3_600,
      goodIdealTimeSec: 3_600,
    };
    const line = deriveKpis(sumComponents([big, small]));
    expect(line.oee).toBeCloseTo((18_848 + 3_600) / (25_200 + 3_600), 12);
    const meanOfOees = (deriveKpis(big).oee! + deriveKpis(small).oee!) / 2;
    expect(line.oee).toBeCloseTo(0.7794, 4);
    expect(meanOfOees).toBeCloseTo(0.874, 3);
  });
});
