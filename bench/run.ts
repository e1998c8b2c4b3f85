// `npm run bench -- <name>`: runs one benchmark (not a timed test) and writes bench/results/<name>.json.
// Each case is loaded only when chosen, so that one benchmark's dependencies never slow down another.
type BenchModule = { main(): Promise<void> };

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  ingest: () => import('./ingest.bench.ts'),
  kpi: () => import('./kpi.bench.ts'),
  api: () => import('./api.bench.ts'),
};

const name = process.argv[2];
const load = name === undefined ? undefined : BENCHMARKS[name];
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}>`);
  process.exit(2);
}
await (await load()).main();
process.exit(0);
