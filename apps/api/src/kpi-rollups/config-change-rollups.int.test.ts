// Configuration changes through the API reach the KPI rollups: right after each change (a break, planned downtime, an
// ideal cycle time through the API and through a CSV import, a site's time zone, a machine moved, a line's shift
// pattern) /kpi/oee equals the pure engine over the raw data and explain is consistent; after the rollup job, no hour
// is stale and the figures come from rollups again, still equal.
import type request from 'supertest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZKpiExplainResponse, ZKpiOeeResponse, type TMachineState } from '@takt/contracts';
import { NUMERIC_COMPONENTS, sumComponents, type TKpiComponents } from '@takt/kpi';
import { computeComponentsFromInputs, loadMachineKpiInputs, loadRollupCoverage, refreshRollups } from '@takt/kpi-sql';
import { buildPlant } from '../test/plant-fixture.ts';
import { seededRandom } from '../test/seeded-random.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type HttpMethod } from '../test/test-client.ts';
import { startRollupJob } from './rollup-job.ts';

let t: TestApp;
let call: (method: HttpMethod, path: string, body?: object | string) => Promise<request.Response>;
const ids = { site: '', line1: '', line2: '', p3x8: '', p2x8: '', m1: '', m2: '', m3: '', a: '', b: '' };

const HOUR_MS = 3_600_000;
// Three weeks across the EU clock change (30 March): long enough that all-history changes are left to the job.
const FROM = '2025-03-17T00:00:00+01:00';
const TO = '2025-04-07T00:00:00+02:00';
const FROM_MS = Date.parse(FROM);
const TO_MS = Date.parse(TO);

beforeAll(async () => {
  t = await createTestApp('kpi_config_change');
  const p = t.db.prisma;
  const shift = (code: string, startMinute: number, breakMin: number) => ({
    code,
    startMinute,
    durationMin: 480,
    weekdays: [1, 2, 3, 4, 5, 6],
    breaks: [{ name: 'meal', offsetMin: breakMin, durationMin: 30 }],
  });
  const plant = await buildPlant(p, {
    site: { timeZone: 'Europe/Berlin' },
    shiftPatterns: [
      { code: '3x8', shifts: [shift('early', 360, 240), shift('late', 840, 240), shift('night', 1320, 200)] },
      { code: '2x8', shifts: [shift('A', 390, 230), shift('B', 870, 230)] },
    ],
    lines: [
      { code: 'l1', name: 'Line 1', shiftPattern: '3x8', machines: [{ code: 'press' }, { code: 'welder' }] },
      { code: 'l2', name: 'Line 2', shiftPattern: '2x8', machines: [{ code: 'cnc' }] },
    ],
    products: [
      { code: 'prod-a', name: 'Product A' },
      { code: 'prod-b', name: 'Product B' },
    ],
  });
  Object.assign(ids, {
    site: plant.siteId,
    line1: plant.lineIds.l1,
    line2: plant.lineIds.l2,
    p3x8: plant.shiftPatternIds['3x8'],
    p2x8: plant.shiftPatternIds['2x8'],
    m1: plant.machineIds.press,
    m2: plant.machineIds.welder,
    m3: plant.machineIds.cnc,
    a: plant.productIds['prod-a'],
    b: plant.productIds['prod-b'],
  });
  await p.idealCycleTime.createMany({
    data: [
      { lineId: ids.line1, productId: ids.a, idealCycleTimeSec: 20 },
      { lineId: ids.line1, productId: ids.b, idealCycleTimeSec: 30 },
      { lineId: ids.line2, productId: ids.a, idealCycleTimeSec: 45 },
    ],
  });
  const next = seededRandom(7);
  const states: TMachineState[] = ['PRODUCING', 'PRODUCING', 'PRODUCING', 'DOWN', 'IDLE', 'CHANGEOVER', 'OFFLINE'];
  for (const m of [ids.m1, ids.m2, ids.m3].map((id) => ({ id }))) {
    const intervals: { machineId: string; state: TMachineState; startedAt: Date; productId: string }[] = [];
    const counts = [];
    for (let startMs = FROM_MS - HOUR_MS; startMs < TO_MS + HOUR_MS;) {
      const durationMs = Math.round((5 + next() * 55) * 60_000);
      const state = states[Math.floor(next() * states.length)] as TMachineState;
      // Product B runs in the second week only.
      const productId = startMs > FROM_MS + 7 * 24 * HOUR_MS && startMs < FROM_MS + 9 * 24 * HOUR_MS ? ids.b : ids.a;
      intervals.push({ machineId: m.id, state, startedAt: new Date(startMs), productId });
      if (state === 'PRODUCING') {
        for (
          let bucketMs = Math.ceil(startMs / 300_000) * 300_000;
          bucketMs < startMs + durationMs;
          bucketMs += 300_000
        )
          counts.push({
            machineId: m.id,
            bucketStart: new Date(bucketMs),
            bucketSec: 300,
            productId: next() < 0.3 ? null : productId,
            goodCount: 5 + Math.floor(next() * 10),
            rejectCount: next() < 0.2 ? 1 : 0,
          });
      }
      startMs += durationMs;
    }
    await p.machineStateInterval.createMany({
      data: intervals.map((interval, k) => ({ ...interval, endedAt: intervals[k + 1]?.startedAt ?? null })),
    });
    await p.productionCount.createMany({ data: counts });
    await refreshRollups({ prisma: p, machineId: m.id, fromMs: FROM_MS - HOUR_MS, toMs: FROM_MS, nowMs: TO_MS });
  }

  const admin = await signInAs(t, 'ADMIN');
  call = (method, path, body) =>
    typeof body === 'string'
      ? admin.call(method, path).set('content-type', 'text/csv').send(body)
      : admin.call(method, path, body);
}, 120_000);
afterAll(() => t.close());

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function pure(machineIds: string[], fromMs: number, toMs: number): Promise<TKpiComponents> {
  const inputs = await loadMachineKpiInputs({ prisma: t.db.prisma, machineIds, fromMs, toMs });
  return sumComponents(inputs.map((input) => computeComponentsFromInputs(input, fromMs, toMs)));
}

function expectSame(actual: TKpiComponents, expected: TKpiComponents, label: string): void {
  for (const key of NUMERIC_COMPONENTS) {
    if (key === 'idealProductionTimeSec' || key === 'goodIdealTimeSec') {
      expect(Math.abs(actual[key] - expected[key]), `${label} ${key}`).toBeLessThanOrEqual(
        1e-6 * Math.max(1, expected[key]),
      );
    } else expect(Math.round(actual[key] * 1000), `${label} ${key}`).toBe(Math.round(expected[key] * 1000));
  }
}

/** The site's OEE (totals and daily series) equals the pure engine, and explain agrees for the given days. */
async function expectFiguresCurrent(label: string, explainFrom: string): Promise<{ rollupRows: number }> {
  const res = await call('get', `/kpi/oee?${qs({ scope: 'site', id: ids.site, from: FROM, to: TO, bucket: 'day' })}`);
  expect(res.status, label).toBe(200);
  const body = ZKpiOeeResponse.parse(res.body);
  const all = [ids.m1, ids.m2, ids.m3];
  expectSame(body.totals.components, await pure(all, FROM_MS, TO_MS), `${label}: totals`);
  for (const s of body.series) {
    expectSame(s.components, await pure(all, Date.parse(s.from), Date.parse(s.to)), `${label}: ${s.label}`);
  }
  const explainTo = new Date(Date.parse(explainFrom) + 2 * 24 * HOUR_MS).toISOString();
  for (const lineId of [ids.line1, ids.line2]) {
    const explain = await call(
      'get',
      `/kpi/oee/explain?${qs({ scope: 'line', id: lineId, from: explainFrom, to: explainTo })}`,
    );
    expect(explain.status, label).toBe(200);
    expect(ZKpiExplainResponse.parse(explain.body).isConsistent, `${label}: explain isConsistent`).toBe(true);
  }
  return { rollupRows: body.computation.rollupRows };
}

async function staleMachineIds(): Promise<string[]> {
  const coverage = await loadRollupCoverage({ prisma: t.db.prisma, machineIds: [ids.m1, ids.m2, ids.m3] });
  return [...coverage].filter(([, c]) => c.stale.length > 0).map(([machineId]) => machineId);
}

describe('KPI figures right after a configuration change', () => {
  it('start from complete rollups', async () => {
    expect(await staleMachineIds()).toEqual([]);
    expect((await expectFiguresCurrent('initially', '2025-03-20T00:00:00+01:00')).rollupRows).toBeGreaterThan(0);
  });

  it('follow planned downtime created, moved and deleted (its window only, recomputed at once)', async () => {
    const created = await call('post', '/planned-downtime', {
      lineId: ids.line1,
      startsAt: '2025-03-20T07:15:00+01:00',
      endsAt: '2025-03-20T10:45:00+01:00',
    });
    expect(created.status).toBe(201);
    expect(await staleMachineIds()).toEqual([]);
    await expectFiguresCurrent('planned downtime created', '2025-03-19T00:00:00+01:00');

    const id = (created.body as { id: string }).id;
    const moved = await call('patch', `/planned-downtime/${id}`, {
      machineId: ids.m3,
      startsAt: '2025-03-21T13:00:00+01:00',
      endsAt: '2025-03-21T16:20:00+01:00',
    });
    expect(moved.status).toBe(200);
    await expectFiguresCurrent('planned downtime moved', '2025-03-20T00:00:00+01:00');

    expect((await call('delete', `/planned-downtime/${id}`)).status).toBe(204);
    await expectFiguresCurrent('planned downtime deleted', '2025-03-20T00:00:00+01:00');
  });

  it('follow a break of a shift pattern edited (all history of its lines, left stale for the job)', async () => {
    const pattern = await call('get', `/shift-patterns/${ids.p3x8}`);
    const shifts = (
      pattern.body as {
        shifts: {
          code: string;
          name: string;
          startMinute: number;
          durationMin: number;
          weekdays: number[];
          breaks: { name: string; offsetMin: number; durationMin: number }[];
        }[];
      }
    ).shifts;
    const edited = shifts.map((s) => ({
      code: s.code,
      name: s.name,
      startMinute: s.startMinute,
      durationMin: s.durationMin,
      weekdays: s.weekdays,
      breaks: s.breaks.map((b) => ({ name: b.name, offsetMin: b.offsetMin + 15, durationMin: b.durationMin + 15 })),
    }));
    const res = await call('patch', `/shift-patterns/${ids.p3x8}`, { shifts: edited });
    expect(res.status).toBe(200);
    expect((await staleMachineIds()).sort()).toEqual([ids.m1, ids.m2].sort());
    await expectFiguresCurrent('break edited', '2025-03-31T00:00:00+02:00');
    // A rename changes no figure: the other pattern's machine stays current.
    expect((await call('patch', `/shift-patterns/${ids.p2x8}`, { name: 'Two shifts' })).status).toBe(200);
    expect((await staleMachineIds()).sort()).toEqual([ids.m1, ids.m2].sort());
  });

  it('follow an ideal cycle time replaced, through the API and through a CSV import', async () => {
    const res = await call('put', `/products/${ids.b}/ideal-cycle-times`, {
      items: [
        { lineId: ids.line1, idealCycleTimeSec: 24 },
        { machineId: ids.m3, idealCycleTimeSec: 50 },
      ],
    });
    expect(res.status).toBe(200);
    await expectFiguresCurrent('ideal cycle time replaced', '2025-03-24T00:00:00+01:00');

    const csv = 'code,name,ideal_cycle_times\nprod-a,Product A,line:p1/asm/l1=18;line:p1/asm/l2=45\n';
    const imported = await call('post', '/config/products/import?dryRun=false', csv);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ isValid: true, updated: 1 });
    await expectFiguresCurrent('ideal cycle time imported', '2025-03-24T00:00:00+01:00');
  });

  it("follow a site's time zone, a machine moved to another line and a line's shift pattern changed", async () => {
    expect((await call('patch', `/sites/${ids.site}`, { timeZone: 'Europe/London' })).status).toBe(200);
    expect((await staleMachineIds()).sort()).toEqual([ids.m1, ids.m2, ids.m3].sort());
    await expectFiguresCurrent('time zone changed', '2025-03-29T00:00:00Z');

    expect((await call('patch', `/machines/${ids.m2}`, { lineId: ids.line2 })).status).toBe(200);
    await expectFiguresCurrent('machine moved', '2025-03-29T00:00:00Z');

    expect((await call('patch', `/lines/${ids.line2}`, { shiftPatternId: ids.p3x8 })).status).toBe(200);
    await expectFiguresCurrent('shift pattern of a line changed', '2025-03-29T00:00:00Z');
  });

  it('come from rollups again once the rollup job has run, still equal', async () => {
    const job = startRollupJob({
      prisma: t.db.prisma,
      logger: pino({ level: 'silent' }),
      intervalMs: 3_600_000,
      // The history's present: nothing to catch up after it.
      nowMs: () => TO_MS,
    });
    try {
      const run = await job.runNow();
      expect(run.recomputedStaleMachineHours).toBeGreaterThan(0);
    } finally {
      await job.stop();
    }
    expect(await staleMachineIds()).toEqual([]);
    const { rollupRows } = await expectFiguresCurrent('after the job', '2025-03-29T00:00:00Z');
    expect(rollupRows).toBeGreaterThan(3 * 20);
  });
});
