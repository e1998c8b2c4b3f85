// `npm run bench [-- <name>]`: runs one benchmark, or all of them in turn (never a timed test); each
// prints a table and writes bench/results/<name>.json. A case is loaded only when chosen, so that one
// benchmark's dependencies never slow down another.
type BenchModule = { main(): Promise<void> };

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  ingest: () => import('./ingest.bench.ts'),
  kpi: () => import('./kpi.bench.ts'),
  api: () => import('./api.bench.ts'),
  faults: () => import('./faults.bench.ts'),
};

const name = process.argv[2];
const chosen = name === undefined ? Object.keys(BENCHMARKS) : [name];
for (const benchmark of chosen) {
  const load = BENCHMARKS[benchmark];
  if (load === undefined) {
    console.error(`usage: npm run bench [-- <${Object.keys(BENCHMARKS).join('|')}>]`);
    process.exit(2);
  }
  console.log(`\n== ${benchmark}`);
  await (await load()).main();
}
process.exit(0);
