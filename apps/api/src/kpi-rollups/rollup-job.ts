// The API process's KPI rollup job. Ingest keeps the rollups of machines that send data current; this job does
// the rest, at start and then every `intervalMs`: it rolls up the hours completed since each machine's coverage
// ended (a silent machine, history written by an import or the seed) and recomputes the hours a configuration
// change marked stale (invalidateRollups of @takt/kpi-sql), newest first, in short transactions until none is
// left. Several API processes may run it at once: the machines' rollup locks serialise them.
import type { Logger } from 'pino';
import type { PrismaClient } from '@takt/db';
import { catchUpRollups, refreshStaleRollups } from '@takt/kpi-sql';

/** Often enough that a rebuild after a configuration change starts within seconds; an idle run is two queries. */
export const ROLLUP_JOB_INTERVAL_MS = 15_000;

export type RollupJobOptions = {
  prisma: PrismaClient;
  logger: Logger;
  intervalMs?: number;
  /** The present, for catching up (tests); default the clock. */
  nowMs?: () => number;
};

export type RollupJobRun = { caughtUpMachineHours: number; recomputedStaleMachineHours: number };

export type RollupJob = {
  /** Runs the job now (or joins the run in progress); resolves when it is done. */
  runNow(): Promise<RollupJobRun>;
  /** Stops the timer and waits for a run in progress to finish its current transaction. */
  stop(): Promise<void>;
};

/** Starts the job: a first run at once, then one every `intervalMs` (the timer never keeps the process alive). */
export function startRollupJob(options: RollupJobOptions): RollupJob {
  const { prisma, logger } = options;
  const intervalMs = options.intervalMs ?? ROLLUP_JOB_INTERVAL_MS;
  let isStopping = false;
  let current: Promise<RollupJobRun> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const run = async (): Promise<RollupJobRun> => {
    const startedMs = performance.now();
    const caughtUpMachineHours = await catchUpRollups({ prisma, nowMs: options.nowMs?.() });
    let recomputedStaleMachineHours = 0;
    // Each step is one short transaction; stopping waits for the step in progress only.
    while (!isStopping) {
      const step = await refreshStaleRollups({ prisma });
      recomputedStaleMachineHours += step.machineHours;
      if (step.isDone) break;
    }
    if (caughtUpMachineHours + recomputedStaleMachineHours > 0) {
      logger.info(
        { caughtUpMachineHours, recomputedStaleMachineHours, durationMs: Math.round(performance.now() - startedMs) },
        'KPI rollups brought up to date',
      );
    }
    return { caughtUpMachineHours, recomputedStaleMachineHours };
  };

  const runNow = (): Promise<RollupJobRun> => {
    current ??= run().finally(() => {
      current = null;
    });
    return current;
  };

  const schedule = (delayMs: number) => {
    if (isStopping) return;
    timer = setTimeout(() => {
      runNow()
        .catch((error: unknown) => logger.warn({ err: error }, 'KPI rollup job failed; retrying at the next run'))
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    runNow,
    async stop() {
      isStopping = true;
      if (timer !== null) clearTimeout(timer);
      await current?.catch(() => {});
    },
  };
}
