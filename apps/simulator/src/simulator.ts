// Runs the demo plant: one deterministic machine model per machine of the database, following its line's shift
// calendar, advanced on a timer by the simulator's clock (real time unless a test sets it) and published, from
// the same model, on the UNS JSON topics, as a Sparkplug B edge node and as an OPC UA server
// (SIMULATOR_PROTOCOLS). Runs in-process under the launcher (`npm start`) or as its own process (main.ts). The
// plant is read once at start; restart the simulator after changing it.
import { hostname } from 'node:os';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { pino, type Logger } from 'pino';
import path from 'node:path';
import { createMachineModel, type MachineModel, type MachineModelParams } from './machine-model.ts';
import { createMachineSchedule } from './machine-schedule.ts';
import { loadSimulatedPlant } from './plant.loader.ts';
import { deriveSeed } from './seeded.prng.ts';
import type { SimulatorOpcUaServer } from './opcua.server.ts';
import { createSparkplugPublisher, type SparkplugPublisher } from './sparkplug.publisher.ts';
import { createUnsJsonPublisher, type UnsJsonPublisher } from './uns-json.publisher.ts';
import { SIMULATOR_PROTOCOLS, type SimulatorProtocol } from './env.ts';

export type StartSimulatorOptions = (
  { databaseUrl: string; prisma?: undefined } | { prisma: PrismaClient; databaseUrl?: undefined }
) & {
  mqttUrl: string;
  /** UNS topic prefix (MQTT_UNS_PREFIX), default `takt`. */
  topicPrefix?: string;
  /** SIMULATOR_SEED, default 42. */
  seed?: number;
  /** SIMULATOR_SPEED: stops and runs pass this many times faster (shifts do not), default 1. */
  speed?: number;
  /** The simulator's clock in epoch ms, default Date.now; timestamps and shift boundaries follow it. */
  clock?: () => number;
  /** Reason reported during shift breaks when the plant has it as a planned reason; default `PLN-BREAK`. */
  breakReasonCode?: string;
  /** How often count deltas are published (each one also a heartbeat), default 5 s. */
  countIntervalMs?: number;
  /** How often the models are advanced and state changes published, default 250 ms. */
  tickIntervalMs?: number;
  clientId?: string;
  mqttProtocolVersion?: 4 | 5;
  modelParams?: Partial<MachineModelParams>;
  logger?: Logger;
  /** SIMULATOR_PROTOCOLS, default all three. */
  protocols?: readonly SimulatorProtocol[];
  /** Sparkplug group_id, default `takt`; the edge node id defaults to `takt-simulator`. */
  sparkplugGroupId?: string;
  sparkplugEdgeNodeId?: string;
  /** SIMULATOR_OPCUA_PORT, default 4841; 0 = chosen by the OS. */
  opcuaPort?: number;
  /** TAKT_DATA_DIR: the OPC UA server's PKI goes to `{dataDir}/pki/simulator-opcua`. Default `./data`. */
  dataDir?: string;
};

export type Simulator = {
  /** The simulated machine paths. */
  machinePaths: readonly string[];
  /** Resolves once every protocol is up: MQTT connected and every machine published, OPC UA listening. */
  ready: Promise<void>;
  /** `opc.tcp://127.0.0.1:<port>/takt`, null when OPC UA is off. */
  opcuaEndpointUrl: string | null;
  /** Sparkplug births sent so far (each rebirth request adds one), 0 when Sparkplug is off. */
  sparkplugBirthCount(): number;
  /** Publishes the last counts and every machine as OFFLINE (retained), then disconnects. */
  stop(): Promise<void>;
};

/** The demo plant's reason for breaks (prisma/seed history plan). */
const DEFAULT_BREAK_REASON_CODE = 'PLN-BREAK';

type SimulatedMachineRuntime = {
  path: string;
  model: MachineModel;
  pendingGood: number;
  pendingReject: number;
  /** Cumulative counters, as a PLC keeps them (Sparkplug and OPC UA publish these). */
  goodTotal: number;
  rejectTotal: number;
};

export async function startSimulator(options: StartSimulatorOptions): Promise<Simulator> {
  const rootLogger = options.logger ?? pino({ level: 'info' });
  const logger = rootLogger.child({ name: 'simulator' });
  const topicPrefix = options.topicPrefix ?? 'takt';
  const seed = options.seed ?? 42;
  const speed = options.speed ?? 1;
  const countIntervalMs = options.countIntervalMs ?? 5_000;
  const tickIntervalMs = options.tickIntervalMs ?? 250;
  const clock = options.clock ?? Date.now;

  const startMs = clock();
  const prisma = options.prisma ?? createPrismaClient(options.databaseUrl, { maxConnections: 2 });
  const plant = await loadSimulatedPlant({ prisma, fromMs: startMs }).finally(async () => {
    // The simulator needs the database only to read the plant.
    if (options.prisma === undefined) await prisma.$disconnect();
  });

  const breakReasonCode = options.breakReasonCode ?? DEFAULT_BREAK_REASON_CODE;
  const machines: SimulatedMachineRuntime[] = plant.machines.map((machine) => ({
    path: machine.path,
    model: createMachineModel({
      seed: deriveSeed(seed, machine.path),
      startMs,
      products: machine.products,
      downReasonCodes: plant.downReasonCodes,
      timeScale: speed,
      schedule: createMachineSchedule({
        calendar: machine.calendar,
        plannedDowntime: machine.plannedDowntime,
        // An unknown code would only earn the bridge a warning per break: report none instead.
        breakReasonCode: plant.plannedReasonCodes.includes(breakReasonCode) ? breakReasonCode : null,
      }),
      ...(options.modelParams === undefined ? {} : { params: options.modelParams }),
    }),
    pendingGood: 0,
    pendingReject: 0,
    goodTotal: 0,
    rejectTotal: 0,
  }));
  if (machines.length === 0) logger.warn('the plant has no machines: nothing to simulate (seed the database first)');

  const protocols = new Set(options.protocols ?? SIMULATOR_PROTOCOLS);
  const clientIdBase = options.clientId ?? `takt-simulator-${hostname()}-${topicPrefix.replaceAll('/', '-')}`;
  const readiness: Promise<void>[] = [];

  let uns: UnsJsonPublisher | null = null;
  if (protocols.has('uns')) {
    let markUnsReady: () => void = () => {};
    readiness.push(new Promise<void>((resolve) => (markUnsReady = resolve)));
    const publisher = createUnsJsonPublisher({
      mqttUrl: options.mqttUrl,
      topicPrefix,
      clientId: clientIdBase,
      ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
      logger: rootLogger,
      onConnect() {
        // On every (re)connect, like a Sparkplug birth: subscribers that missed changes while we were away
        // learn the current state (with the time it began, so a bridge that saw it already ignores it).
        for (const machine of machines) publisher.publishState(machine.path, machine.model.current());
        markUnsReady();
      },
    });
    uns = publisher;
  }

  let sparkplug: SparkplugPublisher | null = null;
  if (protocols.has('sparkplug')) {
    const publisher = createSparkplugPublisher({
      mqttUrl: options.mqttUrl,
      groupId: options.sparkplugGroupId ?? 'takt',
      edgeNodeId: options.sparkplugEdgeNodeId ?? 'takt-simulator',
      clientId: `${clientIdBase}-sparkplug`,
      ...(options.mqttProtocolVersion === undefined ? {} : { protocolVersion: options.mqttProtocolVersion }),
      logger: rootLogger,
      snapshot: () =>
        machines.map((machine) => ({
          machinePath: machine.path,
          state: machine.model.current(),
          goodTotal: machine.goodTotal,
          rejectTotal: machine.rejectTotal,
        })),
    });
    readiness.push(
      (async () => {
        while (publisher.birthCount() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
    );
    sparkplug = publisher;
  }

  let opcua: SimulatorOpcUaServer | null = null;
  if (protocols.has('opcua')) {
    const port = options.opcuaPort ?? 4841;
    // Loaded only when wanted: node-opcua takes about a second to import.
    const { startOpcUaServer } = await import('./opcua.server.ts');
    // A port in use (a second simulator, another OPC UA server) must not take MQTT down with it.
    opcua = await startOpcUaServer({
      port,
      dataDir: options.dataDir ?? path.resolve('data'),
      machinePaths: machines.map((machine) => machine.path),
      logger: rootLogger,
    }).catch((error: unknown) => {
      logger.error(
        { port, error: error instanceof Error ? error.message : String(error) },
        'OPC UA server not started',
      );
      return null;
    });
    for (const machine of opcua ? machines : []) {
      opcua?.setState(machine.path, machine.model.current());
      opcua?.setCounts(machine.path, 0, 0, startMs);
    }
  }
  const ready = Promise.all(readiness).then(() => undefined);

  function tick(): void {
    const nowMs = clock();
    for (const machine of machines) {
      const advance = machine.model.advanceTo(nowMs);
      for (const change of advance.stateChanges) {
        uns?.publishState(machine.path, change);
        sparkplug?.publishState(machine.path, change);
        opcua?.setState(machine.path, change);
      }
      machine.pendingGood += advance.goodCount;
      machine.pendingReject += advance.rejectCount;
      machine.goodTotal += advance.goodCount;
      machine.rejectTotal += advance.rejectCount;
    }
  }

  function publishCounts(): void {
    tick();
    const nowMs = clock();
    for (const machine of machines) {
      // Sent even when zero: the count is also the machine's heartbeat (the bridge puts silent machines OFFLINE).
      uns?.publishCount(machine.path, nowMs, machine.pendingGood, machine.pendingReject);
      sparkplug?.publishCounts(machine.path, nowMs, machine.goodTotal, machine.rejectTotal);
      opcua?.setCounts(machine.path, machine.goodTotal, machine.rejectTotal, nowMs);
      machine.pendingGood = 0;
      machine.pendingReject = 0;
    }
  }

  const tickTimer = setInterval(tick, tickIntervalMs);
  const countTimer = setInterval(publishCounts, countIntervalMs);
  logger.info(
    {
      machines: machines.length,
      machinesOnShiftCalendar: plant.machines.filter((m) => m.calendar !== null).length,
      products: new Set(plant.machines.flatMap((m) => m.products.map((p) => p.code))).size,
      seed,
      speed,
      topicPrefix,
      protocols: [...protocols],
      opcuaEndpointUrl: opcua?.endpointUrl ?? null,
    },
    'simulator started',
  );

  let stopping: Promise<void> | null = null;
  return {
    machinePaths: machines.map((machine) => machine.path),
    ready,
    opcuaEndpointUrl: opcua?.endpointUrl ?? null,
    sparkplugBirthCount: () => sparkplug?.birthCount() ?? 0,
    stop() {
      stopping ??= (async () => {
        clearInterval(tickTimer);
        clearInterval(countTimer);
        publishCounts();
        const nowMs = clock();
        for (const machine of machines) {
          uns?.publishState(machine.path, { tsMs: nowMs, state: 'OFFLINE', reasonCode: null, productCode: null });
        }
        await Promise.all([uns?.stop(), sparkplug?.stop(), opcua?.stop()]);
        logger.info('simulator stopped');
      })();
      return stopping;
    },
  };
}
