// Test databases for *.int.test.ts: each test file gets its own fresh, migrated database on the
// PostgreSQL server named by TEST_DATABASE_URL (default: this machine's 127.0.0.1:5432; `npm test`
// starts an embedded server when that one does not answer).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadTestServersEnv } from '@takt/runtime/testing';
import { createPrismaClient, type PrismaClient } from './client.ts';
import { applyMigrations } from './migrations.ts';

export type TestDatabase = {
  url: string;
  name: string;
  prisma: PrismaClient;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
};

function serverUrl(): string {
  return loadTestServersEnv().TEST_DATABASE_URL;
}

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/** Creates a migrated database named `takt_test_<label>_<random>` and a client for it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `takt_test_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(serverUrl(), name);
  await applyMigrations(url); // creates the database first
  const prisma = createPrismaClient(url, { maxConnections: 4 });
  return {
    url,
    name,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
