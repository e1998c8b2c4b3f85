// Applying and creating migrations with the WASM schema engine, in Prisma's standard layout
// (prisma/migrations/<timestamp>_<name>/migration.sql + migration_lock.toml), so that
// `prisma migrate deploy` keeps working for users whose network can fetch the native engine.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiffTarget, MigrationDirectory, SchemaFilter } from '@prisma/schema-engine-wasm';
import { startScratchPostgres } from './embedded-postgres.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH, SCHEMA_SNAPSHOT_PATH, SQL_FUNCTION_DIRS } from './paths.ts';
import { openSchemaEngine } from './schema-engine.ts';
import { ensureDatabaseExists } from './ensure-database.ts';
import {
  functionDrift,
  functionMigrationSql,
  liveFunctions,
  readFunctionFiles,
  type TFunctionDrift,
  type TMigrationSql,
} from './sql-functions.ts';

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';
const LOCKFILE_CONTENT = '# Written by Takt (npm run db:migration). Do not edit.\nprovider = "postgresql"\n';

async function readMigrationSqls(migrationsDir: string): Promise<TMigrationSql[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') })),
  );
}

async function readMigrationDirectories(migrationsDir: string): Promise<MigrationDirectory[]> {
  return (await readMigrationSqls(migrationsDir)).map(({ name, sql }) => ({
    path: name,
    migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: sql } },
  }));
}

/**
 * Where a schema, its migrations and the SQL function files live (`functionDirs`: none when left out); the defaults
 * are the repo's prisma/ folder and SQL_FUNCTION_DIRS.
 */
export type MigrationPaths = {
  schemaPath: string;
  migrationsDir: string;
  snapshotPath: string;
  functionDirs?: readonly string[];
};

export const DEFAULT_MIGRATION_PATHS: MigrationPaths = {
  schemaPath: SCHEMA_PATH,
  migrationsDir: MIGRATIONS_DIR,
  snapshotPath: SCHEMA_SNAPSHOT_PATH,
  functionDirs: SQL_FUNCTION_DIRS,
};

export type ApplyMigrationsResult = { appliedMigrationNames: string[] };

/**
 * Applies the pending migrations to the database, recording them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does. Running it again applies nothing.
 */
export async function applyMigrations(
  databaseUrl: string,
  paths: MigrationPaths = DEFAULT_MIGRATION_PATHS,
): Promise<ApplyMigrationsResult> {
  const { migrationsDir } = paths;
  await ensureDatabaseExists(databaseUrl);
  const schemaText = await readFile(paths.schemaPath, 'utf8');
  const { engine, close } = await openSchemaEngine(databaseUrl, schemaText);
  try {
    const lockfileContent = await readFile(path.join(migrationsDir, LOCKFILE), 'utf8').catch(() => null);
    const result = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: LOCKFILE, content: lockfileContent },
        shadowDbInitScript: '',
        migrationDirectories: await readMigrationDirectories(migrationsDir),
      },
      filters: NO_FILTERS,
    });
    return { appliedMigrationNames: result.appliedMigrationNames };
  } finally {
    await close();
  }
}

function datamodel(content: string): DiffTarget {
  return { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] };
}

/** The SQL that turns a database of schema `from` (null: an empty database) into schema `to`; '' when equal. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  // The engine connects to a database even to diff two texts; a throwaway embedded server serves.
  const scratch = await startScratchPostgres();
  const { engine, close } = await openSchemaEngine(scratch.url, to);
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // exitCode 2: the schemas differ; 0: they are the same (the script is then only a comment).
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await close();
    await scratch.stop();
  }
}

/** The schema the newest migration was made from, or null before the first migration. */
export async function readSchemaSnapshot(paths: MigrationPaths = DEFAULT_MIGRATION_PATHS): Promise<string | null> {
  return readFile(paths.snapshotPath, 'utf8').catch(() => null);
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

export type CreateMigrationResult = { created: false } | { created: true; directory: string; sql: string };

/** Every SQL function whose file and newest definition in the migrations differ (see sql-functions.ts). */
export async function readFunctionDrift(paths: MigrationPaths = DEFAULT_MIGRATION_PATHS): Promise<TFunctionDrift[]> {
  const live = liveFunctions(await readMigrationSqls(paths.migrationsDir));
  return functionDrift(await readFunctionFiles(paths.functionDirs ?? []), live);
}

/**
 * Writes the next migration: the diff from the schema snapshot of the newest migration to
 * `schema.prisma`, then the `CREATE OR REPLACE` of every SQL function whose file changed (see
 * sql-functions.ts), and moves the snapshot forward. Writes nothing when there is neither.
 */
export async function createMigration(
  name: string,
  options: { now?: Date; paths?: MigrationPaths } = {},
): Promise<CreateMigrationResult> {
  const paths = options.paths ?? DEFAULT_MIGRATION_PATHS;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Migration name "${name}" must be snake_case (a-z, 0-9, _).`);
  const schemaText = await readFile(paths.schemaPath, 'utf8');
  const schemaSql = await diffSchemas(await readSchemaSnapshot(paths), schemaText);
  const functionSql = functionMigrationSql(await readFunctionDrift(paths));
  if (schemaSql === '' && functionSql === '') return { created: false };
  const sql = [schemaSql, functionSql].filter((part) => part !== '').join('\n');
  const directory = path.join(paths.migrationsDir, `${timestamp(options.now ?? new Date())}_${name}`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, 'migration.sql'), sql);
  await writeFile(path.join(paths.migrationsDir, LOCKFILE), LOCKFILE_CONTENT);
  await copyFile(paths.schemaPath, paths.snapshotPath);
  return { created: true, directory, sql };
}
