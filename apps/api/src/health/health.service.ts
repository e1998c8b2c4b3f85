// Health of the API and the two peers it depends on.
import type { PrismaClient } from '@takt/db';
import type { TDependencyStatus, THealthResponse } from '@takt/contracts';
import { pingDatabase } from './health.repository.ts';

const DATABASE_TIMEOUT_MS = 2_000;

export type HealthOptions = {
  prisma: PrismaClient;
  isBrokerConnected(): boolean;
  databaseMode: 'embedded' | 'external';
  brokerMode: 'embedded' | 'external';
  version: string;
  startedAtMs: number;
};

async function checkDatabase(prisma: PrismaClient, mode: TDependencyStatus['mode']): Promise<TDependencyStatus> {
  const startedMs = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
    });
    await Promise.race([pingDatabase(prisma), timeout]);
    return { status: 'up', mode, latencyMs: Math.round((performance.now() - startedMs) * 10) / 10 };
  } catch (error) {
    return { status: 'down', mode, detail: error instanceof Error ? error.message.split('\n')[0] : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

export async function getHealth(options: HealthOptions): Promise<THealthResponse> {
  const database = await checkDatabase(options.prisma, options.databaseMode);
  const broker: TDependencyStatus = options.isBrokerConnected()
    ? { status: 'up', mode: options.brokerMode }
    : { status: 'down', mode: options.brokerMode, detail: 'not connected' };
  return {
    status: database.status === 'up' && broker.status === 'up' ? 'ok' : 'degraded',
    version: options.version,
    uptimeSec: Math.round((Date.now() - options.startedAtMs) / 1000),
    database,
    broker,
  };
}
