// The ingest pipeline against a real PostgreSQL: de-duplication, reordering, counter resets, signal mappings,
// dead letters, and the property that shuffled and duplicated event streams store exactly what the in-order
// stream stores.
import net from 'node:net';
import type { TIngestEvent } from '@takt/contracts';
import { createPrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBatchCommit, IngestPipeline, IngestSourceInfo } from './ingest-event.ts';
import { createIngestPipeline, DATABASE_UNAVAILABLE_REASON } from './ingest.pipeline.ts';
import { createIngestTestPlant, type IngestTestPlant } from './testing/ingest-plant.fixture.ts';

const logger = pino({ level: 'silent' });
const HTTP: IngestSourceInfo = { code: 'test-http', kind: 'HTTP', dataSourceId: null };
// An hour ago on a minute boundary: inside the reorder window, bucketed predictably.
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;

let db: TestDatabase;
let plant: IngestTestPlant;

function newPipeline(): IngestPipeline {
  return createIngestPipeline({
    prisma: db.prisma,
    logger,
    maxBatchDelayMs: 1,
    statusIntervalMs: null,
    pruneIntervalMs: null,
    maxDataErrorAttempts: 1,
  });
}

async function truncate(): Promise<void> {
  await db.prisma.$executeRawUnsafe(
    `TRUNCATE machine_state_interval, production_count, ingest_timeline_event, ingest_event_key, counter_state,
              dead_letter, live_event`,
  );
}

/** What the ingest stored, in a comparable form. */
async function snapshot() {
  const intervals = await db.prisma.machineStateInterval.findMany({
    orderBy: [{ machineId: 'asc' }, { startedAt: 'asc' }],
  });
  const counts = await db.prisma.productionCount.findMany();
  const countsByBucket = new Map<string, { good: number; reject: number }>();
  for (const row of counts) {
    const key = `${row.machineId}|${row.bucketStart.toISOString()}`;
    const entry = countsByBucket.get(key) ?? { good: 0, reject: 0 };
    entry.good += row.goodCount;
    entry.reject += row.rejectCount;
    countsByBucket.set(key, entry);
  }
  return {
    intervals: intervals.map((row) => ({
      machineId: row.machineId,
      state: row.state,
      from: row.startedAt.getTime() - T0,
      to: row.endedAt === null ? null : row.endedAt.getTime() - T0,
      reasonId: row.reasonId,
      productId: row.productId,
      workOrderId: row.workOrderId,
      sourceCode: row.sourceCode,
    })),
    counts: [...countsByBucket].filter(([, v]) => v.good + v.reject > 0).sort(([a], [b]) => a.localeCompare(b)),
    rows: counts
      .map((row) => [
        row.machineId,
        row.bucketStart.getTime() - T0,
        row.productId,
        row.workOrderId,
        row.goodCount,
        row.rejectCount,
      ])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

async function apply(chunks: readonly (readonly TIngestEvent[])[]): Promise<void> {
  const pipeline = newPipeline();
  for (const chunk of chunks) {
    await pipeline.submit(
      chunk.map((event) => ({ event })),
      HTTP,
    );
  }
  await pipeline.stop();
}

beforeAll(async () => {
  db = await createTestDatabase('ingest');
  plant = await createIngestTestPlant(db.prisma, { machineCount: 2 });
});
afterAll(() => db?.drop());
beforeEach(truncate);

describe('ingest pipeline', () => {
  const path = () => plant.pathOf(0);

  it('de-duplicates by eventId, by seq and by content, across batches', async () => {
    const pipeline = newPipeline();
    const count = (extra: object) => ({ type: 'count' as const, machinePath: path(), tsMs: T0, good: 2, ...extra });
    const first = await pipeline.submit(
      [
        { event: count({ eventId: 'a' }) },
        { event: count({ eventId: 'a' }) },
        { event: count({ seq: 7 }) },
        { event: count({}) },
      ],
      HTTP,
    );
    expect(first.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'accepted', 'accepted']);
    const second = await pipeline.submit(
      [
        { event: count({ seq: 7 }) },
        { event: count({}) },
        { event: count({ source: 'other', seq: 7 }) }, // another sender's seq 7 is another event
      ],
      HTTP,
    );
    expect(second.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    await pipeline.stop();
    const rows = await db.prisma.productionCount.findMany();
    expect(rows.map((r) => r.goodCount)).toEqual([8]);
    expect(pipeline.stats().sources['test-http']).toMatchObject({ messages: 7, duplicates: 3 });
  });

  it('runs afterBatchCommit after each commit with the range per machine, before answering; its failure is only logged', async () => {
    const commits: IngestBatchCommit[] = [];
    const storedDuringHook: number[] = [];
    let isFailing = false;
    const pipeline = createIngestPipeline({
      prisma: db.prisma,
      logger,
      maxBatchDelayMs: 1,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      afterBatchCommit: async (commit) => {
        commits.push(commit);
        storedDuringHook.push(await db.prisma.productionCount.count());
        if (isFailing) throw new Error('rollups unavailable');
      },
    });
    const count = (machine: number, tsMs: number) => ({
      event: { type: 'count' as const, machinePath: plant.pathOf(machine), tsMs, good: 1 },
    });
    const first = await pipeline.submit([count(0, T0 + 5_000), count(1, T0 + 70_000), count(0, T0)], HTTP);
    expect(first.accepted).toBe(3);
    expect(commits).toHaveLength(1);
    const [commit] = commits;
    expect(commit?.touched).toEqual([
      { machineId: plant.machineIds[0], fromMs: T0, toMs: commit?.committedAtMs },
      { machineId: plant.machineIds[1], fromMs: T0 + 70_000, toMs: commit?.committedAtMs },
    ]);
    expect(storedDuringHook).toEqual([2]); // committed before the hook runs: machine 0's bucket, machine 1's bucket

    isFailing = true;
    const second = await pipeline.submit([count(0, T0 + 10_000)], HTTP);
    expect(second.results).toEqual([{ index: 0, status: 'accepted' }]);
    await pipeline.stop();
    const rows = await db.prisma.productionCount.findMany({ where: { machineId: plant.machineIds[0] } });
    expect(rows.map((row) => row.goodCount)).toEqual([3]);
  });

  it('applies a late state event where it belongs and re-merges when it is overruled', async () => {
    await apply([
      [
        { type: 'state', machinePath: path(), tsMs: T0, state: 'PRODUCING', productCode: 'P-100' },
        { type: 'state', machinePath: path(), tsMs: T0 + 60_000, state: 'DOWN', reasonCode: plant.reasonCode },
      ],
      [{ type: 'state', machinePath: path(), tsMs: T0 + 20_000, state: 'IDLE' }],
      [{ type: 'product', machinePath: path(), tsMs: T0 + 30_000, productCode: 'P-200' }],
    ]);
    const { intervals } = await snapshot();
    expect(intervals.map((i) => [i.state, i.from, i.to, i.productId])).toEqual([
      ['PRODUCING', 0, 20_000, plant.productIds[0]],
      ['IDLE', 20_000, 30_000, plant.productIds[0]],
      ['IDLE', 30_000, 60_000, plant.productIds[1]],
      ['DOWN', 60_000, null, plant.productIds[1]],
    ]);
    // A late PRODUCING at the IDLE's start replaces it (ties: the later seq wins) and the intervals merge again.
    await apply([[{ type: 'state', machinePath: path(), tsMs: T0 + 20_000, state: 'PRODUCING', seq: 5 }]]);
    const after = await snapshot();
    expect(after.intervals.map((i) => [i.state, i.from, i.to])).toEqual([
      ['PRODUCING', 0, 30_000],
      ['PRODUCING', 30_000, 60_000],
      ['DOWN', 60_000, null],
    ]);
  });

  it('books counts of one minute to the product of their time when the product changes within the minute', async () => {
    const [p1 = '', p2 = ''] = plant.productCodes;
    const count = (tsMs: number, good: number) => ({ type: 'count' as const, machinePath: path(), tsMs, good });
    // One batch: the bucket's counts straddle the interval that starts at 20 s, and one count follows a minute on.
    await apply([
      [
        { type: 'state', machinePath: path(), tsMs: T0, state: 'PRODUCING', productCode: p1 },
        count(T0 + 10_000, 2),
        count(T0 + 15_000, 1),
        { type: 'product', machinePath: path(), tsMs: T0 + 20_000, productCode: p2 },
        count(T0 + 30_000, 3),
        count(T0 + 70_000, 4),
      ],
    ]);
    const { rows } = await snapshot();
    expect(rows.map((r) => [r[1], r[2], r[4]])).toEqual(
      [
        [0, plant.productIds[0], 3],
        [0, plant.productIds[1], 3],
        [60_000, plant.productIds[1], 4],
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  it('turns cumulative counters into deltas, with reset and rollover detection', async () => {
    const counter = (tsMs: number, value: number, counterName: 'good' | 'reject' = 'good') => ({
      type: 'counter' as const,
      machinePath: path(),
      tsMs,
      counter: counterName,
      value,
    });
    await apply([
      [counter(T0, 1_000), counter(T0 + 1_000, 1_010), counter(T0 + 2_000, 3)], // +10, reset: +3
      [counter(T0 + 61_000, 65_530), counter(T0 + 62_000, 4)], // +65527 (from 3), then a 16-bit rollover: +10
      [counter(T0 + 1_500, 1_012)], // late: +2 at 1.5 s; the reset at 2 s still counts 3
      [counter(T0, 5, 'reject'), counter(T0 + 3_000, 6, 'reject')],
    ]);
    const { rows } = await snapshot();
    expect(rows.map((r) => [r[1], r[4], r[5]])).toEqual([
      [0, 15, 1],
      [60_000, 65_537, 0],
    ]);
    const state = await db.prisma.counterState.findMany({ orderBy: { signal: 'asc' } });
    expect(state.map((s) => [s.signal, Number(s.lastValue)])).toEqual([
      ['GOOD_COUNT', 4],
      ['REJECT_COUNT', 6],
    ]);
  });

  it('resolves signal events through the signal mappings of the data source', async () => {
    const opc: IngestSourceInfo = { code: plant.dataSourceCode, kind: 'OPCUA', dataSourceId: plant.dataSourceId };
    const pipeline = newPipeline();
    const signal = (address: string, tsMs: number, value: number | string | boolean) => ({
      event: { type: 'signal' as const, address, tsMs, value },
    });
    const result = await pipeline.submit(
      [
        signal('ns=2;s=M0.State', T0, 1),
        signal('ns=2;s=M0.Product', T0 + 1_000, 'P-200'),
        signal('ns=2;s=M0.Good', T0 + 2_000, 10),
        signal('ns=2;s=M0.Good', T0 + 3_000, 15),
        signal('ns=2;s=M0.State', T0 + 4_000, 2),
        signal('ns=2;s=Unknown', T0, 1),
        signal('ns=2;s=M0.Good', T0 + 5_000, 'many'),
      ],
      opc,
    );
    await pipeline.stop();
    expect(result.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'rejected',
      'rejected',
    ]);
    const { intervals, rows } = await snapshot();
    expect(intervals.map((i) => [i.state, i.from, i.productId])).toEqual([
      ['PRODUCING', 0, null],
      ['PRODUCING', 1_000, plant.productIds[1]],
      ['DOWN', 4_000, plant.productIds[1]],
    ]);
    expect(rows.map((r) => [r[2], r[4]])).toEqual([[plant.productIds[1], 5]]);
    const deadLetters = await db.prisma.deadLetter.findMany({ orderBy: { id: 'asc' } });
    expect(deadLetters.map((d) => [d.sourceKind, d.dataSourceId, d.reason.split(':')[0]])).toEqual([
      ['OPCUA', plant.dataSourceId, 'unknown signal'],
      ['OPCUA', plant.dataSourceId, 'counter value "many" is not an integer ≥ 0'],
    ]);
  });

  it('dead-letters every kind of bad event and keeps going', async () => {
    const pipeline = newPipeline();
    pipeline.reject([{ address: 'a/b', payload: Uint8Array.from([0xff, 0x00]), reason: 'invalid JSON: x' }], HTTP);
    const result = await pipeline.submit(
      [
        { event: null },
        { event: { type: 'nope', tsMs: T0 } },
        { event: { type: 'count', tsMs: T0, good: 1 } }, // no machine
        { event: { type: 'count', machineId: '00000000-0000-4000-8000-000000000000', tsMs: T0, good: 1 } },
        { event: { type: 'count', machinePath: path(), tsMs: 1_000, good: 1 } }, // seconds, not ms
        { event: { type: 'count', machinePath: path(), tsMs: T0 - 2 * 86_400_000, good: 1 } }, // too late
        { event: { type: 'product', machinePath: path(), tsMs: T0, productCode: 'NOPE' } },
        { event: { type: 'work-order', machinePath: path(), tsMs: T0, workOrderNumber: 'WO-404' } },
        { event: { type: 'state', machinePath: path(), tsMs: T0, state: 'DOWN', reasonCode: 'NOPE' } },
        { event: { type: 'count', machinePath: path(), tsMs: T0, good: 1 } },
      ],
      HTTP,
    );
    await pipeline.stop();
    expect(result).toMatchObject({ accepted: 2, rejected: 8, duplicates: 0 });
    const deadLetters = await db.prisma.deadLetter.findMany({ orderBy: { id: 'asc' } });
    expect(deadLetters.map((d) => d.reason.split(':')[0])).toEqual([
      'invalid JSON',
      'schema violation',
      'schema violation',
      'schema violation',
      'unknown machine',
      'schema violation',
      'too late',
      'unknown product code "NOPE"',
      'unknown or closed work order "WO-404"',
      'state applied without its reason',
    ]);
    expect(deadLetters[0]).toMatchObject({ payload: '/wA=', sourceKind: 'HTTP' });
    expect(deadLetters[0]?.reason).toContain('base64');
    expect(pipeline.stats().sources['test-http']?.deadLetters).toBe(10);
  });

  it('puts machines OFFLINE that were never heard from since the start', async () => {
    await db.prisma.machineStateInterval.create({
      data: { machineId: plant.machineIds[1] ?? '', state: 'PRODUCING', startedAt: new Date(T0) },
    });
    const pipeline = createIngestPipeline({
      prisma: db.prisma,
      logger,
      maxBatchDelayMs: 1,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      offlineAfterMs: 200,
    });
    await expect
      .poll(
        async () =>
          (
            await db.prisma.machineStateInterval.findMany({ orderBy: [{ machineId: 'asc' }, { startedAt: 'asc' }] })
          ).map((row) => [row.machineId, row.state, row.sourceCode]),
        { timeout: 5_000, interval: 50 },
      )
      .toEqual(
        expect.arrayContaining([
          [plant.machineIds[0], 'OFFLINE', 'bridge:no-data'],
          [plant.machineIds[1], 'OFFLINE', 'bridge:no-data'],
        ]),
      );
    await pipeline.stop();
  });

  it('gives a batch up as "database unavailable" after maxTransientAttempts connection failures', async () => {
    const unreachable = createPrismaClient('postgresql://postgres@127.0.0.1:1/takt', { maxConnections: 1 });
    const pipeline = createIngestPipeline({
      prisma: unreachable,
      logger,
      maxBatchDelayMs: 1,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      maxTransientAttempts: 2,
      retryInitialDelayMs: 10,
    });
    const result = await pipeline.submit([{ event: { type: 'count', machinePath: path(), tsMs: T0, good: 1 } }], HTTP);
    expect(result.results).toEqual([{ index: 0, status: 'rejected', reason: DATABASE_UNAVAILABLE_REASON }]);
    await pipeline.stop();
    await unreachable.$disconnect();
  });

  it('hands a batch back as "database unavailable" when the server drops every connection (no error code)', async () => {
    // A server that accepts and closes every connection at once: node-postgres reports a bare Error, no code.
    const dropping = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as net.AddressInfo;
    const unreachable = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/takt`, { maxConnections: 1 });
    const pipeline = createIngestPipeline({
      prisma: unreachable,
      logger,
      maxBatchDelayMs: 1,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      maxTransientAttempts: 2,
      maxDataErrorAttempts: 1,
      retryInitialDelayMs: 10,
    });
    const events = [0, 1].map((i) => ({ event: { type: 'count', machinePath: path(), tsMs: T0 + i, good: 1 } }));
    const result = await pipeline.submit(events, HTTP);
    expect(result.results.map((r) => r.reason)).toEqual([DATABASE_UNAVAILABLE_REASON, DATABASE_UNAVAILABLE_REASON]);
    // Retried whole as a connection failure (the probe got no answer either), never split as a refused batch.
    expect(pipeline.stats().failedAttempts).toBe(2);
    await pipeline.stop();
    await unreachable.$disconnect();
    await new Promise((resolve) => dropping.close(resolve));
  });

  it('writes per-source status rows', async () => {
    const pipeline = createIngestPipeline({ prisma: db.prisma, logger, maxBatchDelayMs: 1, pruneIntervalMs: null });
    pipeline.setSourceStatus({ code: 'line-mqtt', kind: 'MQTT_JSON', dataSourceId: null }, { isConnected: true });
    await pipeline.submit([{ event: { type: 'count', machinePath: path(), tsMs: T0, good: 1 } }], {
      code: 'line-mqtt',
      kind: 'MQTT_JSON',
      dataSourceId: null,
    });
    await pipeline.stop();
    const row = await db.prisma.ingestSourceStatus.findUnique({ where: { sourceCode: 'line-mqtt' } });
    expect(row).toMatchObject({ sourceKind: 'MQTT_JSON', isConnected: true, messagesTotal: 1n, spoolDepth: 0 });
    expect(row?.lagMs).toBeGreaterThan(3_000_000);
  });
});

// ---- Property: arrival order and repetition do not matter ---------------------------------------------------

type StreamStep =
  | { kind: 'state'; state: 'PRODUCING' | 'DOWN' | 'IDLE'; hasReason: boolean; product: 0 | 1 | null }
  | { kind: 'product'; product: 0 | 1 }
  | { kind: 'work-order'; isSet: boolean }
  | { kind: 'count'; good: number; reject: number }
  | { kind: 'counter'; value: number };

const stepArbitrary: fc.Arbitrary<StreamStep> = fc.oneof(
  fc.record({
    kind: fc.constant('state' as const),
    state: fc.constantFrom('PRODUCING' as const, 'DOWN' as const, 'IDLE' as const),
    hasReason: fc.boolean(),
    product: fc.constantFrom(0 as const, 1 as const, null),
  }),
  fc.record({ kind: fc.constant('product' as const), product: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ kind: fc.constant('work-order' as const), isSet: fc.boolean() }),
  fc.record({ kind: fc.constant('count' as const), good: fc.nat({ max: 20 }), reject: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('counter' as const), value: fc.nat({ max: 300 }) }),
);

const streamArbitrary = fc.record({
  steps: fc.array(fc.tuple(fc.nat({ max: 1 }), stepArbitrary, fc.integer({ min: 1, max: 40_000 }), fc.boolean()), {
    minLength: 1,
    maxLength: 30,
  }),
  shuffleKeys: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  duplicateMask: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  chunkSize: fc.integer({ min: 1, max: 7 }),
});

function toEvents(steps: readonly [number, StreamStep, number, boolean][]): TIngestEvent[] {
  const tsByMachine = [T0, T0];
  return steps.map(([machine, step, gapMs, hasEventId], index) => {
    // Distinct, increasing times per machine: equal times are the one case where arrival order may matter.
    tsByMachine[machine] = (tsByMachine[machine] ?? T0) + gapMs;
    const common = {
      machinePath: plant.pathOf(machine),
      tsMs: tsByMachine[machine] ?? T0,
      ...(hasEventId ? { eventId: `ev-${index}` } : {}),
    };
    switch (step.kind) {
      case 'state':
        return {
          ...common,
          type: 'state',
          state: step.state,
          ...(step.hasReason ? { reasonCode: plant.reasonCode } : {}),
          ...(step.product === null ? {} : { productCode: plant.productCodes[step.product] }),
        };
      case 'product':
        return { ...common, type: 'product', productCode: plant.productCodes[step.product] ?? null };
      case 'work-order':
        return { ...common, type: 'work-order', workOrderNumber: step.isSet ? plant.workOrderNumber : null };
      case 'count':
        return { ...common, type: 'count', good: step.good, reject: step.reject };
      case 'counter':
        return { ...common, type: 'counter', counter: 'good', value: step.value };
    }
  });
}

const chunked = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe('ingest pipeline ordering property', () => {
  it('stores the same intervals and counts for shuffled and duplicated streams as for the in-order stream', async () => {
    await fc.assert(
      fc.asyncProperty(streamArbitrary, async ({ steps, shuffleKeys, duplicateMask, chunkSize }) => {
        const events = toEvents(steps);
        await truncate();
        await apply(chunked(events, 3));
        const inOrder = await snapshot();

        await truncate();
        const withDuplicates = events.flatMap((event, i) => (duplicateMask[i] ? [event, { ...event }] : [event]));
        const shuffled = withDuplicates
          .map((event, i) => ({ event, key: shuffleKeys[i % shuffleKeys.length] ?? 0, i }))
          .sort((a, b) => a.key - b.key || b.i - a.i)
          .map(({ event }) => event);
        await apply(chunked(shuffled, chunkSize));
        const reordered = await snapshot();

        expect(reordered.intervals).toEqual(inOrder.intervals);
        // Count sums per machine and minute are exact; which product/work order a bucket row names follows the
        // timeline known when the count arrived (a late product change does not move stored counts).
        expect(reordered.counts).toEqual(inOrder.counts);
      }),
      { numRuns: 20 },
    );
  });

  it('stores exactly the same count rows when the stream has no product or work-order changes', async () => {
    await fc.assert(
      fc.asyncProperty(streamArbitrary, async ({ steps, shuffleKeys, duplicateMask, chunkSize }) => {
        const events = toEvents(
          steps.map(([machine, step, gap, hasId]) => [
            machine,
            step.kind === 'product' || step.kind === 'work-order'
              ? { kind: 'count', good: 1, reject: 0 }
              : step.kind === 'state'
                ? { ...step, product: null }
                : step,
            gap,
            hasId,
          ]),
        );
        await truncate();
        await apply(chunked(events, 4));
        const inOrder = await snapshot();
        await truncate();
        const withDuplicates = events.flatMap((event, i) => (duplicateMask[i] ? [{ ...event }, event] : [event]));
        const shuffled = withDuplicates
          .map((event, i) => ({ event, key: shuffleKeys[i % shuffleKeys.length] ?? 0, i }))
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map(({ event }) => event);
        await apply(chunked(shuffled, chunkSize));
        const reordered = await snapshot();
        expect(reordered.intervals).toEqual(inOrder.intervals);
        expect(reordered.rows).toEqual(inOrder.rows);
      }),
      { numRuns: 15 },
    );
  });
});
