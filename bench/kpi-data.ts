// `npm run bench:data`: builds the benchmark database from scratch — 200 machines × 90 days of history (a state change
// every ~2 minutes on average, a count bucket for every producing minute) — with COPY, then builds the hour rollups.
// Minutes, not hours: secondary indexes are dropped for the load and rebuilt after it, and the generator streams CSV
// into two COPY connections (state intervals and counts) so that PostgreSQL works on both at once.
//
// Knobs: BENCH_DATABASE_URL, BENCH_MACHINES (200), BENCH_DAYS (90), BENCH_SEED (1).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { applyMigrations, createPrismaClient, type PrismaClient } from '@takt/db';
import { refreshRollups } from '@takt/kpi-sql';
import {
  AREA_COUNT,
  BENCH_DATABASE_URL,
  BENCH_DAYS,
  BENCH_MACHINES,
  BENCH_SITE_CODE,
  BENCH_TIME_ZONE,
  LINES_PER_AREA,
  MACHINES_PER_LINE,
  patternCodeOfLine,
  PRODUCTS,
  REASON_CATEGORIES,
  THREE_SHIFTS,
  TWO_SHIFTS,
} from './bench-plant.ts';

const MINUTE_MS = 60_000;
const SEED = Number(process.env.BENCH_SEED ?? 1);

// Deterministic pseudo-random numbers (mulberry32): the same seed builds the same plant.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const log = (message: string) => console.log(`[bench:data] ${message}`);
const seconds = (startMs: number) => `${((performance.now() - startMs) / 1000).toFixed(1)} s`;

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL names database "${name}": use [a-z0-9_] only`);
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await applyMigrations(url); // creates the database first
}

type TPlant = {
  machineIds: string[];
  productIds: string[];
  unplannedReasonIds: string[];
  plannedReasonIds: string[];
};

async function createPlant(prisma: PrismaClient): Promise<TPlant> {
  const enterprise = await prisma.enterprise.create({ data: { code: 'bench', name: 'Benchmark Inc.' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: BENCH_SITE_CODE, name: 'Benchmark plant', timeZone: BENCH_TIME_ZONE },
  });
  const patterns = new Map<string, string>();
  for (const [code, shifts] of [
    ['3x8', THREE_SHIFTS],
    ['2x8.5', TWO_SHIFTS],
  ] as const) {
    const pattern = await prisma.shiftPattern.create({
      data: {
        siteId: site.id,
        code,
        name: code,
        shifts: {
          create: shifts.map((s) => ({
            code: s.code,
            name: s.code,
            startMinute: s.startMinute,
            durationMin: s.durationMin,
            weekdays: [...s.weekdays],
            breaks: {
              create: s.breaks.map((b) => ({ name: b.name, offsetMin: b.offsetMin, durationMin: b.durationMin })),
            },
          })),
        },
      },
    });
    patterns.set(code, pattern.id);
  }
  const productIds: string[] = [];
  for (const code of PRODUCTS)
    productIds.push((await prisma.product.create({ data: { code, name: `Product ${code}` } })).id);
  const unplannedReasonIds: string[] = [];
  const plannedReasonIds: string[] = [];
  for (const category of REASON_CATEGORIES) {
    const parent = await prisma.downtimeReason.create({
      data: { code: category.code, name: category.name, kind: category.kind },
    });
    for (const code of category.reasons) {
      const reason = await prisma.downtimeReason.create({
        data: { code, name: code.toLowerCase().replace('_', ' '), kind: category.kind, parentId: parent.id },
      });
      (category.kind === 'PLANNED' ? plannedReasonIds : unplannedReasonIds).push(reason.id);
    }
  }

  const machineIds: string[] = [];
  let lineIndex = 0;
  for (let a = 1; a <= AREA_COUNT && machineIds.length < BENCH_MACHINES; a++) {
    const area = await prisma.area.create({ data: { siteId: site.id, code: `area${a}`, name: `Area ${a}` } });
    for (let l = 1; l <= LINES_PER_AREA && machineIds.length < BENCH_MACHINES; l++, lineIndex++) {
      const line = await prisma.line.create({
        data: {
          areaId: area.id,
          code: `line${l}`,
          name: `Line ${a}.${l}`,
          shiftPatternId: patterns.get(patternCodeOfLine(lineIndex)) ?? null,
        },
      });
      // Ideal cycle times per line (20 to 60 s); the last product has none (performance leaves it out).
      await prisma.idealCycleTime.createMany({
        data: productIds
          .slice(0, -1)
          .map((productId, k) => ({ lineId: line.id, productId, idealCycleTimeSec: 20 + ((k * 7 + lineIndex) % 41) })),
      });
      for (let m = 1; m <= MACHINES_PER_LINE && machineIds.length < BENCH_MACHINES; m++) {
        const machine = await prisma.machine.create({
          data: {
            lineId: line.id,
            code: `m${m}`,
            path: `${BENCH_SITE_CODE}/area${a}/line${l}/m${m}`,
            name: `M${a}.${l}.${m}`,
            sequence: m,
          },
        });
        machineIds.push(machine.id);
      }
    }
  }
  return { machineIds, productIds, unplannedReasonIds, plannedReasonIds };
}

// State mix of a plant with an OEE around 55–65 %; PRODUCING spells are longer than stops.
const STATE_WEIGHTS = [
  ['PRODUCING', 0.5],
  ['IDLE', 0.16],
  ['DOWN', 0.1],
  ['CHANGEOVER', 0.05],
  ['PLANNED_STOP', 0.07],
  ['NO_ORDER', 0.05],
  ['OFFLINE', 0.07],
] as const;

/** Streams one machine's history as CSV lines into the two COPY streams; returns the rows written. */
function* machineHistory(
  plant: TPlant,
  machineId: string,
  fromMs: number,
  toMs: number,
  next: () => number,
): Generator<{ interval?: string; count?: string }> {
  let productId = plant.productIds[Math.floor(next() * plant.productIds.length)] as string;
  let startMs = fromMs;
  let previous = '';
  while (startMs < toMs) {
    let pick = next();
    let state: string = STATE_WEIGHTS[0][0];
    for (const [s, weight] of STATE_WEIGHTS) {
      if (pick < weight) {
        state = s;
        break;
      }
      pick -= weight;
    }
    if (state === previous) state = state === 'PRODUCING' ? 'IDLE' : 'PRODUCING';
    previous = state;
    // Exponential durations around 2 minutes on average (PRODUCING twice as long as a stop), at least 5 s.
    const meanMs = state === 'PRODUCING' ? 160_000 : 80_000;
    const durationMs = Math.max(5_000, Math.round(-Math.log(1 - next()) * meanMs));
    const endMs = Math.min(startMs + durationMs, toMs);
    if (state === 'CHANGEOVER') productId = plant.productIds[Math.floor(next() * plant.productIds.length)] as string;
    let reasonId = '';
    if ((state === 'DOWN' || state === 'IDLE') && next() < 0.7) {
      reasonId = plant.unplannedReasonIds[Math.floor(next() * plant.unplannedReasonIds.length)] as string;
    } else if (state === 'PLANNED_STOP') {
      reasonId = plant.plannedReasonIds[Math.floor(next() * plant.plannedReasonIds.length)] as string;
    }
    const isLast = endMs >= toMs;
    yield {
      interval: `${machineId},${state},${new Date(startMs).toISOString()},${isLast ? '' : new Date(endMs).toISOString()},${reasonId},${productId}\n`,
    };
    if (state === 'PRODUCING') {
      for (let minuteMs = Math.ceil(startMs / MINUTE_MS) * MINUTE_MS; minuteMs < endMs; minuteMs += MINUTE_MS) {
        const good = 1 + Math.floor(next() * 3);
        const reject = next() < 0.05 ? 1 : 0;
        yield { count: `${machineId},${new Date(minuteMs).toISOString()},60,${productId},${good},${reject}\n` };
      }
    }
    startMs = endMs;
  }
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function copyHistory(
  plant: TPlant,
  fromMs: number,
  toMs: number,
): Promise<{ intervals: number; counts: number }> {
  const intervalClient = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  const countClient = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await Promise.all([intervalClient.connect(), countClient.connect()]);
  try {
    const intervalStream = intervalClient.query(
      copyFrom(
        'COPY machine_state_interval (machine_id, state, started_at, ended_at, reason_id, product_id) FROM STDIN WITH (FORMAT csv)',
      ),
    );
    const countStream = countClient.query(
      copyFrom(
        'COPY production_count (machine_id, bucket_start, bucket_sec, product_id, good_count, reject_count) FROM STDIN WITH (FORMAT csv)',
      ),
    );
    const next = random(SEED);
    let intervals = 0;
    let counts = 0;
    // CSV lines are gathered into ~256 kB chunks: one write per line would spend the time in stream plumbing.
    let intervalChunk = '';
    let countChunk = '';
    for (const [index, machineId] of plant.machineIds.entries()) {
      for (const row of machineHistory(plant, machineId, fromMs, toMs, next)) {
        if (row.interval !== undefined) {
          intervalChunk += row.interval;
          intervals++;
          if (intervalChunk.length > 262_144) {
            await write(intervalStream, intervalChunk);
            intervalChunk = '';
          }
        }
        if (row.count !== undefined) {
          countChunk += row.count;
          counts++;
          if (countChunk.length > 262_144) {
            await write(countStream, countChunk);
            countChunk = '';
          }
        }
      }
      if ((index + 1) % 25 === 0) log(`  ${index + 1}/${plant.machineIds.length} machines streamed`);
    }
    await write(intervalStream, intervalChunk);
    await write(countStream, countChunk);
    intervalStream.end();
    countStream.end();
    await Promise.all([once(intervalStream, 'finish'), once(countStream, 'finish')]);
    return { intervals, counts };
  } finally {
    await Promise.all([intervalClient.end(), countClient.end()]);
  }
}

// Secondary indexes of the bulk-loaded tables, as PostgreSQL defines them: dropped for the load, rebuilt after.
async function dropSecondaryIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(`
    SELECT i.indexname AS name, i.indexdef AS definition
    FROM pg_indexes i
    WHERE i.tablename IN ('machine_state_interval', 'production_count') AND i.indexname NOT LIKE '%_pkey'`);
  for (const row of rows) await client.query(`DROP INDEX "${row.name}"`);
  return rows.map((r) => r.definition);
}

async function main(): Promise<void> {
  const startedMs = performance.now();
  const endMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const fromMs = endMs - BENCH_DAYS * 86_400_000;
  log(`${BENCH_MACHINES} machines × ${BENCH_DAYS} days into ${BENCH_DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}`);
  await recreateDatabase(BENCH_DATABASE_URL);
  const prisma = createPrismaClient(BENCH_DATABASE_URL, { maxConnections: 2 });
  try {
    const plant = await createPlant(prisma);
    log(`plant created: ${plant.machineIds.length} machines (${seconds(startedMs)})`);

    const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
    await admin.connect();
    let loadedMs = performance.now();
    try {
      const indexDefinitions = await dropSecondaryIndexes(admin);
      const copyStartedMs = performance.now();
      const rows = await copyHistory(plant, fromMs, endMs);
      log(`COPY: ${rows.intervals} state intervals, ${rows.counts} count buckets in ${seconds(copyStartedMs)}`);
      const indexStartedMs = performance.now();
      await admin.query(`SET maintenance_work_mem = '512MB'`);
      for (const definition of indexDefinitions) await admin.query(definition);
      await admin.query('ANALYZE');
      log(`indexes rebuilt and statistics gathered in ${seconds(indexStartedMs)}`);
      loadedMs = performance.now();
    } finally {
      await admin.end();
    }

    // Rollups of every complete hour: the same refreshRollups the ingest calls, here once per machine for its history.
    const rollupStartedMs = performance.now();
    let hours = 0;
    const queue = [...plant.machineIds];
    const worker = async () => {
      for (let machineId = queue.shift(); machineId !== undefined; machineId = queue.shift()) {
        const written = await refreshRollups({ prisma, machineId, fromMs, toMs: fromMs + 1, nowMs: endMs });
        hours += written;
      }
    };
    await Promise.all([worker(), worker()]);
    await prisma.$executeRawUnsafe('ANALYZE kpi_rollup_hour, kpi_downtime_hour, kpi_rollup_coverage');
    log(`rollups: ${hours} machine-hours in ${seconds(rollupStartedMs)}`);
    log(
      `done in ${seconds(startedMs)} (load ${((loadedMs - startedMs) / 1000).toFixed(1)} s); data ends ${new Date(endMs).toISOString()}`,
    );
  } finally {
    await prisma.$disconnect();
  }
}

await main();
