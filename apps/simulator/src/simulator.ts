// Runs the demo plant: one deterministic machine model per machine of the database, advanced on a timer in
// real time and published on the UNS topics. Runs in-process under the launcher (`npm start`) or as its
// own process (main.ts). The plant is read once at start; restart the simulator after changing it.
import { hostname } from 'node:os';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { pino, type Logger } from 'pino';
import { createMachineModel, type MachineModel, type MachineModelParams } from './machine-model.ts';
import { loadSimulatedPlant } from './plant.loader.ts';
import { deriveSeed } from './seeded.prng.ts';
import { createUnsJsonPublisher } from './uns-json.publisher.ts';

export type StartSimulatorOptions = (
  { databaseUrl: string; prisma?: undefined } | { prisma: PrismaClient; databaseUrl?: undefined }
) & {
  mqttUrl: string;
  /** UNS topic prefix (MQTT_UNS_PREFIX), default `takt`. */
  topicPrefix?: string;
  /** SIMULATOR_SEED, default 42. */
  seed?: number;
  /** SIMULATOR_SPEED: stops and runs pass this many times faster, default 1. */
  speed?: number;
  /** How often count deltas are published (each one also a heartbeat), default 5 s. */
  countIntervalMs?: number;
  /** How often the models are advanced and state changes published, default 250 ms. */
  tickIntervalMs?: number;
  clientId?: string;
  mqttProtocolVersion?: 4 | 5;
  modelParams?: Partial<MachineModelParams>;
  logger?: Logger;
};

export type Simulator = {
  /** The simulated machine paths. */
  machinePaths: readonly string[];
  /** Resolves once connected and every machine's state has been published. */
  ready: Promise<void>;
  /** Publishes the last counts and every machine as OFFLINE (retained), then disconnects. */
  stop(): Promise<void>;
};

type SimulatedMachineRuntime = { path: string; model: MachineModel; pendingGood: number; pendingReject: number };

export async function startSimulator(options: StartSimulatorOptions): Promise<Simulator> {
  const rootLogger = options.logger ?? pino({ level: 'info' });
  const logger = rootLogger.child({ name: 'simulator' });
  const topicPrefix = options.topicPrefix ?? 'takt';
  const seed = options.seed ?? 42;
  const speed = options.speed ?? 1;
  const countIntervalMs = options.countIntervalMs ?? 5_000;
  const tickIntervalMs = options.tickIntervalMs ?? 250;

  const prisma = options.prisma ?? createPrismaClient(options.databaseUrl, { maxConnections: 2 });
  const plant = await loadSimulatedPlant(prisma).finally(async () => {
    // The simulator needs the database only to read the plant.
    if (options.prisma === undefined) await prisma.$disconnect();
  });

  const startMs = Date.now();
  const machines: SimulatedMachineRuntime[] = plant.machines.map((machine) => ({
    path: machine.path,
    model: createMachineModel({
      seed: deriveSeed(seed, machine.path),
      startMs,
      products: machine.products,
      downReasonCodes: plant.downReasonCodes,
      timeScale: speed,
      ...(options.modelParams === undefined ? {} : { params: options.modelParams }),
    }),
    pendingGood: 0,
    pendingReject: 0,
  }));
  if (machines.length === 0) logger.warn('the plant has no machines: nothing to simulate (seed the database first)');

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const publisher = createUnsJsonPublisher({
    mqttUrl: options.mqttUrl,
    topicPrefix,
    clientId: options.clientId ?? `takt-simulator-${hostname()}-${topicPrefix.replaceAll('/', '-')}`,
    ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
    logger: rootLogger,
    onConnect() {
      // On every (re)connect, like a Sparkplug birth: subscribers that missed changes while we were away
      // learn the current state (with the time it began, so a bridge that saw it already ignores it).
      for (const machine of machines) publisher.publishState(machine.path, machine.model.current());
      markReady();
    },
  });

  function tick(): void {
    const nowMs = Date.now();
    for (const machine of machines) {
      const advance = machine.model.advanceTo(nowMs);
      for (const change of advance.stateChanges) publisher.publishState(machine.path, change);
      machine.pendingGood += advance.goodCount;
      machine.pendingReject += advance.rejectCount;
    }
  }

  function publishCounts(): void {
    tick();
    const nowMs = Date.now();
    for (const machine of machines) {
      // Sent even when zero: the count is also the machine's heartbeat (the bridge puts silent machines OFFLINE).
      publisher.publishCount(machine.path, nowMs, machine.pendingGood, machine.pendingReject);
      machine.pendingGood = 0;
      machine.pendingReject = 0;
    }
  }

  const tickTimer = setInterval(tick, tickIntervalMs);
  const countTimer = setInterval(publishCounts, countIntervalMs);
  logger.info(
    {
      machines: machines.length,
      products: new Set(plant.machines.flatMap((m) => m.products.map((p) => p.code))).size,
      seed,
      speed,
      topicPrefix,
    },
    'simulator started',
  );

  let stopping: Promise<void> | null = null;
  return {
    machinePaths: machines.map((machine) => machine.path),
    ready,
    stop() {
      stopping ??= (async () => {
        clearInterval(tickTimer);
        clearInterval(countTimer);
        publishCounts();
        const nowMs = Date.now();
        for (const machine of machines) {
          publisher.publishState(machine.path, { tsMs: nowMs, state: 'OFFLINE', reasonCode: null, productCode: null });
        }
        await publisher.stop();
        logger.info('simulator stopped');
      })();
      return stopping;
    },
  };
}
