// Rollup maintenance as the ingest pipeline drives it: a no-op while the hour runs, one hour written when it ends,
// catch-up after silence, late events correcting the hours they touch, coverage extended back to a late event.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { computeCellComponents } from './cell-components.query.ts';
import { HOUR_MS } from './kpi-sql.types.ts';
import { computeRangeComponents } from './range-components.query.ts';
import { loadRollupCoverage } from './rollup-coverage.query.ts';
import { catchUpRollups, refreshRollups, refreshRollupsMany } from './rollup-refresh.ts';

let db: TestDatabase;
let machineId: string;
let otherMachineId: string;
const T0 = Date.UTC(2025, 5, 2, 0, 0, 0); // a Monday, 02:00 in Berlin
const h = (hours: number) => T0 + hours * HOUR_MS;

beforeAll(async () => {
  db = await createTestDatabase('kpi_rollup_refresh');
  const p = db.prisma;
  const enterprise = await p.enterprise.create({ data: { code: 'e', name: 'E' } });
  const site = await p.site.create({
    data: { enterpriseId: enterprise.id, code: 's', name: 'S', timeZone: 'Europe/Berlin' },
  });
  const pattern = await p.shiftPattern.create({
    data: {
      siteId: site.id,
      code: '24x7',
      name: 'Around the clock',
      shifts: {
        create: [{ code: 'day', name: 'Day', startMinute: 0, durationMin: 1440, weekdays: [1, 2, 3, 4, 5, 6, 7] }],
      },
    },
  });
  const area = await p.area.create({ data: { siteId: site.id, code: 'a', name: 'A' } });
  const line = await p.line.create({ data: { areaId: area.id, code: 'l', name: 'L', shiftPatternId: pattern.id } });
  machineId = (await p.machine.create({ data: { lineId: line.id, code: 'm', path: 's/a/l/m', name: 'M' } })).id;
  otherMachineId = (await p.machine.create({ data: { lineId: line.id, code: 'n', path: 's/a/l/n', name: 'N' } })).id;
});
afterAll(() => db.drop());

beforeEach(async () => {
  const p = db.prisma;
  await p.$transaction([
    p.machineStateInterval.deleteMany({}),
    p.kpiRollupHour.deleteMany({}),
    p.kpiRollupDay.deleteMany({}),
    p.kpiDowntimeHour.deleteMany({}),
    p.kpiRollupCoverage.deleteMany({}),
  ]);
});

async function insertInterval(state: 'PRODUCING' | 'DOWN', startMs: number, endMs: number | null, machine = machineId) {
  await db.prisma.machineStateInterval.create({
    data: { machineId: machine, state, startedAt: new Date(startMs), endedAt: endMs === null ? null : new Date(endMs) },
  });
}

async function coverage(machine = machineId) {
  return (await loadRollupCoverage({ prisma: db.prisma, machineIds: [machine] })).get(machine) ?? null;
}

async function rollupRunMs(hourMs: number): Promise<number | undefined> {
  const row = await db.prisma.kpiRollupHour.findUnique({
    where: { machineId_hourStart: { machineId, hourStart: new Date(hourMs) } },
  });
  return row?.runMs;
}

describe('refreshRollups', () => {
  it('stores only complete hours: a batch inside the running hour writes nothing once the coverage is current', async () => {
    await insertInterval('PRODUCING', h(0), null);
    expect(await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(0), toMs: h(0) + 1, nowMs: h(3.5) })).toBe(3);
    expect(await coverage()).toEqual({ fromMs: h(0), toMs: h(3), stale: [] });
    // Further batches during hour 3: no work at all.
    for (const nowMs of [h(3.6), h(3.9)]) {
      expect(await refreshRollups({ prisma: db.prisma, machineId, fromMs: nowMs - 1000, toMs: nowMs, nowMs })).toBe(0);
    }
    // The first batch after 04:00 rolls hour 3 up.
    expect(await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(4.01), toMs: h(4.02), nowMs: h(4.02) })).toBe(
      1,
    );
    expect(await coverage()).toEqual({ fromMs: h(0), toMs: h(4), stale: [] });
    expect(await rollupRunMs(h(3))).toBe(HOUR_MS);
  });

  it('catches up every hour completed since the coverage ended (a machine that was silent)', async () => {
    await insertInterval('PRODUCING', h(0), null);
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(0), toMs: h(1), nowMs: h(1) });
    expect(await coverage()).toEqual({ fromMs: h(0), toMs: h(1), stale: [] });
    expect(await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(6.5), toMs: h(6.6), nowMs: h(6.6) })).toBe(5);
    expect(await coverage()).toEqual({ fromMs: h(0), toMs: h(6), stale: [] });
  });

  it('corrects the hours a late event touches, and only those', async () => {
    await insertInterval('PRODUCING', h(0), null);
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(0), toMs: h(1), nowMs: h(5) });
    expect(await rollupRunMs(h(2))).toBe(HOUR_MS);

    // A breakdown from 02:15 to 02:45 reported late: the open interval is cut and the stop inserted.
    await db.prisma.machineStateInterval.updateMany({ where: { machineId }, data: { endedAt: new Date(h(2.25)) } });
    await insertInterval('DOWN', h(2.25), h(2.75));
    await insertInterval('PRODUCING', h(2.75), null);
    expect(await rollupRunMs(h(2))).toBe(HOUR_MS); // stale until refreshed
    const written = await refreshRollups({
      prisma: db.prisma,
      machineId,
      fromMs: h(2.25),
      toMs: h(2.75),
      nowMs: h(5.1),
    });
    expect(written).toBe(1);
    expect(await rollupRunMs(h(2))).toBe(HOUR_MS / 2);

    const [exact] = await computeCellComponents({
      prisma: db.prisma,
      cells: [{ machineId, fromMs: h(0), toMs: h(5) }],
    });
    const viaRollups = await computeRangeComponents({
      prisma: db.prisma,
      machines: [{ machineId, groupNo: 0, toMs: h(5), coverage: await coverage() }],
      cutsMs: [h(0), h(5)],
    });
    expect(viaRollups.stats).toEqual({ rollupRows: 5, exactCells: 0 });
    expect(viaRollups.byMachine.get(machineId)).toEqual(exact?.components);
    const downtime = await db.prisma.kpiDowntimeHour.findMany({ where: { machineId } });
    expect(downtime.map((d) => [d.state, d.durationMs, d.eventCount])).toEqual([['DOWN', HOUR_MS / 2, 1]]);
  });

  it('extends the coverage back to a late event before it, keeping it one contiguous range', async () => {
    await insertInterval('PRODUCING', h(0), null);
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(6), toMs: h(6.1), nowMs: h(8.5) });
    expect(await coverage()).toEqual({ fromMs: h(6), toMs: h(8), stale: [] });
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(1.5), toMs: h(1.6), nowMs: h(8.6) });
    expect(await coverage()).toEqual({ fromMs: h(1), toMs: h(8), stale: [] });
    expect(await db.prisma.kpiRollupHour.count({ where: { machineId } })).toBe(7);
  });

  it('refreshes many machines in one statement, each with its own range', async () => {
    await insertInterval('PRODUCING', h(0), null);
    await insertInterval('DOWN', h(0), null, otherMachineId);
    const written = await refreshRollupsMany({
      prisma: db.prisma,
      touched: [
        { machineId, fromMs: h(1), toMs: h(2) },
        { machineId: otherMachineId, fromMs: h(2), toMs: h(3) },
      ],
      nowMs: h(4),
    });
    expect(written).toBe(3 + 2);
    expect(await coverage(otherMachineId)).toEqual({ fromMs: h(2), toMs: h(4), stale: [] });
  });
});

describe('day rollups', () => {
  it('hold the sum of the hours of each complete local day, and follow corrections', async () => {
    // 02:00 Berlin on a Monday in June (UTC+2): local days run 22:00 to 22:00 UTC.
    await insertInterval('PRODUCING', h(-30), null);
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(-30), toMs: h(-29), nowMs: h(47.5) });
    const days = await db.prisma.kpiRollupDay.findMany({ where: { machineId }, orderBy: { dayStart: 'asc' } });
    // Coverage [h(-30), h(47)): local days [-26, -2) and [-2, 22) are complete; [22, 46) too; [46, 70) is not.
    expect(days.map((d) => [(d.dayStart.getTime() - T0) / HOUR_MS, (d.dayEnd.getTime() - T0) / HOUR_MS])).toEqual([
      [-26, -2],
      [-2, 22],
      [22, 46],
    ]);
    expect(days.every((d) => d.runMs === 24 * HOUR_MS && d.shiftMs === 24 * HOUR_MS)).toBe(true);

    // A stop at 10:00 UTC corrects the hour and the day holding it.
    await db.prisma.machineStateInterval.updateMany({ where: { machineId }, data: { endedAt: new Date(h(10)) } });
    await insertInterval('DOWN', h(10), h(11));
    await insertInterval('PRODUCING', h(11), null);
    await refreshRollups({ prisma: db.prisma, machineId, fromMs: h(10), toMs: h(11), nowMs: h(47.6) });
    const day = await db.prisma.kpiRollupDay.findUnique({
      where: { machineId_dayStart: { machineId, dayStart: new Date(h(-2)) } },
    });
    expect([day?.runMs, day?.downMs, day?.downEventCount]).toEqual([23 * HOUR_MS, HOUR_MS, 1]);
  });
});

describe('catchUpRollups', () => {
  it('starts a machine without coverage at its first data, and one without data at the present hour', async () => {
    await insertInterval('PRODUCING', h(1.5), null);
    const written = await catchUpRollups({ prisma: db.prisma, nowMs: h(4.2) });
    expect(written).toBe(3);
    expect(await coverage()).toEqual({ fromMs: h(1), toMs: h(4), stale: [] });
    expect(await coverage(otherMachineId)).toEqual({ fromMs: h(4), toMs: h(4), stale: [] });
    expect(await catchUpRollups({ prisma: db.prisma, nowMs: h(4.9) })).toBe(0);
    expect(await catchUpRollups({ prisma: db.prisma, nowMs: h(5) })).toBe(2);
  });
});
