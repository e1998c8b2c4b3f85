// invalidateRollups and refreshStaleRollups on a small plant with four days of rolled-up history: which hours a
// change reaches (a window, all history, a product's span), recomputed at once or marked stale (never outside the
// coverage), day rows of an old time zone removed, the job newest first, and range queries equal to the pure
// engine before and after the job.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { expandLocalDays, NUMERIC_COMPONENTS, type TKpiComponents } from '@takt/kpi';
import { computeComponentsFromInputs, loadMachineKpiInputs } from './kpi-inputs.query.ts';
import { HOUR_MS } from './kpi-sql.types.ts';
import { computeRangeComponents } from './range-components.query.ts';
import { loadRollupCoverage } from './rollup-coverage.query.ts';
import {
  idealCycleTimeChange,
  invalidateRollups,
  refreshStaleRollups,
  type TInvalidateRollupsOptions,
} from './rollup-invalidation.ts';
import { refreshRollups } from './rollup-refresh.ts';

let db: TestDatabase;
const ids = { site: '', pattern: '', line: '', otherLine: '', m1: '', m2: '', m3: '', a: '', b: '' };
const T0 = Date.UTC(2025, 5, 1, 22, 0, 0); // Monday 2 June 2025, 00:00 in Berlin
const h = (hours: number) => T0 + hours * HOUR_MS;
const NOW_MS = h(96) + 1234;

beforeAll(async () => {
  db = await createTestDatabase('kpi_rollup_invalidation');
  const p = db.prisma;
  const enterprise = await p.enterprise.create({ data: { code: 'e', name: 'E' } });
  const site = await p.site.create({
    data: { enterpriseId: enterprise.id, code: 's', name: 'S', timeZone: 'Europe/Berlin' },
  });
  const pattern = await p.shiftPattern.create({
    data: {
      siteId: site.id,
      code: '2x8',
      name: 'Two shifts',
      shifts: {
        create: [
          {
            code: 'early',
            name: 'Early',
            startMinute: 360,
            durationMin: 480,
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            breaks: { create: [{ name: 'meal', offsetMin: 240, durationMin: 30 }] },
          },
          { code: 'late', name: 'Late', startMinute: 840, durationMin: 480, weekdays: [1, 2, 3, 4, 5, 6, 7] },
        ],
      },
    },
  });
  const area = await p.area.create({ data: { siteId: site.id, code: 'a', name: 'A' } });
  const line = await p.line.create({ data: { areaId: area.id, code: 'l', name: 'L', shiftPatternId: pattern.id } });
  const otherLine = await p.line.create({ data: { areaId: area.id, code: 'o', name: 'O' } });
  const machine = (lineId: string, code: string) =>
    p.machine.create({ data: { lineId, code, path: `s/a/${code}`, name: code } });
  const [m1, m2, m3] = [await machine(line.id, 'm1'), await machine(line.id, 'm2'), await machine(otherLine.id, 'm3')];
  const a = await p.product.create({ data: { code: 'A', name: 'A' } });
  const b = await p.product.create({ data: { code: 'B', name: 'B' } });
  await p.idealCycleTime.createMany({
    data: [
      { lineId: line.id, productId: a.id, idealCycleTimeSec: 20 },
      { lineId: line.id, productId: b.id, idealCycleTimeSec: 30 },
    ],
  });
  Object.assign(ids, {
    site: site.id,
    pattern: pattern.id,
    line: line.id,
    otherLine: otherLine.id,
    m1: m1.id,
    m2: m2.id,
    m3: m3.id,
    a: a.id,
    b: b.id,
  });
  // Four days: 40 minutes producing, 20 minutes down, every hour; product A, but B on the third day from 10:00 to 14:00.
  for (const machineId of [m1.id, m2.id, m3.id]) {
    const intervals: { machineId: string; state: 'PRODUCING' | 'DOWN'; startedAt: Date; productId: string }[] = [];
    const counts = [];
    for (let hour = 0; hour < 96; hour++) {
      const productId = hour >= 58 && hour < 62 ? b.id : a.id;
      intervals.push(
        { machineId, state: 'PRODUCING' as const, startedAt: new Date(h(hour)), productId },
        { machineId, state: 'DOWN' as const, startedAt: new Date(h(hour) + 40 * 60_000), productId },
      );
      for (let minute = 0; minute < 40; minute += 10) {
        counts.push({ machineId, bucketStart: new Date(h(hour) + minute * 60_000), productId, goodCount: 25 });
      }
    }
    await p.machineStateInterval.createMany({
      data: intervals.map((interval, k) => ({ ...interval, endedAt: intervals[k + 1]?.startedAt ?? null })),
    });
    await p.productionCount.createMany({ data: counts });
  }
});
afterAll(() => db.drop());

beforeEach(async () => {
  const p = db.prisma;
  await p.$transaction([
    p.kpiRollupHour.deleteMany({}),
    p.kpiRollupDay.deleteMany({}),
    p.kpiDowntimeHour.deleteMany({}),
    p.kpiRollupCoverage.deleteMany({}),
    p.plannedDowntime.deleteMany({}),
    p.site.update({ where: { id: ids.site }, data: { timeZone: 'Europe/Berlin' } }),
  ]);
  // Rollups of every machine's history but m3's first day.
  for (const machineId of [ids.m1, ids.m2]) {
    await refreshRollups({ prisma: p, machineId, fromMs: h(0), toMs: h(0) + 1, nowMs: NOW_MS });
  }
  await refreshRollups({ prisma: p, machineId: ids.m3, fromMs: h(24), toMs: h(24) + 1, nowMs: NOW_MS });
});

const invalidate = (options: Omit<TInvalidateRollupsOptions, 'prisma'>) =>
  db.prisma.$transaction((tx) => invalidateRollups({ prisma: tx, ...options }));

async function staleOf(machineId: string) {
  return (await loadRollupCoverage({ prisma: db.prisma, machineIds: [machineId] })).get(machineId)?.stale;
}

async function drainStale(): Promise<number> {
  let machineHours = 0;
  for (let isDone = false; !isDone;) {
    const step = await refreshStaleRollups({ prisma: db.prisma });
    machineHours += step.machineHours;
    isDone = step.isDone;
  }
  return machineHours;
}

/** The range query over the four days (daily series in the site's zone) minus the pure engine over the raw data. */
async function expectRangeQueryAgrees(machineIds: string[]): Promise<{ rollupRows: number }> {
  const site = await db.prisma.site.findUniqueOrThrow({ where: { id: ids.site } });
  const coverage = await loadRollupCoverage({ prisma: db.prisma, machineIds });
  const localDays = expandLocalDays({ timeZone: site.timeZone, fromMs: h(0), toMs: h(96) });
  const cutsMs = [h(0), ...localDays.map((d) => d.endMs).filter((ms) => ms < h(96)), h(96)];
  const range = await computeRangeComponents({
    prisma: db.prisma,
    machines: machineIds.map((machineId) => ({
      machineId,
      groupNo: 0,
      toMs: h(96),
      coverage: coverage.get(machineId) ?? null,
    })),
    cutsMs,
    localDays,
  });
  const inputs = await loadMachineKpiInputs({ prisma: db.prisma, machineIds, fromMs: h(0), toMs: h(96) });
  for (const input of inputs) {
    expectSame(range.byMachine.get(input.machineId), computeComponentsFromInputs(input, h(0), h(96)), input.machineId);
  }
  return { rollupRows: range.stats.rollupRows };
}

function expectSame(actual: TKpiComponents | undefined, expected: TKpiComponents, label: string): void {
  for (const key of NUMERIC_COMPONENTS) {
    const [x, y] = [actual?.[key] ?? NaN, expected[key]];
    if (key === 'idealProductionTimeSec' || key === 'goodIdealTimeSec') {
      expect(Math.abs(x - y), `${label} ${key}`).toBeLessThanOrEqual(1e-9 * Math.max(1, y));
    } else expect(Math.round(x * 1000), `${label} ${key}`).toBe(Math.round(y * 1000));
  }
}

describe('invalidateRollups', () => {
  it('recomputes a small reach in the transaction: planned downtime of a line, its hours only', async () => {
    await db.prisma.plannedDowntime.create({
      data: { lineId: ids.line, startsAt: new Date(h(30.25)), endsAt: new Date(h(31.5)) },
    });
    const before = await db.prisma.kpiRollupHour.findMany({
      where: { machineId: ids.m1 },
      orderBy: { hourStart: 'asc' },
    });
    const result = await invalidate({ changes: [{ lineIds: [ids.line], fromMs: h(30.25), toMs: h(31.5) }] });
    expect(result).toEqual({ machineIds: [ids.m1, ids.m2].sort(), recomputedMachineHours: 4, staleMachineHours: 0 });
    const after = await db.prisma.kpiRollupHour.findMany({
      where: { machineId: ids.m1 },
      orderBy: { hourStart: 'asc' },
    });
    const changed = after.filter((row, k) => row.plannedShutdownMs !== before[k]?.plannedShutdownMs);
    expect(changed.map((row) => row.hourStart.getTime())).toEqual([h(30), h(31)]);
    expect(await staleOf(ids.m1)).toEqual([]);
    expect((await expectRangeQueryAgrees([ids.m1, ids.m2, ids.m3])).rollupRows).toBeGreaterThan(0);
  });

  it('marks a large reach stale (whole hours inside the coverage, day rows gone); queries stay exact; the job recomputes', async () => {
    await db.prisma.shiftBreak.updateMany({ where: { name: 'meal' }, data: { offsetMin: 200, durationMin: 45 } });
    try {
      const result = await invalidate({ changes: [{ shiftPatternIds: [ids.pattern] }], maxSyncMachineHours: 100 });
      // m3's line has no pattern: not reached.
      expect(result.machineIds).toEqual([ids.m1, ids.m2].sort());
      expect(result.staleMachineHours).toBe(2 * 96);
      expect(await staleOf(ids.m1)).toEqual([{ startMs: h(0), endMs: h(96) }]);
      expect(await db.prisma.kpiRollupDay.count({ where: { machineId: { in: [ids.m1, ids.m2] } } })).toBe(0);
      // The stale hours are computed exactly: right at once, without a single rollup row of m1 or m2.
      expect(await expectRangeQueryAgrees([ids.m1, ids.m2])).toEqual({ rollupRows: 0 });

      expect(await drainStale()).toBe(2 * 96);
      expect(await staleOf(ids.m1)).toEqual([]);
      expect(await db.prisma.kpiRollupDay.count({ where: { machineId: ids.m1 } })).toBe(4);
      expect((await expectRangeQueryAgrees([ids.m1, ids.m2])).rollupRows).toBe(2 * 4);
    } finally {
      await db.prisma.shiftBreak.updateMany({ where: { name: 'meal' }, data: { offsetMin: 240, durationMin: 30 } });
    }
  });

  it('leaves what lies outside the coverage alone: a machine without rollups, hours not rolled up, the future', async () => {
    const result = await invalidate({
      changes: [{ machineIds: [ids.m3], fromMs: h(2), toMs: h(200) }],
      maxSyncMachineHours: 0,
    });
    // m3 is rolled up from its second day to the present hour: h(24) to h(96).
    expect(result.staleMachineHours).toBe(72);
    expect(await staleOf(ids.m3)).toEqual([{ startMs: h(24), endMs: h(96) }]);
    await db.prisma.kpiRollupCoverage.deleteMany({ where: { machineId: ids.m3 } });
    expect(await invalidate({ changes: [{ machineIds: [ids.m3] }] })).toEqual({
      machineIds: [ids.m3],
      recomputedMachineHours: 0,
      staleMachineHours: 0,
    });
    expect(await invalidate({ changes: [{ lineIds: [] }, { machineIds: [], fromMs: h(0), toMs: h(1) }] })).toEqual({
      machineIds: [],
      recomputedMachineHours: 0,
      staleMachineHours: 0,
    });
  });

  it('reaches only the span of a product whose ideal cycle time changed', async () => {
    const before = [{ lineId: ids.line, machineId: null, idealCycleTimeSec: 30 }];
    const after = [{ lineId: ids.line, machineId: null, idealCycleTimeSec: 12 }];
    const change = idealCycleTimeChange(ids.b, before, after);
    expect(change).toEqual({ productId: ids.b, lineIds: [ids.line], machineIds: [] });
    await db.prisma.idealCycleTime.updateMany({ where: { productId: ids.b }, data: { idealCycleTimeSec: 12 } });
    try {
      const result = await invalidate({ changes: [change ?? {}], maxSyncMachineHours: 0 });
      // Product B ran from 10:00 to 14:00 on the third day (hours 58 to 62).
      expect(await staleOf(ids.m1)).toEqual([{ startMs: h(58), endMs: h(62) }]);
      expect(result.staleMachineHours).toBe(2 * 4);
      await expectRangeQueryAgrees([ids.m1, ids.m2]);
      await drainStale();
      await expectRangeQueryAgrees([ids.m1, ids.m2]);
    } finally {
      await db.prisma.idealCycleTime.updateMany({ where: { productId: ids.b }, data: { idealCycleTimeSec: 30 } });
    }
  });

  it('after a time-zone change, keeps no day row of the old zone: queries by the new local days stay exact', async () => {
    const berlinDays = await db.prisma.kpiRollupDay.findMany({ where: { machineId: ids.m1 } });
    expect(berlinDays.map((d) => d.dayStart.getTime())).toEqual([h(0), h(24), h(48), h(72)]);
    await db.prisma.$transaction(async (tx) => {
      await tx.site.update({ where: { id: ids.site }, data: { timeZone: 'America/New_York' } });
      await invalidateRollups({ prisma: tx, changes: [{ siteIds: [ids.site] }], maxSyncMachineHours: 0 });
    });
    expect(await db.prisma.kpiRollupDay.count()).toBe(0);
    await expectRangeQueryAgrees([ids.m1, ids.m2, ids.m3]);
    await drainStale();
    const newYorkDays = await db.prisma.kpiRollupDay.findMany({ where: { machineId: ids.m1 } });
    // New York midnight is 04:00 UTC in June: h(6) is 2 June 00:00 there; the last complete day ends at h(78).
    expect(newYorkDays.map((d) => d.dayStart.getTime()).sort()).toEqual([h(6), h(30), h(54)]);
    expect((await expectRangeQueryAgrees([ids.m1, ids.m2, ids.m3])).rollupRows).toBeGreaterThan(0);
  });
});

describe('refreshStaleRollups', () => {
  it('recomputes the newest stale hours first, a bounded chunk per transaction, until none is left', async () => {
    await invalidate({ changes: [{ machineIds: [ids.m1, ids.m2] }], maxSyncMachineHours: 0 });
    const first = await refreshStaleRollups({ prisma: db.prisma, maxMachines: 1, hoursPerMachine: 10 });
    expect(first).toEqual({ machineHours: 10, isDone: false });
    const stale = [await staleOf(ids.m1), await staleOf(ids.m2)];
    expect(stale).toContainEqual([{ startMs: h(0), endMs: h(86) }]);
    expect(stale).toContainEqual([{ startMs: h(0), endMs: h(96) }]);
    const second = await refreshStaleRollups({ prisma: db.prisma, maxMachines: 1, hoursPerMachine: 10 });
    expect(second.machineHours).toBe(10);
    // The other machine's newest hours came next.
    expect([await staleOf(ids.m1), await staleOf(ids.m2)]).toEqual([
      [{ startMs: h(0), endMs: h(86) }],
      [{ startMs: h(0), endMs: h(86) }],
    ]);
    expect(await drainStale()).toBe(2 * 86);
    expect(await refreshStaleRollups({ prisma: db.prisma })).toEqual({ machineHours: 0, isDone: true });
    await expectRangeQueryAgrees([ids.m1, ids.m2]);
  });
});
