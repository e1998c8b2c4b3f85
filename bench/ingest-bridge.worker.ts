// Child process of `npm run bench -- ingest` (bench/ingest.bench.ts), so that its CPU and memory are measured
// alone. Mode `bridge`: the Sparkplug B source feeding the @takt/ingest pipeline into PostgreSQL with the bridge's
// own batching and back-pressure settings (BRIDGE_INGEST_DEFAULTS), each event's publish→commit latency measured
// when the pipeline reports the commit. Mode `bare`: a subscriber that only counts what the broker delivers (the
// physical limit the bridge is compared with).
// Reports over IPC every 10 ms: committed (or received) so far, latency samples, events pending in the pipeline,
// CPU time and RSS.
import { createPrismaClient } from '@takt/db';
import { createIngestPipeline } from '@takt/ingest';
import { refreshRollupsMany } from '@takt/kpi-sql';
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { bridgeIngestLimits } from '../apps/bridge/src/bridge.ts';
import { createSource } from '../apps/bridge/src/sources/source.factory.ts';
import type { ConnectorSink } from '../apps/bridge/src/sources/source.ts';

export type WorkerReport = {
  type: 'stats';
  /** Events committed (bridge) or messages received (bare). */
  count: number;
  /** Messages handed over by the broker so far (the publisher keeps its window on this). */
  received: number;
  /** Latencies (ms) of events committed since the previous report. */
  latenciesMs: number[];
  /** Events received and not yet committed (bridge; 0 for bare), and the most so far. */
  pending: number;
  peakPending: number;
  /** How often the pipeline told the source to stop reading. */
  pauses: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
  atMs: number;
};

const [mode = 'bridge', mqttUrl = 'mqtt://127.0.0.1:1883', groupId = 'bench', databaseUrl = ''] = process.argv.slice(2);
const send = (message: object) => process.send?.(message);
let count = 0;
let received = 0;
let latencies: number[] = [];
let pipelineStats: () => { pending: number; peakPending: number; pauses: number } = () => ({
  pending: 0,
  peakPending: 0,
  pauses: 0,
});

const timer = setInterval(() => {
  const cpu = process.cpuUsage();
  const report: WorkerReport = {
    type: 'stats',
    count,
    received,
    latenciesMs: latencies,
    ...pipelineStats(),
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
    rssBytes: process.memoryUsage().rss,
    atMs: Date.now(),
  };
  latencies = [];
  send(report);
}, 10);

let stop: () => Promise<void>;
if (mode === 'bare') {
  const client = await connectAsync(mqttUrl, {
    clientId: `bench-bare-${process.pid}`,
    clean: true,
    protocolVersion: 4,
  });
  client.on('message', () => {
    count += 1;
    received += 1;
  });
  await client.subscribeAsync(`spBv1.0/${groupId}/#`, { qos: 1 });
  stop = () => client.endAsync();
} else {
  const logger = pino({ level: 'warn' });
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 4 });
  const pipeline = createIngestPipeline({
    prisma,
    logger,
    ...bridgeIngestLimits(),
    offlineAfterMs: null,
    statusIntervalMs: null,
    pruneIntervalMs: null,
    afterBatchCommit: ({ touched, committedAtMs }) => refreshRollupsMany({ prisma, touched, nowMs: committedAtMs }),
  });
  pipelineStats = () => {
    const { pending, peakPending, pauses } = pipeline.stats();
    return { pending, peakPending, pauses };
  };
  const measuring: ConnectorSink = {
    async submit(inputs, source) {
      // One event per DDATA here (one metric per message): events received = messages received.
      received += inputs.length;
      const answer = await pipeline.submit(inputs, source);
      const nowMs = Date.now();
      for (const input of inputs) {
        count += 1;
        latencies.push(nowMs - input.event.tsMs);
      }
      return answer;
    },
    reject: (rejections, source) => pipeline.reject(rejections, source),
    setSourceStatus: (source, status) => pipeline.setSourceStatus(source, status),
    waitForRoom: (extraItems) => pipeline.waitForRoom(extraItems),
  };
  const source = createSource({
    kind: 'MQTT_SPARKPLUG',
    code: 'bench-sparkplug',
    dataSourceId: null,
    mqttUrl,
    groupId,
    hostId: `bench-${process.pid}`,
    clientId: `bench-bridge-${process.pid}`,
    logger,
  });
  source.start(measuring);
  await source.ready;
  stop = async () => {
    await source.stop();
    await pipeline.stop(10_000);
    await prisma.$disconnect();
  };
}

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  void stop().finally(() => process.exit(0));
});
send({ type: 'ready' });
