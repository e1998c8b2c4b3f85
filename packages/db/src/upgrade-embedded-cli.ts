// `npm run db:upgrade-embedded`: copies the PGlite database of an earlier Takt version
// (<TAKT_DATA_DIR>/pg) into the embedded PostgreSQL (<TAKT_DATA_DIR>/postgres). PGlite is no longer a
// dependency, so the script installs it and its pg_dump with npm into a temporary folder, dumps the
// database as SQL there (in a child process), restores the dump into a new embedded server in one
// transaction, compares the row count of every table, and keeps the PGlite files as
// <TAKT_DATA_DIR>/pg-pglite-backup. On any failure the data directory is put back as it was.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clusterPaths } from './embedded-postgres-cluster.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { ensureDatabaseExists } from './ensure-database.ts';
import { loadDatabaseEnv } from './env.ts';
import { applyMigrations } from './migrations.ts';
import { EMBEDDED_DATABASE_NAME } from './resolve-database.ts';

/** The PGlite that wrote the data (Takt's last PGlite version) and the newest pg_dump built for it. */
const PGLITE_PACKAGES = ['@electric-sql/pglite@0.5.14', '@electric-sql/pglite-tools@0.4.8'];

type TableCounts = Record<string, number>;

// Runs with the temporary folder as working directory, where the two packages are installed.
// `--inserts`: the restore sends the dump as one query, which cannot feed COPY … FROM stdin blocks.
const DUMP_SCRIPT = `
import { writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
const [dataDir, dumpFile] = process.argv.slice(1);
const db = await PGlite.create({ dataDir });
const dump = await pgDump({ pg: db, args: ['--no-owner', '--no-privileges', '--inserts', '--rows-per-insert=1000'] });
await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
const { rows } = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
const counts = {};
for (const { table_name } of rows) {
  counts[table_name] = Number((await db.query('SELECT count(*) AS n FROM public."' + table_name + '"')).rows[0].n);
}
await db.close();
console.log(JSON.stringify(counts));
`;

const say = (line: string): void => console.log(line);

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Runs a command; resolves with its stdout, rejects with its stderr when it fails. */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args[0]} failed (exit code ${code}): ${stderr.trim().slice(-2000)}`);
  return stdout;
}

async function dumpPglite(pgliteDir: string, workDir: string): Promise<{ sql: string; counts: TableCounts }> {
  say(`Installing ${PGLITE_PACKAGES.join(' and ')} into ${workDir} (npm)…`);
  await run(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--legacy-peer-deps', ...PGLITE_PACKAGES],
    workDir,
  );
  say(`Dumping the PGlite database in ${pgliteDir}…`);
  const dumpFile = path.join(workDir, 'takt.sql');
  const output = await run(process.execPath, ['--input-type=module', '-e', DUMP_SCRIPT, pgliteDir, dumpFile], workDir);
  return { sql: await readFile(dumpFile, 'utf8'), counts: JSON.parse(output.trim().split('\n').at(-1) ?? '{}') };
}

async function countRows(url: string, tables: string[]): Promise<TableCounts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: TableCounts = {};
    for (const table of tables) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM public."${table.replaceAll('"', '""')}"`,
      );
      counts[table] = Number(rows[0]?.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function restore(dataDir: string, sql: string, expected: TableCounts): Promise<void> {
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    const url = server.urlFor(EMBEDDED_DATABASE_NAME);
    await ensureDatabaseExists(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // One simple query: PostgreSQL runs the whole dump as one transaction, all or nothing.
      await client.query(sql);
    } finally {
      await client.end();
    }
    const actual = await countRows(url, Object.keys(expected));
    const differing = Object.keys(expected).filter((table) => actual[table] !== expected[table]);
    if (differing.length > 0) {
      throw new Error(
        `row counts differ after the restore: ${differing.map((t) => `${t} ${expected[t]} → ${actual[t]}`).join(', ')}`,
      );
    }
    const { appliedMigrationNames } = await applyMigrations(url);
    if (appliedMigrationNames.length > 0) say(`Applied the migrations since: ${appliedMigrationNames.join(', ')}`);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<number> {
  const env = loadDatabaseEnv();
  const pgliteDir = path.join(env.TAKT_DATA_DIR, 'pg');
  const backupDir = `${pgliteDir}-pglite-backup`;
  const { rootDir, pgData } = clusterPaths(env.TAKT_DATA_DIR);
  if (!(await exists(path.join(pgliteDir, 'PG_VERSION')))) {
    say(`No PGlite database in ${pgliteDir}: nothing to upgrade.`);
    return 0;
  }
  if (await exists(pgData)) {
    console.error(`${rootDir} already holds an embedded PostgreSQL: move it away first to upgrade into a new one.`);
    return 1;
  }
  if (await exists(backupDir)) {
    console.error(`${backupDir} exists from an earlier upgrade: move it away first.`);
    return 1;
  }

  const workDir = await mkdtemp(path.join(tmpdir(), 'takt-pglite-upgrade-'));
  try {
    const { sql, counts } = await dumpPglite(pgliteDir, workDir);
    // Out of the way while the new server starts (it refuses to start beside a PGlite directory).
    await rename(pgliteDir, backupDir);
    try {
      say(`Restoring ${Object.keys(counts).length} tables into the embedded PostgreSQL in ${rootDir}…`);
      await restore(env.TAKT_DATA_DIR, sql, counts);
    } catch (error) {
      await rm(rootDir, { recursive: true, force: true });
      await rename(backupDir, pgliteDir);
      throw error;
    }
    const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
    say(`Upgraded: ${rows} rows in ${Object.keys(counts).length} tables, counts checked.`);
    say(`The PGlite files are kept in ${backupDir}; delete them once Takt runs well.`);
    return 0;
  } catch (error) {
    console.error(`Upgrade failed, ${pgliteDir} is unchanged: ${(error as Error).message}`);
    return 1;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

process.exit(await main());
