// The demo-plant seed against a real PostgreSQL database: what it writes, that the history is
// well-formed, and that a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
// The API's own reading of an order's output, so that the seed's stored figures are checked against it.
import { totalCounts } from '../../apps/api/src/work-orders/work-order-progress.ts';
import { readOutputs } from '../../apps/api/src/work-orders/work-order.repository.ts';
import { DEMO_USERS, seedDemoPlant, type SeedDemoPlantSummary } from './index.ts';

const NOW = new Date('2026-04-15T10:17:23.456Z');
const DAY_MS = 86_400_000;

/** Map.groupBy arrived in Node 21; the project targets Node 20. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

let db: TestDatabase;
let first: SeedDemoPlantSummary;

/** Row counts of every table the seed writes. */
async function rowCounts(prisma: TestDatabase['prisma']): Promise<Record<string, number>> {
  return {
    enterprise: await prisma.enterprise.count(),
    site: await prisma.site.count(),
    area: await prisma.area.count(),
    line: await prisma.line.count(),
    machine: await prisma.machine.count(),
    product: await prisma.product.count(),
    idealCycleTime: await prisma.idealCycleTime.count(),
    shiftPattern: await prisma.shiftPattern.count(),
    shift: await prisma.shift.count(),
    shiftBreak: await prisma.shiftBreak.count(),
    plannedDowntime: await prisma.plannedDowntime.count(),
    downtimeReason: await prisma.downtimeReason.count(),
    user: await prisma.user.count(),
    workOrder: await prisma.workOrder.count(),
    workOrderTransition: await prisma.workOrderTransition.count(),
    dataSource: await prisma.dataSource.count(),
    machineStateInterval: await prisma.machineStateInterval.count(),
    productionCount: await prisma.productionCount.count(),
  };
}

beforeAll(async () => {
  db = await createTestDatabase('seed');
  first = await seedDemoPlant({ prisma: db.prisma, now: NOW });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('seedDemoPlant', () => {
  it('writes the plant: 1 enterprise, ≥ 2 sites, ≥ 3 areas, ≥ 6 lines, ≥ 24 machines with paths', async () => {
    const { prisma } = db;
    expect(await prisma.enterprise.findMany({ select: { code: true, name: true } })).toEqual([
      { code: 'acme', name: 'Acme Manufacturing' },
    ]);
    const sites = await prisma.site.findMany();
    expect(sites.length).toBeGreaterThanOrEqual(2);
    expect(sites.map((s) => s.timeZone).sort()).toEqual(['America/Chicago', 'Europe/Berlin']);
    expect(await prisma.area.count()).toBeGreaterThanOrEqual(3);
    expect(await prisma.line.count({ where: { shiftPatternId: { not: null } } })).toBeGreaterThanOrEqual(6);
    const machines = await prisma.machine.findMany({
      include: { line: { include: { area: { include: { site: true } } } } },
    });
    expect(machines.length).toBeGreaterThanOrEqual(24);
    for (const m of machines) {
      expect(m.path).toBe(`${m.line.area.site.code}/${m.line.area.code}/${m.line.code}/${m.code}`);
      expect(m.path).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+){3}$/);
    }
    expect(first.totals).toMatchObject({ sites: sites.length, machines: machines.length });
  });

  it('gives each of ≥ 8 products an ideal cycle time, with some machine overrides', async () => {
    const products = await db.prisma.product.findMany({ include: { idealCycleTimes: true } });
    expect(products.length).toBeGreaterThanOrEqual(8);
    for (const p of products) {
      expect(p.idealCycleTimes.length).toBeGreaterThan(0);
      for (const ict of p.idealCycleTimes) {
        expect(ict.idealCycleTimeSec).toBeGreaterThanOrEqual(2);
        expect(ict.idealCycleTimeSec).toBeLessThanOrEqual(60);
      }
    }
    expect(await db.prisma.idealCycleTime.count({ where: { machineId: { not: null } } })).toBeGreaterThanOrEqual(2);
  });

  it('writes two shift patterns whose shifts all have breaks, one crossing midnight', async () => {
    const patterns = await db.prisma.shiftPattern.findMany({ include: { shifts: { include: { breaks: true } } } });
    expect(patterns).toHaveLength(2);
    const shifts = patterns.flatMap((p) => p.shifts);
    for (const s of shifts) expect(s.breaks.length).toBeGreaterThan(0);
    expect(shifts.some((s) => s.startMinute + s.durationMin > 1440)).toBe(true);
  });

  it('writes a two-level reason tree of ≥ 20 codes, planned and unplanned', async () => {
    const reasons = await db.prisma.downtimeReason.findMany({ include: { parent: true } });
    expect(reasons.length).toBeGreaterThanOrEqual(20);
    const leaves = reasons.filter((r) => r.parentId !== null);
    expect(leaves.length).toBeGreaterThanOrEqual(20);
    for (const leaf of leaves) {
      expect(leaf.parent?.parentId).toBeNull();
      expect(leaf.kind).toBe(leaf.parent?.kind);
    }
    expect(new Set(leaves.map((r) => r.kind))).toEqual(new Set(['PLANNED', 'UNPLANNED']));
  });

  it('creates one demo user per role with an argon2id hash', async () => {
    const users = await db.prisma.user.findMany({ orderBy: { username: 'asc' } });
    expect(users.map((u) => [u.username, u.role])).toEqual(
      DEMO_USERS.map((u) => [u.username, u.role]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    for (const u of users) expect(u.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('writes the built-in simulator as a UNS JSON data source', async () => {
    const source = await db.prisma.dataSource.findUnique({ where: { code: 'simulator-uns' } });
    expect(source).toMatchObject({ kind: 'MQTT_JSON', config: { topicPrefix: 'takt' }, isEnabled: true });
  });

  it('gives every machine 30 days of contiguous, non-overlapping intervals with exactly one open', async () => {
    const machines = await db.prisma.machine.findMany({ select: { id: true, path: true } });
    const intervals = await db.prisma.machineStateInterval.findMany({
      select: { machineId: true, startedAt: true, endedAt: true, state: true },
      orderBy: [{ machineId: 'asc' }, { startedAt: 'asc' }],
    });
    const byMachine = groupBy(intervals, (i) => i.machineId);
    const problems: string[] = [];
    for (const machine of machines) {
      const list = byMachine.get(machine.id) ?? [];
      const open = list.filter((i) => i.endedAt === null);
      if (open.length !== 1 || list.at(-1)?.endedAt !== null) problems.push(`${machine.path}: ${open.length} open`);
      if ((list[0]?.startedAt.getTime() ?? Infinity) > NOW.getTime() - 30 * DAY_MS)
        problems.push(`${machine.path}: short`);
      if ((list.at(-1)?.startedAt.getTime() ?? Infinity) > NOW.getTime()) problems.push(`${machine.path}: future`);
      for (let i = 1; i < list.length; i++) {
        const previous = list[i - 1];
        if (previous?.endedAt?.getTime() !== list[i]?.startedAt.getTime()) {
          problems.push(`${machine.path}: gap or overlap at ${list[i]?.startedAt.toISOString()}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(new Set(intervals.map((i) => i.state))).toEqual(
      new Set(['PRODUCING', 'IDLE', 'DOWN', 'CHANGEOVER', 'PLANNED_STOP', 'NO_ORDER']),
    );
  });

  it('classifies most breakdowns and labels production with a product', async () => {
    const down = await db.prisma.machineStateInterval.count({ where: { state: 'DOWN', endedAt: { not: null } } });
    const unclassified = await db.prisma.machineStateInterval.count({
      where: { state: 'DOWN', endedAt: { not: null }, reasonId: null },
    });
    expect(unclassified / down).toBeGreaterThan(0.05);
    expect(unclassified / down).toBeLessThan(0.3);
    expect(await db.prisma.machineStateInterval.count({ where: { state: 'PRODUCING', productId: null } })).toBe(0);
  });

  it('writes non-negative counts inside the history window', async () => {
    const stats = await db.prisma.productionCount.aggregate({
      _min: { goodCount: true, rejectCount: true, bucketStart: true },
      _max: { bucketStart: true },
      _sum: { goodCount: true, rejectCount: true },
    });
    expect(stats._min.goodCount).toBeGreaterThanOrEqual(0);
    expect(stats._min.rejectCount).toBeGreaterThanOrEqual(0);
    expect(stats._sum.goodCount).toBeGreaterThan(0);
    expect(stats._sum.rejectCount).toBeGreaterThan(0);
    expect(stats._min.bucketStart?.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY_MS - 300_000);
    expect(stats._max.bucketStart?.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it('writes completed, in-progress (one per line), released and draft work orders with transitions', async () => {
    const orders = await db.prisma.workOrder.findMany({ include: { transitions: { orderBy: { at: 'asc' } } } });
    const byStatus = groupBy(orders, (o) => o.status);
    expect(byStatus.get('COMPLETED')?.length).toBeGreaterThan(5);
    expect(byStatus.get('RELEASED')?.length).toBeGreaterThan(0);
    expect(byStatus.get('DRAFT')?.length).toBeGreaterThan(0);
    const running = byStatus.get('IN_PROGRESS') ?? [];
    expect(running.map((o) => o.lineId).sort()).toEqual((await db.prisma.line.findMany()).map((l) => l.id).sort());
    for (const order of orders) {
      expect(order.transitions[0]).toMatchObject({ fromStatus: null, toStatus: 'DRAFT' });
      expect(order.transitions.at(-1)?.toStatus).toBe(order.status);
    }
    for (const order of running) expect(order.goodCount).toBeLessThan(order.targetQuantity);
  });

  it('stores on each order the counts the API answers: good of the output machine, scrap of the whole line', async () => {
    const orders = await db.prisma.workOrder.findMany({
      where: { status: { in: ['IN_PROGRESS', 'COMPLETED'] } },
      select: { id: true, number: true, goodCount: true, scrapCount: true },
    });
    const outputs = await readOutputs(
      db.prisma,
      orders.map((o) => o.id),
      NOW,
    );
    const mismatches = orders.flatMap((order) => {
      const output = outputs.get(order.id);
      const answered = output === undefined ? null : totalCounts(output.counted, output.adjustment);
      const stored = { goodCount: order.goodCount, scrapCount: order.scrapCount };
      return JSON.stringify(answered) === JSON.stringify(stored)
        ? []
        : [`${order.number}: stored ${JSON.stringify(stored)}, API ${JSON.stringify(answered)}`];
    });
    expect(mismatches).toEqual([]);
    expect([...outputs.values()].every((o) => o.counted.source === 'work-order-tag')).toBe(true);
    // Upstream machines reject parts too: the line's scrap is more than its last machine's.
    const lastMachineRejects = await db.prisma.$queryRaw<{ reject: bigint }[]>`
      SELECT COALESCE(SUM(pc.reject_count), 0)::bigint AS reject
        FROM production_count pc
        JOIN work_order w ON w.id = pc.work_order_id
       WHERE pc.machine_id = (SELECT m.id FROM machine m WHERE m.line_id = w.line_id
                               ORDER BY m.sequence DESC, m.code DESC LIMIT 1)`;
    const storedScrap = orders.reduce((sum, o) => sum + o.scrapCount, 0);
    expect(storedScrap).toBeGreaterThan(Number(lastMachineRejects[0]?.reject ?? 0));
  });

  it('rolls the history up to the present hour, so that the first dashboard reads rollups', async () => {
    const nowHourMs = Math.floor(NOW.getTime() / 3_600_000) * 3_600_000;
    const coverage = await db.prisma.kpiRollupCoverage.findMany();
    expect(coverage).toHaveLength(first.totals.machines);
    for (const row of coverage) {
      expect(row.toHour.getTime()).toBe(nowHourMs);
      expect(row.fromHour.getTime()).toBeLessThanOrEqual(NOW.getTime() - 29 * DAY_MS);
    }
    expect(first.rollupMachineHours).toBeGreaterThanOrEqual(first.totals.machines * 29 * 24);
    expect(await db.prisma.kpiRollupHour.count()).toBe(first.rollupMachineHours);
  });

  it('changes no row count when run again', async () => {
    const before = await rowCounts(db.prisma);
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const second = await seedDemoPlant({ prisma: db.prisma, now: new Date(NOW.getTime() + DAY_MS) });
    expect(await rowCounts(db.prisma)).toEqual(before);
    expect(second.isHistoryGenerated).toBe(false);
    // A day later the rollups catch up that day, and only that day.
    expect(second.rollupMachineHours).toBe(first.totals.machines * 24);
    expect(second.createdConfigRowCount + second.createdUserCount).toBe(0);
    expect(second.totals).toEqual(first.totals);
    // The password was not re-hashed (a fresh salt would change the string).
    expect((await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } })).passwordHash).toBe(
      admin.passwordHash,
    );
  }, 60_000);
});

describe('seedDemoPlant on first start by two processes at once', () => {
  let concurrent: TestDatabase;
  let single: TestDatabase;

  beforeAll(async () => {
    [concurrent, single] = await Promise.all([createTestDatabase('seed_race'), createTestDatabase('seed_single')]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([concurrent?.drop(), single?.drop()]);
  });

  it('writes the plant and its history once', async () => {
    const { createPrismaClient } = await import('@takt/db');
    // A second client stands for the second process: its own pool, its own connections.
    const other = createPrismaClient(concurrent.url, { maxConnections: 4 });
    try {
      const results = await Promise.all([
        seedDemoPlant({ prisma: concurrent.prisma, now: NOW }),
        seedDemoPlant({ prisma: other, now: NOW }),
      ]);
      await seedDemoPlant({ prisma: single.prisma, now: NOW });
      const expected = await rowCounts(single.prisma);
      expect(await rowCounts(concurrent.prisma)).toEqual(expected);
      expect(results.reduce((sum, r) => sum + r.history.machineCount, 0)).toBe(expected.machine);
    } finally {
      await other.$disconnect();
    }
  }, 120_000);
});
