// Store and forward against a real PostgreSQL behind a TCP proxy the test cuts: events and dead letters keep
// coming while the database is unreachable, none is lost after it returns, and a spool left by a stopped bridge is
// replayed by the next one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TIngestEvent } from '@takt/contracts';
import { createPrismaClient, type PrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { createIngestPipeline } from '@takt/ingest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorSourceInfo } from '../sources/source.ts';
import { startDatabaseProxy, type TcpProxy } from '../testing/tcp-proxy.fixture.ts';
import { createTestPlant, type TestPlant } from '../testing/test-plant.fixture.ts';
import { openEventSpool } from './event-spool.store.ts';
import { createSpoolingSink, type SpooledRecord, type SpoolingSink } from './spooling.sink.ts';

const logger = pino({ level: 'silent' });
const SOURCE: ConnectorSourceInfo = { code: 'spool-test', kind: 'MQTT_SPARKPLUG', dataSourceId: null };
const T0 = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;

describe('store and forward', { timeout: 20_000 }, () => {
  let db: TestDatabase;
  let plant: TestPlant;
  let proxy: TcpProxy;
  let proxied: PrismaClient;
  let dir: string;
  let sequence = 0;

  const countEvent = (): TIngestEvent => {
    sequence += 1;
    return {
      type: 'count',
      machinePath: plant.pathOf('press1'),
      tsMs: T0 + sequence * 100,
      good: 1,
      eventId: `e-${sequence}`,
    };
  };
  const storedGood = async () =>
    (await db.prisma.productionCount.aggregate({ _sum: { goodCount: true } }))._sum.goodCount ?? 0;
  const rejection = (label: string) => ({
    address: `spool/plant1/assembly/line1/press1/${label}`,
    payload: Buffer.from([0xde, 0xad, label.length]),
    reason: `malformed: ${label}`,
    receivedAtMs: T0,
  });
  const deadLetterReasons = async (prefix: string) =>
    (
      await db.prisma.deadLetter.findMany({
        where: { reason: { startsWith: `malformed: ${prefix}` } },
        orderBy: { id: 'asc' },
      })
    ).map((row) => row.reason);

  async function startSink(spoolMaxBytes?: number): Promise<{ sink: SpoolingSink; stop: () => Promise<void> }> {
    const pipeline = createIngestPipeline({
      prisma: proxied,
      logger,
      maxBatchDelayMs: 20,
      maxTransientAttempts: 2,
      retryInitialDelayMs: 50,
      retryMaxDelayMs: 200,
      statusIntervalMs: null,
      pruneIntervalMs: null,
    });
    const spool = await openEventSpool<SpooledRecord>({
      dir,
      segmentMaxBytes: 16 * 1024,
      ...(spoolMaxBytes === undefined ? {} : { maxBytes: spoolMaxBytes }),
    });
    const sink = createSpoolingSink({
      pipeline,
      spool,
      logger,
      appendIntervalMs: 10,
      retryInitialDelayMs: 100,
      retryMaxDelayMs: 300,
    });
    return {
      sink,
      async stop() {
        await sink.stop();
        await pipeline.stop(2_000);
      },
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase('bridge_spool');
    plant = await createTestPlant(db.prisma, { topicPrefix: 'spool', machineCodes: ['press1'] });
    proxy = await startDatabaseProxy(db.url);
    proxied = createPrismaClient(proxy.urlThrough(db.url), { maxConnections: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'takt-spool-int-'));
  });

  afterAll(async () => {
    await proxied?.$disconnect();
    await proxy?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loses no event when PostgreSQL is cut mid-stream and restored', async () => {
    const { sink, stop } = await startSink();
    try {
      for (let i = 0; i < 300; i += 1) {
        if (i === 80) proxy.cut();
        if (i === 240) proxy.restore();
        void sink.submit([{ event: countEvent() }], SOURCE);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await expect.poll(storedGood, { timeout: 15_000, interval: 100 }).toBe(300);
      await sink.drained();
      expect(sink.stats()).toMatchObject({ isSpooling: false, depth: 0, refused: 0 });
      expect(sink.stats().spooled).toBeGreaterThan(0);
      expect(sink.stats().replayed).toBe(sink.stats().spooled);
    } finally {
      await stop();
    }
  });

  it('keeps the dead letters of an outage, in order, and stores each once when PostgreSQL returns', async () => {
    const before = await storedGood();
    const { sink, stop } = await startSink();
    try {
      proxy.cut();
      // Before the sink knows: the pipeline gives these up as "database unavailable" and the sink spools them.
      sink.reject([rejection('outage-1'), rejection('outage-2')], SOURCE);
      void sink.submit([{ event: countEvent() }], SOURCE);
      await expect.poll(() => sink.stats().isSpooling, { timeout: 10_000, interval: 20 }).toBe(true);
      // While spooling: straight to the spool.
      sink.reject([rejection('outage-3')], SOURCE);
      void sink.submit([{ event: countEvent() }], SOURCE);
      sink.reject([rejection('outage-4')], SOURCE);
      await expect.poll(() => sink.stats().spooled, { timeout: 10_000, interval: 20 }).toBe(6);
      expect(await deadLetterReasons('outage')).toEqual([]);

      proxy.restore();
      await expect.poll(storedGood, { timeout: 15_000, interval: 100 }).toBe(before + 2);
      await sink.drained();
      expect(await deadLetterReasons('outage')).toEqual([
        'malformed: outage-1',
        'malformed: outage-2',
        'malformed: outage-3',
        'malformed: outage-4',
      ]);
      expect(sink.stats()).toMatchObject({ isSpooling: false, depth: 0, refused: 0, replayed: 6 });
    } finally {
      await stop();
    }
  });

  it('answers an event PostgreSQL could not take only once it is fsynced to the spool (then it may be acked)', async () => {
    const before = await storedGood();
    const { sink, stop } = await startSink();
    try {
      proxy.cut();
      const answer = await sink.submit([{ event: countEvent() }], SOURCE);
      expect(answer.results).toEqual([expect.objectContaining({ status: 'accepted', reason: 'spooled' })]);
      expect(sink.stats()).toMatchObject({ spooled: 1, depth: 1 });
      proxy.restore();
      await expect.poll(storedGood, { timeout: 10_000, interval: 100 }).toBe(before + 1);
      await sink.drained();
    } finally {
      proxy.restore();
      await stop();
    }
  });

  it('refuses events when the spool is full (answer "spool full") and holds the sources off until there is room', async () => {
    const before = await storedGood();
    const { sink, stop } = await startSink(1_000);
    try {
      proxy.cut();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => sink.submit([{ event: countEvent() }], SOURCE)),
      );
      const reasons = answers.map((answer) => answer.results[0]?.reason);
      expect(reasons).toContain('spool full');
      const spooledCount = reasons.filter((reason) => reason === 'spooled').length;
      const room = sink.waitForRoom?.();
      expect(room).toBeInstanceOf(Promise);
      proxy.restore();
      await room;
      await sink.drained();
      await expect.poll(storedGood, { timeout: 10_000, interval: 100 }).toBe(before + spooledCount);
      expect(sink.stats().refused).toBe(20 - spooledCount);
      // The summary dead letter of what was refused, once the database is back.
      await expect
        .poll(() => db.prisma.deadLetter.count({ where: { address: 'bridge/spool' } }), { timeout: 5_000 })
        .toBe(1);
    } finally {
      proxy.restore();
      await stop();
    }
  });

  it('replays a spool left non-empty by a stopped bridge when the next one starts', async () => {
    const before = await storedGood();
    proxy.cut();
    const first = await startSink();
    for (let i = 0; i < 50; i += 1) void first.sink.submit([{ event: countEvent() }], SOURCE);
    first.sink.reject([rejection('restart')], SOURCE);
    await expect.poll(() => first.sink.stats().spooled, { timeout: 10_000, interval: 50 }).toBe(51);
    await first.stop();
    expect(await storedGood()).toBe(before);

    proxy.restore();
    const second = await startSink();
    try {
      expect(second.sink.stats()).toMatchObject({ isSpooling: true, depth: 51 });
      await expect.poll(storedGood, { timeout: 10_000, interval: 100 }).toBe(before + 50);
      await second.sink.drained();
      expect(second.sink.stats()).toMatchObject({ isSpooling: false, depth: 0, replayed: 51 });
      expect(await deadLetterReasons('restart')).toEqual(['malformed: restart']);
    } finally {
      await second.stop();
    }
  });
});
