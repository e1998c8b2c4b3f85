// `npm run bench -- ingest`: OT ingest throughput and latency on this machine. N simulated machines publish
// Sparkplug B DDATA (one cumulative GoodCount metric per message = one event) through Mosquitto — a private one
// with the plant's settings of deploy/mosquitto/mosquitto.conf when /usr/sbin/mosquitto exists (the bridge
// acknowledges a message once it is committed, so the broker's in-flight window matters: apps/bridge/README.md
// "Broker settings"), else the one on 127.0.0.1:1883 — to the bridge's Sparkplug source and the @takt/ingest pipeline, which runs in its own
// process (bench/ingest-bridge.worker.ts) on a fresh PostgreSQL database. In the same run, the two physical
// limits: a bare subscriber's receive rate from the same broker, and raw COPY rows/s into the table the
// pipeline writes one row per event to (ingest_timeline_event).
// Targets (2 cores shared by broker, bridge and PostgreSQL): ≥ 20,000 events/s sustained and ≥ 50 % of the
// bare-subscriber rate; p95 publish→committed ≤ 100 ms at 1,000 events/s. Under saturation the bridge's
// back-pressure bounds the events it holds (BRIDGE_MAX_PENDING_EVENTS); its peak RSS and pending events are
// reported for that phase.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { PrismaClient } from '@takt/db';
import { createTestDatabase } from '@takt/db/testing';
import { writeBenchResult } from './bench-results.ts';
import { connectAsync, type MqttClient } from 'mqtt';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { get as getSparkplugCodec } from 'sparkplug-payload';
import { BRIDGE_INGEST_DEFAULTS } from '../apps/bridge/src/bridge.ts';
import { isMosquittoInstalled, startMosquittoBroker } from '../apps/bridge/src/testing/mosquitto-broker.fixture.ts';
import type { WorkerReport } from './ingest-bridge.worker.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The broker of this run (main() starts a private one when it can).
let MQTT_URL = 'mqtt://127.0.0.1:1883';
const MACHINES = 100;
const BARE_MESSAGES = 100_000;
const COPY_ROWS = 200_000;
const LATENCY_RATE_PER_SEC = 1_000;
const LATENCY_DURATION_SEC = 10;
const SATURATION_DURATION_SEC = 20;
// Mosquitto drops QoS 1 messages beyond `max_queued_messages` (default 1,000) queued for a slow subscriber:
// the publisher keeps at most this many messages published but not yet received by the subscriber.
const MAX_UNDELIVERED = 500;
const DRAIN_TIMEOUT_MS = 30_000;

const codec = getSparkplugCodec('spBv1.0')!;

export type IngestBenchResult = {
  machines: number;
  eventsPerSec: number;
  bareSubscriberPerSec: number;
  copyRowsPerSec: number;
  ratioToBareSubscriber: number;
  p50LatencyMsAt1k: number;
  p95LatencyMsAt1k: number;
  p99LatencyMsAt1k: number;
  p50LatencyMsSaturated: number;
  p95LatencyMsSaturated: number;
  p99LatencyMsSaturated: number;
  bridgeCpuPercentSaturated: number;
  /** Peak resident memory of the bridge process during the saturation phase. */
  bridgePeakRssMiB: number;
  /** Most events received and not yet committed during the saturation phase, and the configured bound. */
  bridgePeakPendingEvents: number;
  bridgeMaxPendingEvents: number;
  /** How often back-pressure paused the MQTT source during the saturation phase. */
  backPressurePauses: number;
  eventsPublished: number;
  eventsCommitted: number;
  rebirthRequests: number;
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

async function createPlant(prisma: PrismaClient): Promise<string[]> {
  const enterprise = await prisma.enterprise.create({ data: { code: 'bench', name: 'Bench' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'UTC' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'area1', name: 'Area 1' } });
  const line = await prisma.line.create({ data: { areaId: area.id, code: 'line1', name: 'Line 1' } });
  const paths = Array.from({ length: MACHINES }, (_, i) => `plant1/area1/line1/m${String(i).padStart(3, '0')}`);
  await prisma.machine.createMany({
    data: paths.map((machinePath, i) => ({
      lineId: line.id,
      code: machinePath.split('/').at(-1)!,
      path: machinePath,
      name: `M${i}`,
      sequence: i,
    })),
  });
  return paths;
}

type Worker = { child: ChildProcess; reports: WorkerReport[]; latest: () => WorkerReport | undefined };

async function startWorker(args: string[]): Promise<Worker> {
  const child = fork(path.join(REPO_ROOT, 'bench/ingest-bridge.worker.ts'), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: WorkerReport[] = [];
  let isReady = false;
  child.on('message', (message: WorkerReport | { type: 'ready' }) => {
    if (message.type === 'ready') isReady = true;
    else reports.push(message);
  });
  while (!isReady) {
    if (child.exitCode !== null) throw new Error('bench worker exited before it was ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, reports, latest: () => reports.at(-1) };
}

async function stopWorker(worker: Worker): Promise<void> {
  worker.child.send({ type: 'stop' });
  await Promise.race([once(worker.child, 'exit'), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
}

/** One Sparkplug B edge node with a device per machine; DDATA carries one cumulative counter. */
async function startEdgeNode(groupId: string, machinePaths: readonly string[]) {
  const client: MqttClient = await connectAsync(MQTT_URL, {
    clientId: `bench-edge-${randomBytes(3).toString('hex')}`,
    clean: true,
    protocolVersion: 4,
  });
  let seq = 0;
  let published = 0;
  const counters = new Map(machinePaths.map((machinePath) => [machinePath, 0]));
  const deviceId = (machinePath: string) => machinePath.split('/').join(':');
  const nextSeq = () => {
    const current = seq;
    seq = (seq + 1) % 256;
    return current;
  };
  const publish = (topic: string, payload: Parameters<typeof codec.encodePayload>[0]) => {
    client.publish(topic, Buffer.from(codec.encodePayload(payload)), { qos: 1 });
  };
  let rebirths = 0;
  const birth = () => {
    const nowMs = Date.now();
    seq = 0;
    publish(`spBv1.0/${groupId}/NBIRTH/edge`, {
      timestamp: nowMs,
      seq: nextSeq(),
      metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }],
    });
    for (const machinePath of machinePaths) {
      publish(`spBv1.0/${groupId}/DBIRTH/edge/${deviceId(machinePath)}`, {
        timestamp: nowMs,
        seq: nextSeq(),
        metrics: [{ name: 'GoodCount', alias: 1, type: 'UInt64', value: counters.get(machinePath) ?? 0 }],
      });
    }
  };
  // A rebirth request means the bridge saw a seq gap (a message lost): answer it as an edge node must.
  client.on('message', () => {
    rebirths += 1;
    birth();
  });
  await client.subscribeAsync(`spBv1.0/${groupId}/NCMD/edge`, { qos: 0 });
  birth();
  let next = 0;
  return {
    /** Publishes one DDATA (tsMs = now, the start of its publish→commit latency). */
    publishData() {
      const machinePath = machinePaths[next % machinePaths.length]!;
      next += 1;
      const value = (counters.get(machinePath) ?? 0) + 1;
      counters.set(machinePath, value);
      published += 1;
      publish(`spBv1.0/${groupId}/DDATA/edge/${deviceId(machinePath)}`, {
        timestamp: Date.now(),
        seq: nextSeq(),
        metrics: [{ alias: 1, type: 'UInt64', value }],
      });
    },
    published: () => published,
    rebirths: () => rebirths,
    end: () => client.endAsync(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes as fast as the subscriber takes the messages (closed loop: at most MAX_UNDELIVERED published but
 * not yet received) until `until()` holds.
 */
async function publishFlat(
  edge: Awaited<ReturnType<typeof startEdgeNode>>,
  worker: Worker,
  until: () => boolean,
): Promise<void> {
  let publishedAtStart = edge.published();
  let receivedAtStart = worker.latest()?.received ?? 0;
  let rebirths = edge.rebirths();
  while (!until()) {
    if (edge.rebirths() !== rebirths) {
      // Messages lost by the broker never arrive: after a rebirth, count the window afresh.
      rebirths = edge.rebirths();
      publishedAtStart = edge.published();
      receivedAtStart = worker.latest()?.received ?? 0;
    }
    const undelivered = edge.published() - publishedAtStart - ((worker.latest()?.received ?? 0) - receivedAtStart);
    const room = MAX_UNDELIVERED - undelivered;
    for (let i = 0; i < room; i += 1) edge.publishData();
    await sleep(2);
  }
}

async function measureBareSubscriber(machinePaths: readonly string[]): Promise<number> {
  const groupId = `bench-bare-${randomBytes(3).toString('hex')}`;
  const worker = await startWorker(['bare', MQTT_URL, groupId]);
  try {
    const edge = await startEdgeNode(groupId, machinePaths);
    await sleep(300); // births through
    const from = worker.latest();
    await publishFlat(edge, worker, () => edge.published() >= BARE_MESSAGES);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    const target = (from?.count ?? 0) + BARE_MESSAGES;
    while ((worker.latest()?.count ?? 0) < target && Date.now() < deadline) await sleep(20);
    await edge.end();
    const last = worker.reports.find((report) => report.count >= target) ?? worker.latest();
    if (!from || !last || last.atMs <= from.atMs) return NaN;
    return (last.count - from.count) / ((last.atMs - from.atMs) / 1000);
  } finally {
    await stopWorker(worker);
  }
}

async function measureCopy(databaseUrl: string, machineId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const startMs = Date.now();
    const baseMs = Date.now() - 3_600_000;
    function* lines() {
      for (let start = 0; start < COPY_ROWS; start += 1_000) {
        let chunk = '';
        for (let i = start; i < start + 1_000; i += 1) {
          chunk += `${machineId}\tcounter:good\t${new Date(baseMs + i).toISOString()}\t${i}\n`;
        }
        yield chunk;
      }
    }
    await pipe(
      Readable.from(lines()),
      client.query(copyFrom('COPY ingest_timeline_event (machine_id, kind, ts, counter_value) FROM STDIN')),
    );
    const rate = COPY_ROWS / ((Date.now() - startMs) / 1000);
    // Leave the table as the bridge phase expects it: empty.
    await client.query('TRUNCATE ingest_timeline_event');
    return rate;
  } finally {
    await client.end();
  }
}

function latencyStats(reports: readonly WorkerReport[]) {
  const sorted = reports.flatMap((report) => report.latenciesMs).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    count: sorted.length,
  };
}

export async function runIngestBenchmark(): Promise<IngestBenchResult> {
  const db = await createTestDatabase('bench_ingest');
  try {
    const machinePaths = await createPlant(db.prisma);
    const firstMachine = await db.prisma.machine.findFirstOrThrow({ select: { id: true } });

    console.log(`bare subscriber: ${BARE_MESSAGES} messages …`);
    const bareSubscriberPerSec = await measureBareSubscriber(machinePaths);
    console.log(`COPY: ${COPY_ROWS} rows …`);
    const copyRowsPerSec = await measureCopy(db.url, firstMachine.id);

    const groupId = `bench-${randomBytes(3).toString('hex')}`;
    const worker = await startWorker(['bridge', MQTT_URL, groupId, db.url]);
    try {
      const edge = await startEdgeNode(groupId, machinePaths);
      await sleep(500); // births through

      console.log(`latency at ${LATENCY_RATE_PER_SEC} events/s for ${LATENCY_DURATION_SEC} s …`);
      const latencyFrom = worker.reports.length;
      const latencyStartMs = Date.now();
      for (let tick = 0; Date.now() - latencyStartMs < LATENCY_DURATION_SEC * 1000; tick += 1) {
        // 10 events every 10 ms, on schedule (a late tick catches up).
        const dueMs = latencyStartMs + tick * 10;
        if (dueMs > Date.now()) await sleep(dueMs - Date.now());
        for (let i = 0; i < LATENCY_RATE_PER_SEC / 100; i += 1) edge.publishData();
      }
      await sleep(1_000);
      const at1k = latencyStats(worker.reports.slice(latencyFrom));

      console.log(`saturation for ${SATURATION_DURATION_SEC} s …`);
      const committedBefore = worker.latest()?.count ?? 0;
      const publishedBefore = edge.published();
      const saturationFrom = worker.reports.length;
      const startMs = Date.now();
      await publishFlat(edge, worker, () => Date.now() - startMs >= SATURATION_DURATION_SEC * 1000);
      const target = edge.published() - publishedBefore;
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      while ((worker.latest()?.count ?? 0) - committedBefore < target && Date.now() < deadline) await sleep(50);
      const saturationReports = worker.reports.slice(saturationFrom);
      const lastReport = saturationReports.at(-1);
      const firstReport = worker.reports[saturationFrom - 1] ?? saturationReports[0];
      const committed = (lastReport?.count ?? 0) - committedBefore;
      // Committed events over the time from the first publish to the report that saw the last commit.
      const doneReport = saturationReports.find((report) => report.count - committedBefore >= target) ?? lastReport;
      const elapsedSec = ((doneReport?.atMs ?? Date.now()) - startMs) / 1000;
      const eventsPerSec = committed / elapsedSec;
      const cpuMicros =
        (doneReport?.cpuUserMicros ?? 0) +
        (doneReport?.cpuSystemMicros ?? 0) -
        (firstReport?.cpuUserMicros ?? 0) -
        (firstReport?.cpuSystemMicros ?? 0);
      const cpuSpanSec = ((doneReport?.atMs ?? 0) - (firstReport?.atMs ?? 0)) / 1000;
      const saturated = latencyStats(saturationReports);
      await edge.end();
      return {
        machines: MACHINES,
        eventsPerSec: round(eventsPerSec),
        bareSubscriberPerSec: round(bareSubscriberPerSec),
        copyRowsPerSec: round(copyRowsPerSec),
        ratioToBareSubscriber: round(eventsPerSec / bareSubscriberPerSec, 2),
        p50LatencyMsAt1k: at1k.p50,
        p95LatencyMsAt1k: at1k.p95,
        p99LatencyMsAt1k: at1k.p99,
        p50LatencyMsSaturated: saturated.p50,
        p95LatencyMsSaturated: saturated.p95,
        p99LatencyMsSaturated: saturated.p99,
        bridgeCpuPercentSaturated: round((cpuMicros / 1e6 / cpuSpanSec) * 100),
        bridgePeakRssMiB: round(Math.max(...saturationReports.map((report) => report.rssBytes)) / 2 ** 20),
        bridgePeakPendingEvents: Math.max(...saturationReports.map((report) => report.pending)),
        bridgeMaxPendingEvents: BRIDGE_INGEST_DEFAULTS.maxPendingEvents,
        backPressurePauses: (lastReport?.pauses ?? 0) - (firstReport?.pauses ?? 0),
        eventsPublished: target,
        eventsCommitted: committed,
        rebirthRequests: edge.rebirths(),
      };
    } finally {
      await stopWorker(worker);
      // The worker's persistent session (CleanSession = 0) would otherwise stay on Mosquitto.
      const cleaner = await connectAsync(MQTT_URL, { clientId: `bench-bridge-${worker.child.pid}`, clean: true });
      await cleaner.endAsync();
    }
  } finally {
    await db.drop();
  }
}

/** Prints the table and writes bench/results/ingest.json (ingest.embedded.json with --embedded). */
export async function main(): Promise<void> {
  const broker = isMosquittoInstalled() ? await startMosquittoBroker() : null;
  if (broker) MQTT_URL = broker.url;
  console.log(`broker: ${broker ? `private Mosquitto with the plant settings at ${MQTT_URL}` : MQTT_URL}`);
  const result = await runIngestBenchmark().finally(() => broker?.destroy());
  console.table({
    'bridge, sustained (Sparkplug B → PostgreSQL)': {
      'events/s': result.eventsPerSec,
      'p50 ms': result.p50LatencyMsSaturated,
      'p95 ms': result.p95LatencyMsSaturated,
      'p99 ms': result.p99LatencyMsSaturated,
      target: '≥ 20,000 events/s, ≥ 50 % of bare',
    },
    'bridge at 1,000 events/s': {
      'events/s': LATENCY_RATE_PER_SEC,
      'p50 ms': result.p50LatencyMsAt1k,
      'p95 ms': result.p95LatencyMsAt1k,
      'p99 ms': result.p99LatencyMsAt1k,
      target: 'p95 ≤ 100 ms',
    },
    'bare subscriber (same broker)': { 'events/s': result.bareSubscriberPerSec },
    'raw COPY into ingest_timeline_event': { 'events/s': result.copyRowsPerSec },
  });
  console.log(
    `bridge / bare subscriber: ${Math.round(result.ratioToBareSubscriber * 100)} %; bridge CPU ${result.bridgeCpuPercentSaturated} % of one core, peak RSS ${result.bridgePeakRssMiB} MiB; pending events ≤ ${result.bridgePeakPendingEvents} (bound ${result.bridgeMaxPendingEvents}, ${result.backPressurePauses} pauses); committed ${result.eventsCommitted} of ${result.eventsPublished}; rebirth requests ${result.rebirthRequests}`,
  );
  console.log(`written: ${path.relative(REPO_ROOT, await writeBenchResult('ingest', result))}`);
}
