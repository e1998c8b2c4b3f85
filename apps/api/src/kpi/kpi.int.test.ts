// The KPI endpoints against a real PostgreSQL database: a small plant with four days of messy history across the EU
// clock change, rolled up fully, partly and not at all. Every figure is checked against the pure engine over the
// raw data (to the millisecond and the part); then the unhappy paths.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MACHINE_STATES,
  ZKpiExplainResponse,
  ZKpiMtbfMttrResponse,
  ZKpiOeeResponse,
  ZKpiParetoResponse,
  type TMachineState,
} from '@takt/contracts';
import {
  deriveKpis,
  expandShiftCalendar,
  NUMERIC_COMPONENTS,
  sumComponents,
  type TKpiComponents,
  type TShiftDefinition,
} from '@takt/kpi';
import { computeComponentsFromInputs, loadMachineKpiInputs, refreshRollups } from '@takt/kpi-sql';
import { buildPlant } from '../test/plant-fixture.ts';
import { seededRandom } from '../test/seeded-random.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let viewer: TestClient;
const ids = { site: '', area: '', line1: '', line2: '', m1: '', m2: '', m3: '', jam: '', motor: '' };
const lineShifts = new Map<string, TShiftDefinition[]>();

const HOUR_MS = 3_600_000;
// Friday 28 March 2025 00:00 in Berlin (UTC+1) to Tuesday 1 April 00:00 (UTC+2): Sunday has 23 hours.
const FROM = '2025-03-28T00:00:00+01:00';
const TO = '2025-04-01T00:00:00+02:00';
const FROM_MS = Date.parse(FROM);
const TO_MS = Date.parse(TO);

beforeAll(async () => {
  t = await createTestApp('kpi');
  const p = t.db.prisma;
  const threeShifts: TShiftDefinition[] = ['early', 'late', 'night'].map((code, k) => ({
    code,
    startMinute: 360 + k * 480,
    durationMin: 480,
    weekdays: [1, 2, 3, 4, 5],
    breaks: [
      { name: 'coffee', offsetMin: 120, durationMin: 15 },
      { name: 'meal', offsetMin: 240, durationMin: 30 },
    ],
  }));
  // Shifts at half past: their edges fall inside hours, which the range queries must compute exactly.
  const twoShifts: TShiftDefinition[] = [
    {
      code: 'A',
      startMinute: 390,
      durationMin: 510,
      weekdays: [1, 2, 3, 4, 5, 6],
      breaks: [{ name: 'lunch', offsetMin: 240, durationMin: 30 }],
    },
    { code: 'B', startMinute: 900, durationMin: 510, weekdays: [1, 2, 3, 4, 5], breaks: [] },
  ];
  const machine = (code: string, sequence: number) => ({
    code,
    name: code.toUpperCase(),
    sequence,
    path: `p1/asm/${code}`,
  });
  const plant = await buildPlant(p, {
    site: { timeZone: 'Europe/Berlin' },
    shiftPatterns: [
      { code: '3x8', shifts: threeShifts },
      { code: '2x8.5', shifts: twoShifts },
    ],
    lines: [
      { code: 'l1', name: 'Line 1', shiftPattern: '3x8', machines: [machine('press', 1), machine('welder', 2)] },
      { code: 'l2', name: 'Line 2', shiftPattern: '2x8.5', machines: [machine('cnc', 1)] },
    ],
    products: [
      { code: 'A', name: 'Product A' },
      { code: 'B', name: 'Product B' },
      { code: 'X', name: 'Product X (no ideal cycle time)' },
    ],
  });
  const byId = (id: string | undefined) => ({ id: id! });
  const [site, area] = [byId(plant.siteId), byId(plant.areaId)];
  const [line1, line2] = [byId(plant.lineIds.l1), byId(plant.lineIds.l2)];
  const [m1, m2, m3] = [byId(plant.machineIds.press), byId(plant.machineIds.welder), byId(plant.machineIds.cnc)];
  const [a, b, x] = [byId(plant.productIds.A), byId(plant.productIds.B), byId(plant.productIds.X)];
  lineShifts.set(line1.id, threeShifts);
  lineShifts.set(line2.id, twoShifts);
  const mech = await p.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  const jam = await p.downtimeReason.create({
    data: { code: 'JAM', name: 'Jam', kind: 'UNPLANNED', parentId: mech.id },
  });
  const motor = await p.downtimeReason.create({
    data: { code: 'MOTOR', name: 'Motor', kind: 'UNPLANNED', parentId: mech.id },
  });
  await p.idealCycleTime.createMany({
    data: [
      { lineId: line1.id, productId: a.id, idealCycleTimeSec: 20 },
      { lineId: line1.id, productId: b.id, idealCycleTimeSec: 30 },
      { machineId: m2.id, productId: a.id, idealCycleTimeSec: 25 },
      { lineId: line2.id, productId: a.id, idealCycleTimeSec: 45 },
    ],
  });
  await p.plannedDowntime.createMany({
    data: [
      { lineId: line1.id, startsAt: new Date(FROM_MS + 30 * HOUR_MS), endsAt: new Date(FROM_MS + 32.5 * HOUR_MS) },
      { machineId: m3.id, startsAt: new Date(FROM_MS + 55.25 * HOUR_MS), endsAt: new Date(FROM_MS + 56 * HOUR_MS) },
    ],
  });
  Object.assign(ids, {
    site: site.id,
    area: area.id,
    line1: line1.id,
    line2: line2.id,
    m1: m1.id,
    m2: m2.id,
    m3: m3.id,
    jam: jam.id,
    motor: motor.id,
  });

  // Four days of history: states every 3 to 40 minutes (sometimes a gap), counts every minute while producing.
  const next = seededRandom(42);
  const states: TMachineState[] = [
    'PRODUCING',
    'PRODUCING',
    'PRODUCING',
    'DOWN',
    'IDLE',
    'CHANGEOVER',
    'PLANNED_STOP',
    'OFFLINE',
  ];
  for (const [machineIndex, m] of [m1, m2, m3].entries()) {
    const intervals = [];
    const counts = [];
    let startMs = FROM_MS - 2 * HOUR_MS + machineIndex * 61_000;
    while (startMs < TO_MS + 2 * HOUR_MS) {
      const durationMs = Math.round((3 + next() * 37) * 60_000) + Math.round(next() * 1000);
      const state = states[Math.floor(next() * states.length)] as TMachineState;
      const isGap = next() < 0.05;
      const reasonPick = next();
      const productId = next() < 0.8 ? a.id : next() < 0.5 ? b.id : x.id;
      intervals.push({
        machineId: m.id,
        state,
        startedAt: new Date(startMs),
        endedAt: new Date(startMs + durationMs - (isGap ? 60_000 : 0)),
        reasonId:
          state === 'DOWN' || state === 'IDLE'
            ? reasonPick < 0.4
              ? jam.id
              : reasonPick < 0.7
                ? motor.id
                : null
            : null,
        productId,
      });
      if (state === 'PRODUCING') {
        for (let minuteMs = Math.ceil(startMs / 60_000) * 60_000; minuteMs < startMs + durationMs; minuteMs += 60_000) {
          counts.push({
            machineId: m.id,
            bucketStart: new Date(minuteMs),
            // Some buckets carry no product: they take the interval's.
            productId: next() < 0.3 ? null : productId,
            goodCount: Math.floor(next() * 3),
            rejectCount: next() < 0.1 ? 1 : 0,
          });
        }
      }
      startMs += durationMs;
    }
    // The machine is still in its last state.
    const last = intervals[intervals.length - 1];
    if (last !== undefined) (last as { endedAt: Date | null }).endedAt = null;
    await p.machineStateInterval.createMany({ data: intervals });
    await p.productionCount.createMany({ data: counts });
  }
  // Rollups: press fully, welder for the first two days, the CNC not at all.
  await refreshRollups({
    prisma: p,
    machineId: m1.id,
    fromMs: FROM_MS - 2 * HOUR_MS,
    toMs: TO_MS,
    nowMs: TO_MS + HOUR_MS,
  });
  await refreshRollups({
    prisma: p,
    machineId: m2.id,
    fromMs: FROM_MS,
    toMs: FROM_MS + 1,
    nowMs: FROM_MS + 48 * HOUR_MS,
  });

  viewer = await signInAs(t, 'VIEWER');
});
afterAll(() => t.close());

const get = (path: string) => viewer.call('get', path);
const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** The pure engine over the raw data of the machines, each from `fromMs` to `toMs`. */
async function pure(machineIds: string[], fromMs: number, toMs: number): Promise<TKpiComponents> {
  const inputs = await loadMachineKpiInputs({ prisma: t.db.prisma, machineIds, fromMs, toMs });
  return sumComponents(inputs.map((input) => computeComponentsFromInputs(input, fromMs, toMs)));
}

function expectSame(actual: TKpiComponents, expected: TKpiComponents, label = ''): void {
  for (const key of NUMERIC_COMPONENTS) {
    if (key === 'idealProductionTimeSec' || key === 'goodIdealTimeSec') {
      expect(Math.abs(actual[key] - expected[key]), `${label} ${key}`).toBeLessThanOrEqual(
        1e-6 * Math.max(1, expected[key]),
      );
    } else expect(Math.round(actual[key] * 1000), `${label} ${key}`).toBe(Math.round(expected[key] * 1000));
  }
  expect(actual.missingIdealCycleTime, `${label} missingIdealCycleTime`).toEqual(expected.missingIdealCycleTime);
}

describe('GET /api/v1/kpi/oee', () => {
  it('answers the site OEE: totals, daily series and children equal the pure engine over the raw data', async () => {
    const res = await get(`/kpi/oee?${qs({ scope: 'site', id: ids.site, from: FROM, to: TO, bucket: 'day' })}`);
    expect(res.status).toBe(200);
    const body = ZKpiOeeResponse.parse(res.body);
    expect(body.scope).toMatchObject({ kind: 'site', code: 'p1', timeZone: 'Europe/Berlin' });
    expect(body.evaluatedTo).toBe(new Date(TO_MS).toISOString());
    const all = [ids.m1, ids.m2, ids.m3];
    expectSame(body.totals.components, await pure(all, FROM_MS, TO_MS), 'totals');
    expect(body.totals.kpis).toEqual(deriveKpis(body.totals.components));
    expect(body.totals.kpis.oee).not.toBeNull();
    // Rollups were used where they exist, the rest computed exactly.
    expect(body.computation.rollupRows).toBeGreaterThan(4);
    expect(body.computation.exactCells).toBeGreaterThan(0);

    expect(body.series.map((s) => s.localDate)).toEqual(['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31']);
    expect(body.series.map((s) => s.components.calendarTimeSec / 3600)).toEqual([3 * 24, 3 * 24, 3 * 23, 3 * 24]);
    for (const s of body.series)
      expectSame(s.components, await pure(all, Date.parse(s.from), Date.parse(s.to)), s.label);

    expect(body.children.map((c) => [c.kind, c.code])).toEqual([['area', 'asm']]);
    expectSame(body.children[0]?.components as TKpiComponents, body.totals.components, 'area');

    const w = body.totals.lossWaterfall.seconds;
    expect(w.plannedProductionTime - w.availabilityLoss - w.performanceLoss - w.qualityLoss).toBeCloseTo(
      w.fullyProductiveTime,
      6,
    );
    expect(body.losses.map((l) => l.code).sort()).toEqual([
      'BREAKDOWN',
      'DATA_GAP',
      'IDLE',
      'PERFORMANCE',
      'QUALITY',
      'SETUP',
    ]);
    expect(body.totals.components.missingIdealCycleTime.length).toBeGreaterThan(0); // product X
  });

  it('answers a series per shift of each line (shifts at half past included), each equal to the pure engine', async () => {
    const res = await get(`/kpi/oee?${qs({ scope: 'area', id: ids.area, from: FROM, to: TO, bucket: 'shift' })}`);
    expect(res.status).toBe(200);
    const body = ZKpiOeeResponse.parse(res.body);
    const expectedWindows = [ids.line1, ids.line2].flatMap((lineId) =>
      expandShiftCalendar({
        shifts: lineShifts.get(lineId) ?? [],
        timeZone: 'Europe/Berlin',
        fromMs: FROM_MS,
        toMs: TO_MS,
      }).map((w) => ({ lineId, ...w })),
    );
    expect(body.series).toHaveLength(expectedWindows.length);
    for (const s of body.series) {
      const windows = expectedWindows.filter((w) => w.shiftDate === s.localDate && w.shiftCode === s.shiftCode);
      expect(windows).toHaveLength(1);
      const w = windows[0] as (typeof windows)[number];
      const machines = w.lineId === ids.line1 ? [ids.m1, ids.m2] : [ids.m3];
      const fromMs = Math.max(w.startMs, FROM_MS);
      const toMs = Math.min(w.endMs, TO_MS);
      expect([Date.parse(s.from), Date.parse(s.to)]).toEqual([fromMs, toMs]);
      expectSame(s.components, await pure(machines, fromMs, toMs), s.label);
    }
    expect(body.children.map((c) => c.code)).toEqual(['l1', 'l2']);
  });

  it('answers an hourly series in local hours (23 of them on the day the clocks go forward)', async () => {
    const from = '2025-03-30T00:00:00+01:00';
    const to = '2025-03-31T00:00:00+02:00';
    const res = await get(`/kpi/oee?${qs({ scope: 'line', id: ids.line1, from, to, bucket: 'hour' })}`);
    expect(res.status).toBe(200);
    const body = ZKpiOeeResponse.parse(res.body);
    expect(body.series).toHaveLength(23);
    expect(body.series[2]?.label).toBe('2025-03-30T03:00+02:00');
    expect(body.children.map((c) => [c.kind, c.code])).toEqual([
      ['machine', 'press'],
      ['machine', 'welder'],
    ]);
    expectSame(body.totals.components, await pure([ids.m1, ids.m2], Date.parse(from), Date.parse(to)));
  });

  it('stops at the present and has no children for a machine', async () => {
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const res = await get(`/kpi/oee?${qs({ scope: 'machine', id: ids.m3, from, to })}`);
    expect(res.status).toBe(200);
    const body = ZKpiOeeResponse.parse(res.body);
    expect(Date.parse(body.evaluatedTo)).toBeLessThanOrEqual(Date.now());
    expect(body.children).toEqual([]);
    expect(body.bucket).toBe('day');
  });

  it('answers 400 problem+json for a bad range, bucket or id, 404 for an unknown scope and 401 without a session', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ scope: 'site', id: ids.site, from: TO, to: FROM }, 'query.to'],
      [{ scope: 'site', id: ids.site, from: FROM, to: FROM }, 'query.to'],
      [{ scope: 'site', id: ids.site, from: '2024-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }, 'query.to'],
      [
        { scope: 'site', id: ids.site, from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z', bucket: 'hour' },
        'query.bucket',
      ],
      [{ scope: 'plant', id: ids.site, from: FROM, to: TO }, 'query.scope'],
      [{ scope: 'site', id: 'plant1', from: FROM, to: TO }, 'query.id'],
      [{ scope: 'site', id: ids.site, from: 'yesterday', to: TO }, 'query.from'],
      [{ scope: 'site', id: ids.site, from: FROM, to: TO, bucket: 'week' }, 'query.bucket'],
    ];
    for (const [params, path] of cases) {
      const res = await get(`/kpi/oee?${qs(params)}`);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const unknown = await get(`/kpi/oee?${qs({ scope: 'line', id: ids.site, from: FROM, to: TO })}`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    expect(unknown.body.detail).toContain('No line with id');
    const anonymous = await request(t.app).get(
      `/api/v1/kpi/oee?${qs({ scope: 'site', id: ids.site, from: FROM, to: TO })}`,
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/v1/kpi/downtime-pareto', () => {
  it('lists unplanned down time by reason, largest first, with unclassified as a bar, adding up to the OEE figure', async () => {
    const params = qs({ scope: 'site', id: ids.site, from: FROM, to: TO });
    const res = await get(`/kpi/downtime-pareto?${params}`);
    expect(res.status).toBe(200);
    const body = ZKpiParetoResponse.parse(res.body);
    const oee = ZKpiOeeResponse.parse((await get(`/kpi/oee?${params}`)).body);
    expect(body.totalDurationSec).toBeCloseTo(oee.totals.components.unplannedDownTimeSec, 3);
    const durations = body.bars.map((b) => b.durationSec);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(body.bars.at(-1)?.cumulativeShare).toBeCloseTo(1, 9);
    const keys = body.bars.map((b) => b.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'unclassified',
        `reason:${ids.jam}`,
        `reason:${ids.motor}`,
        'state:CHANGEOVER',
        'state:OFFLINE',
      ]),
    );
    expect(body.bars.find((b) => b.key === `reason:${ids.jam}`)).toMatchObject({
      kind: 'REASON',
      label: 'Mechanical › Jam',
      reason: { code: 'JAM', category: { code: 'MECH' } },
    });
    const unclassified = body.bars.find((b) => b.kind === 'UNCLASSIFIED');
    expect(unclassified?.durationSec).toBeCloseTo(oee.totals.components.unclassifiedDownTimeSec, 3);
    // DOWN events of the bars are the OEE's DOWN events.
    const sql = await t.db.prisma.machineStateInterval.count({
      where: {
        state: { in: ['DOWN', 'IDLE', 'CHANGEOVER', 'OFFLINE'] },
        startedAt: { gte: new Date(FROM_MS), lt: new Date(TO_MS) },
      },
    });
    expect(body.totalEventCount).toBe(sql);
  });

  it('answers 404 for an unknown scope and 400 for a bad range', async () => {
    expect((await get(`/kpi/downtime-pareto?${qs({ scope: 'area', id: ids.m1, from: FROM, to: TO })}`)).status).toBe(
      404,
    );
    expect((await get(`/kpi/downtime-pareto?${qs({ scope: 'area', id: ids.area, from: TO, to: FROM })}`)).status).toBe(
      400,
    );
  });
});

describe('GET /api/v1/kpi/mtbf-mttr', () => {
  it('answers MTBF and MTTR from DOWN events, in total, per day and per machine', async () => {
    const res = await get(`/kpi/mtbf-mttr?${qs({ scope: 'line', id: ids.line1, from: FROM, to: TO })}`);
    expect(res.status).toBe(200);
    const body = ZKpiMtbfMttrResponse.parse(res.body);
    const c = await pure([ids.m1, ids.m2], FROM_MS, TO_MS);
    expect(body.totals.downEventCount).toBe(c.downEventCount);
    expect(body.totals.downEventCount).toBeGreaterThan(0);
    expect(body.totals.mtbfSec).toBeCloseTo(c.runTimeSec / c.downEventCount, 6);
    expect(body.totals.mttrSec).toBeCloseTo(c.downTimeSec / c.downEventCount, 6);
    expect(body.series).toHaveLength(4);
    expect(body.series.reduce((sum, s) => sum + s.downEventCount, 0)).toBe(c.downEventCount);
    expect(body.children.map((child) => child.code)).toEqual(['press', 'welder']);
  });
});

describe('GET /api/v1/kpi/oee/explain', () => {
  it('lists the intervals, counts, calendar and ideal cycle times behind a figure, which agree with /kpi/oee', async () => {
    const from = '2025-03-31T05:30:00+02:00';
    const to = '2025-03-31T14:30:00+02:00';
    const res = await get(`/kpi/oee/explain?${qs({ scope: 'line', id: ids.line1, from, to })}`);
    expect(res.status).toBe(200);
    const body = ZKpiExplainResponse.parse(res.body);
    expect(body.isConsistent).toBe(true);
    expectSame(body.totals.components, body.reported.components);
    expect(body.machines.map((m) => m.code)).toEqual(['press', 'welder']);
    const welder = body.machines[1];
    expect(welder?.idealCycleTimes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          product: expect.objectContaining({ code: 'A' }),
          idealCycleTimeSec: 25,
          source: 'MACHINE',
        }),
        expect.objectContaining({
          product: expect.objectContaining({ code: 'B' }),
          idealCycleTimeSec: 30,
          source: 'LINE',
        }),
      ]),
    );
    expect(welder?.stateIntervals.length).toBeGreaterThan(5);
    expect(welder?.counts.length).toBeGreaterThan(10);
    // Monday: no night shift from Sunday (the pattern runs Monday to Friday).
    expect(body.calendars[0]?.shiftWindows.map((w) => w.shiftCode)).toEqual(['early', 'late']);
    expect(body.calendars[0]?.shiftWindows[0]?.breaks.map((b) => b.name)).toEqual(['coffee', 'meal']);
  });

  it('tells when the rollups are stale: a correction without a refresh makes the figures disagree', async () => {
    const params = qs({
      scope: 'machine',
      id: ids.m1,
      from: '2025-03-28T08:00:00+01:00',
      to: '2025-03-28T12:00:00+01:00',
    });
    const p = t.db.prisma;
    const victim = await p.machineStateInterval.findFirstOrThrow({
      where: { machineId: ids.m1, state: 'PRODUCING', startedAt: { gte: new Date('2025-03-28T08:30:00+01:00') } },
      orderBy: { startedAt: 'asc' },
    });
    await p.machineStateInterval.update({ where: { id: victim.id }, data: { state: 'DOWN' } });
    try {
      const stale = ZKpiExplainResponse.parse((await get(`/kpi/oee/explain?${params}`)).body);
      expect(stale.isConsistent).toBe(false);
      await refreshRollups({
        prisma: p,
        machineId: ids.m1,
        fromMs: victim.startedAt.getTime(),
        toMs: victim.endedAt?.getTime() ?? TO_MS,
        nowMs: TO_MS + HOUR_MS,
      });
      const fresh = ZKpiExplainResponse.parse((await get(`/kpi/oee/explain?${params}`)).body);
      expect(fresh.isConsistent).toBe(true);
    } finally {
      await p.machineStateInterval.update({ where: { id: victim.id }, data: { state: 'PRODUCING' } });
      await refreshRollups({
        prisma: p,
        machineId: ids.m1,
        fromMs: victim.startedAt.getTime(),
        toMs: TO_MS,
        nowMs: TO_MS + HOUR_MS,
      });
    }
  });

  it('answers 400 for more than seven days and 404 for an unknown scope', async () => {
    const long = await get(
      `/kpi/oee/explain?${qs({ scope: 'site', id: ids.site, from: '2025-03-01T00:00:00Z', to: TO })}`,
    );
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe('query.to');
    expect((await get(`/kpi/oee/explain?${qs({ scope: 'machine', id: ids.line1, from: FROM, to: TO })}`)).status).toBe(
      404,
    );
  });
});

describe('archived machines', () => {
  it('count until they were archived, and not at all in ranges after that', async () => {
    const archivedAtMs = FROM_MS + 36 * HOUR_MS + 1234;
    await t.db.prisma.machine.update({ where: { id: ids.m3 }, data: { archivedAt: new Date(archivedAtMs) } });
    try {
      const body = ZKpiOeeResponse.parse(
        (await get(`/kpi/oee?${qs({ scope: 'line', id: ids.line2, from: FROM, to: TO })}`)).body,
      );
      expectSame(body.totals.components, await pure([ids.m3], FROM_MS, archivedAtMs));
      const later = ZKpiOeeResponse.parse(
        (
          await get(
            `/kpi/oee?${qs({ scope: 'area', id: ids.area, from: new Date(archivedAtMs + 1).toISOString(), to: TO })}`,
          )
        ).body,
      );
      expect(later.children.map((c) => c.code)).toEqual(['l1']);
    } finally {
      await t.db.prisma.machine.update({ where: { id: ids.m3 }, data: { archivedAt: null } });
    }
  });
});

// Every state occurs in the generated history, so that every rule is exercised.
it('the fixture covers every machine state', async () => {
  const states = await t.db.prisma.machineStateInterval.groupBy({ by: ['state'], _count: true });
  expect(states.map((s) => s.state).sort()).toEqual(MACHINE_STATES.filter((s) => s !== 'NO_ORDER').sort());
});
