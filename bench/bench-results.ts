// Where a benchmark writes its result: bench/results/<name>.json on the system PostgreSQL, or
// <name>.embedded.json when `npm run bench -- <name> --embedded` ran it on the embedded PostgreSQL of `npm start`
// (bench/run.ts starts that server and sets BENCH_DATABASE_MODE), so that both figures are kept side by side.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** The database server the benchmark ran against, recorded in its result. */
export const benchDatabaseMode: 'system' | 'embedded' =
  process.env.BENCH_DATABASE_MODE === 'embedded' ? 'embedded' : 'system';

/** Writes `result` (with the database mode) as bench/results/<name>[.embedded].json; returns the path. */
export async function writeBenchResult(name: string, result: object): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, benchDatabaseMode === 'embedded' ? `${name}.embedded.json` : `${name}.json`);
  await writeFile(file, `${JSON.stringify({ ...result, databaseMode: benchDatabaseMode }, null, 2)}\n`);
  return file;
}
