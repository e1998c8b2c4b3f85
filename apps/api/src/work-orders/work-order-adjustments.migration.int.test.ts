// Upgrading a database whose adjustment ledger was the audit log (before migration work_order_adjustments):
// the migration carries the `work-order.adjusted` entries over into work_order_adjustment, so that the orders
// keep their figures, and creates the one-running-order-per-line index.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createPrismaClient, type MigrationPaths, type PrismaClient } from '@takt/db';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import * as repo from './work-order.repository.ts';

const PRISMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../prisma');
const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
const MIGRATION_SUFFIX = '_work_order_adjustments';

let server: TestDatabase; // any database of the test server, to create and drop the one under test
let scratchDir: string;
let url: string;
let prisma: PrismaClient;
let before: MigrationPaths;
let migrationName: string;

beforeAll(async () => {
  server = await createTestDatabase('wo_adjustments_migration_admin');
  const names = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{14}_/.test(name)).sort();
  const found = names.find((name) => name.endsWith(MIGRATION_SUFFIX));
  if (found === undefined) throw new Error(`No migration *${MIGRATION_SUFFIX} in ${MIGRATIONS_DIR}`);
  migrationName = found;
  // The repo's migrations up to (not including) this one, in a directory of their own.
  scratchDir = await mkdtemp(path.join(tmpdir(), 'takt-wo-adjustments-'));
  for (const name of names.filter((n) => n < migrationName)) {
    await cp(path.join(MIGRATIONS_DIR, name), path.join(scratchDir, name), { recursive: true });
  }
  await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(scratchDir, 'migration_lock.toml'));
  before = {
    schemaPath: path.join(PRISMA_DIR, 'schema.prisma'),
    migrationsDir: scratchDir,
    snapshotPath: path.join(scratchDir, 'schema.snapshot.prisma'),
  };
  const target = new URL(server.url);
  target.pathname = `/takt_test_wo_adjustments_upgrade_${randomBytes(4).toString('hex')}`;
  url = target.toString();
  await applyMigrations(url, before);
  prisma = createPrismaClient(url, { maxConnections: 2 });
});

afterAll(async () => {
  await prisma?.$disconnect();
  if (url !== undefined)
    await server.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await server?.drop();
  if (scratchDir !== undefined) await rm(scratchDir, { recursive: true, force: true });
});

describe('migration work_order_adjustments', () => {
  it('carries the audited adjustments over into work_order_adjustment, and the orders keep their figures', async () => {
    const userId = randomUUID();
    const productId = randomUUID();
    const [orderA, orderB, gone] = [randomUUID(), randomUUID(), randomUUID()];
    await prisma.$executeRaw`
      INSERT INTO app_user (id, username, display_name, password_hash, role, updated_at)
      VALUES (${userId}::uuid, 'sam', 'Sam', 'x', 'SUPERVISOR', now())`;
    await prisma.$executeRaw`INSERT INTO product (id, code, name, updated_at) VALUES (${productId}::uuid, 'p', 'P', now())`;
    for (const [id, number] of [
      [orderA, 'WO-A'],
      [orderB, 'WO-B'],
    ] as const) {
      await prisma.$executeRaw`
        INSERT INTO work_order (id, number, product_id, status, target_quantity, updated_at)
        VALUES (${id}::uuid, ${number}, ${productId}::uuid, 'COMPLETED', 100, now())`;
    }
    const entry = (entityId: string, action: string, after: object, at: string, actorId: string | null = userId) =>
      prisma.$executeRaw`
        INSERT INTO audit_log (at, actor_id, actor_label, action, entity_type, entity_id, after)
        VALUES (${at}::timestamptz, ${actorId}::uuid, 'sam', ${action}, 'work-order', ${entityId}, ${JSON.stringify(after)}::jsonb)`;
    await entry(
      orderA,
      'work-order.adjusted',
      { goodDelta: -5, scrapDelta: 5, reason: 'Cracks' },
      '2026-11-20T08:00:00Z',
    );
    await entry(
      orderA,
      'work-order.adjusted',
      { goodDelta: 3, scrapDelta: 0, reason: 'Box' },
      '2026-11-20T09:00:00Z',
      null,
    );
    await entry(orderA, 'work-order.updated', { goodDelta: 1000 }, '2026-11-20T10:00:00Z'); // not an adjustment
    await entry(
      gone,
      'work-order.adjusted',
      { goodDelta: 7, scrapDelta: 0, reason: 'Deleted order' },
      '2026-11-20T11:00:00Z',
    );

    const applied = await applyMigrations(url);
    expect(applied.appliedMigrationNames[0]).toBe(migrationName);

    const rows = await prisma.workOrderAdjustment.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map(({ id: _, ...row }) => row)).toEqual([
      {
        workOrderId: orderA,
        goodDelta: -5,
        scrapDelta: 5,
        reason: 'Cracks',
        actorId: userId,
        at: new Date('2026-11-20T08:00:00Z'),
      },
      {
        workOrderId: orderA,
        goodDelta: 3,
        scrapDelta: 0,
        reason: 'Box',
        actorId: null,
        at: new Date('2026-11-20T09:00:00Z'),
      },
    ]);
    const outputs = await repo.readOutputs(prisma, [orderA, orderB], new Date());
    expect(outputs.get(orderA)?.adjustment).toEqual({ goodCount: -2, scrapCount: 5 });
    expect(outputs.get(orderB)?.adjustment).toEqual({ goodCount: 0, scrapCount: 0 });
    const [index] = await prisma.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE indexname = 'work_order_one_running_per_line'`;
    expect(index?.indexdef).toMatch(/UNIQUE INDEX .* \(line_id\) WHERE/);
  });
});
