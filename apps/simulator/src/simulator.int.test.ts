// The demo pipeline as `npm start` runs it: simulator → embedded MQTT broker → bridge → PostgreSQL, with a
// fresh database holding a small plant. Speed factor and short publish intervals keep it to seconds.
import { randomBytes } from 'node:crypto';
import { startBridge, startEmbeddedBroker, type Bridge, type EmbeddedBroker } from '@takt/bridge';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.ts';
import { createDemoPlant } from './testing/demo-plant.fixture.ts';

const logger = pino({ level: 'silent' });

describe('simulator → embedded broker → bridge → PostgreSQL', { timeout: 30_000 }, () => {
  const prefix = `takt-sim-test-${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let broker: EmbeddedBroker;
  let bridge: Bridge;
  let simulator: Simulator;

  beforeAll(async () => {
    db = await createTestDatabase('simulator');
    await createDemoPlant(db.prisma);
    broker = await startEmbeddedBroker();
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl: broker.url,
      topicPrefix: prefix,
      clientId: `${prefix}-bridge`,
      maxBatchDelayMs: 50,
      logger,
    });
    await bridge.ready;
    simulator = await startSimulator({
      databaseUrl: db.url,
      mqttUrl: broker.url,
      topicPrefix: prefix,
      clientId: `${prefix}-simulator`,
      seed: 7,
      speed: 1800,
      countIntervalMs: 200,
      tickIntervalMs: 20,
      protocols: ['uns'],
      logger,
    });
    await simulator.ready;
  });

  afterAll(async () => {
    await simulator?.stop();
    await bridge?.stop();
    await broker?.stop();
    await db?.drop();
  });

  it('yields contiguous state intervals and counted parts for every simulated machine', async () => {
    const machines = await db.prisma.machine.findMany({ select: { id: true, path: true }, orderBy: { path: 'asc' } });
    expect(simulator.machinePaths).toEqual(machines.map((m) => m.path));

    const progress = async () =>
      Promise.all(
        machines.map(async (machine) => ({
          intervals: await db.prisma.machineStateInterval.count({ where: { machineId: machine.id } }),
          good:
            (await db.prisma.productionCount.aggregate({ where: { machineId: machine.id }, _sum: { goodCount: true } }))
              ._sum.goodCount ?? 0,
        })),
      );
    await expect
      .poll(async () => (await progress()).every((p) => p.intervals >= 3 && p.good > 0), {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(true);

    const products = await db.prisma.product.findMany({ select: { id: true } });
    const productIds = new Set(products.map((p) => p.id));
    for (const machine of machines) {
      const intervals = await db.prisma.machineStateInterval.findMany({
        where: { machineId: machine.id },
        orderBy: { startedAt: 'asc' },
      });
      // One timeline without gaps or overlaps: each interval ends where the next begins; only the last is open.
      intervals.slice(0, -1).forEach((interval, index) => {
        expect(interval.endedAt?.getTime()).toBe(intervals[index + 1]?.startedAt.getTime());
      });
      expect(intervals.at(-1)?.endedAt).toBeNull();
      expect(intervals.every((interval) => interval.productId !== null && productIds.has(interval.productId))).toBe(
        true,
      );
      const counts = await db.prisma.productionCount.findMany({ where: { machineId: machine.id } });
      expect(counts.every((count) => count.bucketSec === 60 && count.bucketStart.getTime() % 60_000 === 0)).toBe(true);
      expect(counts.some((count) => count.productId !== null)).toBe(true);
    }
    expect(await db.prisma.deadLetter.count()).toBe(0);
  });

  it('leaves every machine OFFLINE when it stops', async () => {
    await simulator.stop();
    const openStates = async () =>
      (await db.prisma.machineStateInterval.findMany({ where: { endedAt: null }, select: { state: true } })).map(
        (i) => i.state,
      );
    await expect.poll(openStates, { timeout: 5_000, interval: 50 }).toEqual(Array(5).fill('OFFLINE'));
  });
});
