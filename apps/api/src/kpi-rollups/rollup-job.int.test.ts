// The rollup job against a real database: it rolls up history at start, recomputes hours a configuration change left
// stale on its next run, survives a failing run (logged, retried), and stops cleanly.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { invalidateRollups, loadRollupCoverage } from '@takt/kpi-sql';
import { buildPlant } from '../test/plant-fixture.ts';
import { startRollupJob } from './rollup-job.ts';

const HOUR_MS = 3_600_000;
const NOW_MS = Date.UTC(2025, 9, 6, 12, 30);
const silent = pino({ level: 'silent' });

let db: TestDatabase;
let machineId: string;

beforeAll(async () => {
  db = await createTestDatabase('kpi_rollup_job');
  const p = db.prisma;
  machineId = (await buildPlant(p, { lines: [{ code: 'l', machines: [{ code: 'm' }] }] })).machineIds.m!;
  // Ten hours of history written by an import: no rollups yet.
  await p.machineStateInterval.createMany({
    data: Array.from({ length: 10 }, (_, k) => ({
      machineId,
      state: k % 3 === 0 ? ('DOWN' as const) : ('PRODUCING' as const),
      startedAt: new Date(NOW_MS - (10 - k) * HOUR_MS),
      endedAt: k === 9 ? null : new Date(NOW_MS - (9 - k) * HOUR_MS),
    })),
  });
});
afterAll(() => db?.drop());

async function coverage() {
  return (await loadRollupCoverage({ prisma: db.prisma, machineIds: [machineId] })).get(machineId);
}

async function waitFor(isDone: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('startRollupJob', () => {
  it('rolls up history at start, then recomputes stale hours on its next run, until it is stopped', async () => {
    const job = startRollupJob({ prisma: db.prisma, logger: silent, intervalMs: 100, nowMs: () => NOW_MS });
    try {
      await waitFor(async () => (await coverage()) !== undefined);
      // Joins the first run if it is still in progress; the run after it finds nothing to do.
      await job.runNow();
      expect(await coverage()).toEqual({ fromMs: NOW_MS - 10.5 * HOUR_MS, toMs: NOW_MS - 0.5 * HOUR_MS, stale: [] });
      expect(await job.runNow()).toEqual({ caughtUpMachineHours: 0, recomputedStaleMachineHours: 0 });

      await db.prisma.$transaction((tx) =>
        invalidateRollups({ prisma: tx, changes: [{ machineIds: [machineId] }], maxSyncMachineHours: 0 }),
      );
      expect((await coverage())?.stale).toHaveLength(1);
      // No call: the timer's next run picks it up.
      await waitFor(async () => (await coverage())?.stale.length === 0);
    } finally {
      await job.stop();
    }
    await db.prisma.$transaction((tx) =>
      invalidateRollups({ prisma: tx, changes: [{ machineIds: [machineId] }], maxSyncMachineHours: 0 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stopped: nothing runs any more.
    expect((await coverage())?.stale).toHaveLength(1);
  });

  it('logs a failed run and retries at the next one; stop waits for the run in progress', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const url = new URL(db.url);
    url.pathname = '/takt_test_no_such_database';
    const prisma = createPrismaClient(url.toString(), { maxConnections: 1 });
    const job = startRollupJob({ prisma, logger, intervalMs: 50 });
    try {
      await waitFor(async () => lines.length >= 2);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'KPI rollup job failed; retrying at the next run' });
      await expect(job.runNow()).rejects.toThrow();
    } finally {
      await job.stop();
      await prisma.$disconnect();
    }
  });
});
