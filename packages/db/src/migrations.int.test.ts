// Migrations with the WASM schema engine: the repo's migrations match schema.prisma, apply
// idempotently, rebuild a dropped database, and new migrations are diffs of schema texts.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTestServersEnv } from '@takt/runtime/testing';
import {
  applyMigrations,
  createMigration,
  DEFAULT_MIGRATION_PATHS,
  diffSchemas,
  readSchemaSnapshot,
  type MigrationPaths,
} from './migrations.ts';
import { SCHEMA_PATH } from './paths.ts';

const SERVER_URL = loadTestServersEnv().TEST_DATABASE_URL;
const created: string[] = [];

function databaseUrl(name: string): string {
  created.push(name);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await query(SERVER_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('the repo migrations', () => {
  it('hold every change of prisma/schema.prisma (else: npm run db:migration -- <name>)', async () => {
    const snapshot = await readSchemaSnapshot();
    expect(snapshot, 'prisma/migrations/schema.snapshot.prisma is missing').not.toBeNull();
    const pending = await diffSchemas(snapshot, await readFile(SCHEMA_PATH, 'utf8'));
    expect(pending, 'schema.prisma has changes that no migration holds: run `npm run db:migration -- <name>`').toBe('');
  });

  it('apply once, then apply nothing; a dropped database is rebuilt from nothing', async () => {
    const url = databaseUrl(`takt_test_migrate_${Date.now()}`);
    const migrationNames = (await readdir(DEFAULT_MIGRATION_PATHS.migrationsDir))
      .filter((n) => /^\d{14}_/.test(n))
      .sort();

    const first = await applyMigrations(url); // the database does not exist yet: it is created
    expect(first.appliedMigrationNames).toEqual(migrationNames);
    expect((await applyMigrations(url)).appliedMigrationNames).toEqual([]);

    const history = await query<{ migration_name: string; finished_at: Date | null }>(
      url,
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(history.map((h) => h.migration_name)).toEqual(migrationNames);
    expect(history.every((h) => h.finished_at !== null)).toBe(true);

    await query(SERVER_URL, `DROP DATABASE "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    expect((await applyMigrations(url)).appliedMigrationNames).toEqual(migrationNames);
    const tables = await query<{ count: string }>(
      url,
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('machine', 'machine_state_interval', 'audit_log')",
    );
    expect(Number(tables[0]?.count)).toBe(3);
  });

  it('create the hand-written constraints: one open interval per machine, append-only audit log', async () => {
    const url = databaseUrl(`takt_test_constraints_${Date.now()}`);
    await applyMigrations(url);
    await expect(
      query(url, "INSERT INTO audit_log (actor_label, action, entity_type) VALUES ('system', 'x', 'y')"),
    ).resolves.toBeDefined();
    await expect(query(url, 'UPDATE audit_log SET action = $$changed$$')).rejects.toThrow(/append-only/);
    await expect(query(url, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    const indexes = await query<{ indexname: string }>(
      url,
      "SELECT indexname FROM pg_indexes WHERE tablename = 'machine_state_interval'",
    );
    expect(indexes.map((i) => i.indexname)).toContain('machine_state_interval_one_open_per_machine');
  });
});

describe('createMigration', () => {
  const base = `generator client {\n  provider = "prisma-client"\n  output = "./generated"\n}\ndatasource db {\n  provider = "postgresql"\n}\n`;

  async function scratchPaths(): Promise<MigrationPaths> {
    const dir = await mkdtemp(path.join(tmpdir(), 'takt-migrations-'));
    await mkdir(path.join(dir, 'migrations'));
    return {
      schemaPath: path.join(dir, 'schema.prisma'),
      migrationsDir: path.join(dir, 'migrations'),
      snapshotPath: path.join(dir, 'migrations', 'schema.snapshot.prisma'),
    };
  }

  it('writes the diff from the previous schema, nothing when unchanged, and the result applies', async () => {
    const paths = await scratchPaths();
    await writeFile(paths.schemaPath, `${base}model Widget {\n  id Int @id\n}\n`);
    const first = await createMigration('widgets', { paths, now: new Date('2026-01-01T00:00:00Z') });
    expect(first.created && first.sql).toMatch(/CREATE TABLE "Widget"/);
    expect(await createMigration('again', { paths })).toEqual({ created: false });

    await writeFile(paths.schemaPath, `${base}model Widget {\n  id Int @id\n  name String?\n}\n`);
    const second = await createMigration('widget_name', { paths, now: new Date('2026-01-02T00:00:00Z') });
    expect(second.created && second.sql).toMatch(/ALTER TABLE "Widget" ADD COLUMN\s+"name" TEXT/);
    expect(second.created && second.sql).not.toMatch(/CREATE TABLE/);

    const names = (await readdir(paths.migrationsDir)).sort();
    expect(names).toEqual([
      '20260101000000_widgets',
      '20260102000000_widget_name',
      'migration_lock.toml',
      'schema.snapshot.prisma',
    ]);
    const url = databaseUrl(`takt_test_create_${Date.now()}`);
    expect((await applyMigrations(url, paths)).appliedMigrationNames).toEqual([
      '20260101000000_widgets',
      '20260102000000_widget_name',
    ]);
    const columns = await query<{ column_name: string }>(
      url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'Widget' ORDER BY column_name",
    );
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'name']);
  });

  it('appends the SQL functions whose files changed, also to a migration without schema change', async () => {
    const scratch = await scratchPaths();
    const sqlDir = path.join(path.dirname(scratch.schemaPath), 'sql');
    await mkdir(sqlDir);
    const paths: MigrationPaths = { ...scratch, functionDirs: [sqlDir] };
    const writeFunction = (name: string, body: string) =>
      writeFile(
        path.join(sqlDir, `${name}.sql`),
        `-- ${name}: a test.\nCREATE OR REPLACE FUNCTION ${name}() ${body};\n`,
      );
    await writeFile(paths.schemaPath, `${base}model Widget {\n  id Int @id\n}\n`);
    // widget_count calls widget_base: the SQL-language body is checked when created, so widget_base comes first.
    await writeFunction(
      'widget_count',
      'RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM "Widget") + widget_base()',
    );
    await writeFunction('widget_base', 'RETURNS bigint LANGUAGE sql RETURN 100');
    const first = await createMigration('widgets', { paths, now: new Date('2026-01-01T00:00:00Z') });
    expect(first.created && first.sql).toMatch(/CREATE TABLE "Widget"[\s\S]*widget_base\.sql[\s\S]*widget_count\.sql/);
    expect(await createMigration('again', { paths })).toEqual({ created: false });

    await writeFunction('widget_base', 'RETURNS bigint LANGUAGE sql RETURN 200');
    const second = await createMigration('widget_base_200', { paths, now: new Date('2026-01-02T00:00:00Z') });
    // Only the changed function: no schema SQL, no widget_count.
    expect(second.created && second.sql).toMatch(
      /^-- \S+\/sql\/widget_base\.sql\n-- widget_base: a test\.\nCREATE OR REPLACE FUNCTION widget_base\(\) RETURNS bigint LANGUAGE sql RETURN 200;\n$/,
    );

    const url = databaseUrl(`takt_test_functions_${Date.now()}`);
    await applyMigrations(url, paths);
    expect(await query<{ n: string }>(url, 'SELECT widget_count() AS n')).toEqual([{ n: '200' }]);
  });

  it('rejects a name that is not snake_case', async () => {
    await expect(createMigration('Bad Name', { paths: await scratchPaths() })).rejects.toThrow(/snake_case/);
  });
});
