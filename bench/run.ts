// `npm run bench [-- <name>] [--embedded]`: runs one benchmark, or all of them in turn (never a timed test); each
// prints a table and writes bench/results/<name>.json. A case is loaded only when chosen, so that one
// benchmark's dependencies never slow down another. With --embedded, the benchmarks that create their databases
// through TEST_DATABASE_URL (ingest, api) run on a scratch embedded PostgreSQL, the server `npm start` uses when
// no DATABASE_URL is set, and write <name>.embedded.json instead (bench/bench-results.ts).
import { startScratchPostgres, type EmbeddedPostgres } from '@takt/db';

type BenchModule = { main(): Promise<void> };

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  ingest: () => import('./ingest.bench.ts'),
  kpi: () => import('./kpi.bench.ts'),
  api: () => import('./api.bench.ts'),
  faults: () => import('./faults.bench.ts'),
};

const args = process.argv.slice(2);
const isEmbedded = args.includes('--embedded');
const name = args.find((arg) => !arg.startsWith('--'));
const chosen = name === undefined ? Object.keys(BENCHMARKS) : [name];
if (chosen.some((benchmark) => BENCHMARKS[benchmark] === undefined)) {
  console.error(`usage: npm run bench [-- <${Object.keys(BENCHMARKS).join('|')}>] [--embedded]`);
  process.exit(2);
}

let embedded: EmbeddedPostgres | undefined;
if (isEmbedded) {
  embedded = await startScratchPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
  process.env.BENCH_DATABASE_MODE = 'embedded';
  console.log(`database: embedded PostgreSQL on 127.0.0.1:${embedded.port}`);
}
try {
  for (const benchmark of chosen) {
    const load = BENCHMARKS[benchmark];
    if (load === undefined) continue;
    console.log(`\n== ${benchmark}`);
    await (await load()).main();
  }
} finally {
  await embedded?.stop();
}
process.exit(0);
