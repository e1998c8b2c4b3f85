// `npm run bench -- api`: HTTP throughput of the API on this machine, measured with autocannon
// (50 connections) against the API running in its own process on a fresh PostgreSQL database with a
// 200-machine plant: the plant overview (GET /machines/status) and a KPI route; plus SSE fan-out
// delivery latency to 200 clients. Targets: overview ≥ 2,000 req/s with p99 ≤ 50 ms; SSE p95 ≤ 100 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { hashPassword } from '@takt/auth';
import { MACHINE_STATES } from '@takt/contracts';
import { appendLiveEvents } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { writeBenchResult } from './bench-results.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MACHINES = 200;
const LINES = 20;
const DURATION_SEC = 10;
const CONNECTIONS = 50;
const SSE_CLIENTS = 200;
const SSE_EVENTS_PER_SEC = 1_000;
const SSE_DURATION_SEC = 5;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A 200-machine plant: 20 lines of 10, each machine in some state with an hour of minute counts. */
async function buildPlant(db: TestDatabase): Promise<{ lineId: string; machineIds: string[] }> {
  const { prisma } = db;
  const enterprise = await prisma.enterprise.create({ data: { code: 'bench', name: 'Bench' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'site', name: 'Site', timeZone: 'Europe/Berlin' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'area', name: 'Area' } });
  const nowMs = Date.now();
  let firstLineId = '';
  const machineIds: string[] = [];
  for (let l = 0; l < LINES; l += 1) {
    const line = await prisma.line.create({ data: { areaId: area.id, code: `line${l}`, name: `Line ${l}` } });
    firstLineId ||= line.id;
    const machines = Array.from({ length: MACHINES / LINES }, (_, m) => ({
      id: crypto.randomUUID(),
      lineId: line.id,
      code: `m${m}`,
      path: `site/area/line${l}/m${m}`,
      name: `Machine ${l}.${m}`,
      sequence: m,
    }));
    await prisma.machine.createMany({ data: machines });
    machineIds.push(...machines.map((machine) => machine.id));
    await prisma.machineStateInterval.createMany({
      data: machines.map((machine, i) => ({
        machineId: machine.id,
        state: MACHINE_STATES[(l + i) % MACHINE_STATES.length]!,
        startedAt: new Date(nowMs - (i + 1) * 60_000),
      })),
    });
    await prisma.productionCount.createMany({
      data: machines.flatMap((machine) =>
        Array.from({ length: 60 }, (_, minute) => ({
          machineId: machine.id,
          bucketStart: new Date(nowMs - (minute + 1) * 60_000),
          goodCount: 10,
          rejectCount: minute % 7 === 0 ? 1 : 0,
        })),
      ),
    });
  }
  await prisma.user.create({
    data: {
      username: 'viewer',
      displayName: 'Bench viewer',
      role: 'VIEWER',
      passwordHash: await hashPassword('bench-viewer'),
    },
  });
  return { lineId: firstLineId, machineIds };
}

async function startApi(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('API did not start');
}

async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'viewer', password: 'bench-viewer' }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * SSE fan-out: SSE_CLIENTS streams open on /stream while count events are appended to the outbox at
 * SSE_EVENTS_PER_SEC (10 per transaction every 10 ms, as the bridge's batches would). Each event carries
 * its append time in `bucketStartMs`; a client's delivery latency is its receive time minus that.
 */
async function measureSseFanOut(db: TestDatabase, baseUrl: string, cookie: string, machineIds: string[]) {
  const latenciesMs: number[] = [];
  const controller = new AbortController();
  const streams = await Promise.all(
    Array.from({ length: SSE_CLIENTS }, async () => {
      const res = await fetch(`${baseUrl}/api/v1/stream`, { headers: { cookie }, signal: controller.signal });
      if (!res.ok || res.body === null) throw new Error(`stream answered ${res.status}`);
      return res.body.getReader();
    }),
  );
  const decoder = new TextDecoder();
  const readers = streams.map(async (reader) => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const receivedMs = Date.now();
        // A regex over the chunk, not JSON.parse: the 200 clients share this process with the publisher.
        for (const match of decoder.decode(value, { stream: true }).matchAll(/"bucketStartMs":\s*(\d+)/g)) {
          latenciesMs.push(receivedMs - Number(match[1]));
        }
      }
    } catch {
      // aborted at the end of the run
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perTick = SSE_EVENTS_PER_SEC / 100;
  const ticks = SSE_DURATION_SEC * 100;
  const startedMs = Date.now();
  for (let tick = 0; tick < ticks; tick += 1) {
    const nowMs = Date.now();
    const events = Array.from({ length: perTick }, (_, i) => ({
      type: 'count' as const,
      machineId: machineIds[(tick * perTick + i) % machineIds.length]!,
      payload: {
        machineId: machineIds[(tick * perTick + i) % machineIds.length]!,
        bucketStartMs: nowMs,
        goodDelta: 1,
        rejectDelta: 0,
      },
    }));
    await db.prisma.$transaction((tx) => appendLiveEvents(tx, events));
    const nextMs = startedMs + (tick + 1) * 10;
    const waitMs = nextMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  controller.abort();
  await Promise.all(readers);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    deliveries: sorted.length,
    expectedDeliveries: SSE_CLIENTS * ticks * perTick,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}

type LoadResult = { rps: number; p50Ms: number; p99Ms: number; errors: number; requests: number };

async function load(url: string, cookie: string): Promise<LoadResult> {
  // Warm-up: connection pools, JIT, the overview's snapshot.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: { cookie } });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SEC, headers: { cookie } });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

export type ApiBenchResult = {
  machines: number;
  connections: number;
  durationSec: number;
  overviewRps: number;
  overviewP50Ms: number;
  overviewP99Ms: number;
  overviewErrors: number;
  kpiRoute: string | null;
  kpiRps: number | null;
  kpiP99Ms: number | null;
  sseClients: number;
  sseEventsPerSec: number;
  sseDeliveries: number;
  sseExpectedDeliveries: number;
  sseP50Ms: number;
  sseP95Ms: number;
  sseP99Ms: number;
};

export async function runApiBenchmark(): Promise<ApiBenchResult> {
  const db = await createTestDatabase('bench_api');
  let api: ChildProcess | undefined;
  try {
    const { lineId, machineIds } = await buildPlant(db);
    const port = await freePort();
    api = await startApi(db.url, port);
    const baseUrl = `http://127.0.0.1:${port}`;
    const cookie = await signIn(baseUrl);
    const overview = await load(`${baseUrl}/api/v1/machines/status`, cookie);

    const to = new Date();
    const from = new Date(to.getTime() - 8 * 3_600_000);
    const kpiPath = `/api/v1/kpi/oee?scope=line&id=${lineId}&from=${from.toISOString()}&to=${to.toISOString()}&bucket=hour`;
    const isKpiAvailable = (await fetch(`${baseUrl}${kpiPath}`, { headers: { cookie } })).ok;
    const kpi = isKpiAvailable ? await load(`${baseUrl}${kpiPath}`, cookie) : null;
    const sse = await measureSseFanOut(db, baseUrl, cookie, machineIds);

    return {
      machines: MACHINES,
      connections: CONNECTIONS,
      durationSec: DURATION_SEC,
      overviewRps: overview.rps,
      overviewP50Ms: overview.p50Ms,
      overviewP99Ms: overview.p99Ms,
      overviewErrors: overview.errors,
      kpiRoute: isKpiAvailable ? 'GET /api/v1/kpi/oee (one line, 8 h, hourly series)' : null,
      kpiRps: kpi?.rps ?? null,
      kpiP99Ms: kpi?.p99Ms ?? null,
      sseClients: SSE_CLIENTS,
      sseEventsPerSec: SSE_EVENTS_PER_SEC,
      sseDeliveries: sse.deliveries,
      sseExpectedDeliveries: sse.expectedDeliveries,
      sseP50Ms: sse.p50Ms,
      sseP95Ms: sse.p95Ms,
      sseP99Ms: sse.p99Ms,
    };
  } finally {
    api?.kill('SIGTERM');
    if (api !== undefined) await once(api, 'exit');
    await db.drop();
  }
}

/** Prints the table and writes bench/results/api.json (api.embedded.json with --embedded). */
export async function main(): Promise<void> {
  const result = await runApiBenchmark();
  console.table({
    'GET /machines/status': {
      'req/s': result.overviewRps,
      'p50 ms': result.overviewP50Ms,
      'p99 ms': result.overviewP99Ms,
      target: '≥ 2000 req/s, p99 ≤ 50 ms',
    },
    ...(result.kpiRoute === null ? {} : { [result.kpiRoute]: { 'req/s': result.kpiRps, 'p99 ms': result.kpiP99Ms } }),
    [`SSE ${result.sseEventsPerSec} events/s to ${result.sseClients} clients`]: {
      'p50 ms': result.sseP50Ms,
      'p95 ms': result.sseP95Ms,
      'p99 ms': result.sseP99Ms,
      target: `p95 ≤ 100 ms (${result.sseDeliveries}/${result.sseExpectedDeliveries} delivered)`,
    },
  });
  console.log(`written: ${path.relative(REPO_ROOT, await writeBenchResult('api', result))}`);
}
