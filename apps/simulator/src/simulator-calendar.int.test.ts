// The shift calendar end to end: a plant whose calendars are laid out around the present (site zone UTC, so
// that a DST change cannot move them during the test) puts one line outside its shift, one in a break and one
// machine in planned maintenance; the same states reach PostgreSQL through the bridge (UNS JSON), the Sparkplug
// B births and the OPC UA variables.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBridge, startEmbeddedBroker, type Bridge, type EmbeddedBroker } from '@takt/bridge';
import type { TShiftBreakInput } from '@takt/contracts';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { AttributeIds, OPCUAClient } from 'node-opcua';
import { pino } from 'pino';
import { get as getSparkplugCodec } from 'sparkplug-payload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.ts';
import { createDemoPlant } from './testing/demo-plant.fixture.ts';

const logger = pino({ level: 'silent' });
const codec = getSparkplugCodec('spBv1.0')!;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const EXPECTED = {
  // line1: its only shift starts in 2 h.
  'plant1/assembly/line1/press1': { state: 'NO_ORDER', reason: null },
  'plant1/assembly/line1/press2': { state: 'NO_ORDER', reason: null },
  'plant1/assembly/line1/weld1': { state: 'NO_ORDER', reason: null },
  // line2: an hour into its shift, in the break from 50 to 80 min; cnc1 in planned maintenance.
  'plant1/assembly/line2/cnc1': { state: 'PLANNED_STOP', reason: 'PLN-PM' },
  'plant1/assembly/line2/cnc2': { state: 'PLANNED_STOP', reason: 'PLN-BREAK' },
};

describe('simulator on shift calendars → UNS/bridge, Sparkplug B and OPC UA', { timeout: 30_000 }, () => {
  const prefix = `takt-sim-cal-${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let broker: EmbeddedBroker;
  let bridge: Bridge;
  let simulator: Simulator;
  let subscriber: MqttClient;
  let dataDir: string;
  const birthStates = new Map<string, unknown>();

  beforeAll(async () => {
    db = await createTestDatabase('simulator_calendar');
    await createDemoPlant(db.prisma);
    const site = await db.prisma.site.update({ where: { code: 'plant1' }, data: { timeZone: 'UTC' } });
    const planned = await db.prisma.downtimeReason.create({ data: { code: 'PLN', name: 'Planned', kind: 'PLANNED' } });
    const [breakReason, maintenance] = await Promise.all(
      ['PLN-BREAK', 'PLN-PM'].map((code) =>
        db.prisma.downtimeReason.create({ data: { code, name: code, kind: 'PLANNED', parentId: planned.id } }),
      ),
    );
    const nowMs = Date.now();
    const minuteOfDay = Math.floor((nowMs % 86_400_000) / 60_000);
    const pattern = (code: string, startMinute: number, durationMin: number, breaks: TShiftBreakInput[]) =>
      db.prisma.shiftPattern.create({
        data: {
          siteId: site.id,
          code,
          name: code,
          shifts: {
            create: [
              { code: 's', name: 's', startMinute, durationMin, weekdays: EVERY_DAY, breaks: { create: breaks } },
            ],
          },
        },
      });
    const later = await pattern('later', (minuteOfDay + 120) % 1440, 60, []);
    const inBreak = await pattern('in-break', (minuteOfDay + 1440 - 60) % 1440, 240, [
      { name: 'Break', offsetMin: 50, durationMin: 30 },
    ]);
    const lines = await db.prisma.line.findMany({ select: { id: true, code: true } });
    for (const line of lines) {
      await db.prisma.line.update({
        where: { id: line.id },
        data: { shiftPatternId: line.code === 'line1' ? later.id : inBreak.id },
      });
    }
    const cnc1 = await db.prisma.machine.findUniqueOrThrow({ where: { path: 'plant1/assembly/line2/cnc1' } });
    await db.prisma.plannedDowntime.createMany({
      data: [
        // Over: not loaded.
        {
          machineId: cnc1.id,
          reasonId: breakReason!.id,
          startsAt: new Date(nowMs - 7_200_000),
          endsAt: new Date(nowMs - 3_600_000),
        },
        {
          machineId: cnc1.id,
          reasonId: maintenance!.id,
          startsAt: new Date(nowMs - 60_000),
          endsAt: new Date(nowMs + 3_600_000),
        },
      ],
    });

    broker = await startEmbeddedBroker();
    subscriber = await connectAsync(broker.url, { clientId: `${prefix}-sub`, clean: true, protocolVersion: 4 });
    subscriber.on('message', (topic, payload) => {
      const state = codec.decodePayload(payload).metrics?.find((metric) => metric.name === 'State');
      birthStates.set(topic.split('/').at(-1)!.replaceAll(':', '/'), state?.value);
    });
    await subscriber.subscribeAsync(`spBv1.0/${prefix}/DBIRTH/#`, { qos: 0 });
    bridge = await startBridge({
      prisma: db.prisma,
      mqttUrl: broker.url,
      topicPrefix: prefix,
      clientId: `${prefix}-bridge`,
      maxBatchDelayMs: 50,
      logger,
    });
    await bridge.ready;
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-sim-cal-'));
    simulator = await startSimulator({
      prisma: db.prisma,
      mqttUrl: broker.url,
      topicPrefix: prefix,
      clientId: `${prefix}-simulator`,
      seed: 7,
      speed: 1800,
      countIntervalMs: 200,
      tickIntervalMs: 20,
      sparkplugGroupId: prefix,
      opcuaPort: 0,
      dataDir,
      logger,
    });
    await simulator.ready;
  });

  afterAll(async () => {
    await simulator?.stop();
    await bridge?.stop();
    await subscriber?.endAsync();
    await broker?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stores NO_ORDER outside the shift and PLANNED_STOP with its reason in breaks and maintenance', async () => {
    const openStates = async () =>
      Object.fromEntries(
        (
          await db.prisma.machineStateInterval.findMany({
            where: { endedAt: null },
            select: { state: true, machine: { select: { path: true } }, reason: { select: { code: true } } },
          })
        ).map((interval) => [interval.machine.path, { state: interval.state, reason: interval.reason?.code ?? null }]),
      );
    await expect.poll(openStates, { timeout: 10_000, interval: 100 }).toEqual(EXPECTED);
    // At speed 1800 an hour of stops passes in 2 s: still nothing produced, and no other state was stored.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await db.prisma.machineStateInterval.count()).toBe(5);
    const produced = await db.prisma.productionCount.aggregate({ _sum: { goodCount: true, rejectCount: true } });
    expect((produced._sum.goodCount ?? 0) + (produced._sum.rejectCount ?? 0)).toBe(0);
    expect(await db.prisma.deadLetter.count()).toBe(0);
  });

  it('carries the same states in the Sparkplug B births and the OPC UA variables', async () => {
    expect(Object.fromEntries(birthStates)).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([machinePath, { state }]) => [machinePath, state])),
    );
    const client = OPCUAClient.create({
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 2, initialDelay: 100 },
    });
    await client.connect(simulator.opcuaEndpointUrl!);
    try {
      const session = await client.createSession();
      const values = await session.read(
        simulator.machinePaths.map((machinePath) => ({
          nodeId: `ns=1;s=${machinePath}.State`,
          attributeId: AttributeIds.Value,
        })),
      );
      expect(Object.fromEntries(simulator.machinePaths.map((p, i) => [p, values[i]?.value.value]))).toEqual(
        Object.fromEntries(Object.entries(EXPECTED).map(([machinePath, { state }]) => [machinePath, state])),
      );
      await session.close();
    } finally {
      await client.disconnect();
    }
  });
});
