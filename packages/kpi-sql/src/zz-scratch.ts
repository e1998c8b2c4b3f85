import { createPrismaClient } from '@takt/db';
import { computeCellComponents, loadMachineKpiInputs, computeComponentsFromInputs} from './index.ts';
const prisma = createPrismaClient('postgresql://postgres@127.0.0.1:5432/takt_kpi_scratch');
const machines = await prisma.machine.findMany({ select: { id: true }, take: 40 });
const ranges = [
  [Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-21T00:00:00Z')],
  [Date.parse('2026-11-18T05:30:12.345Z'), Date.parse('2026-11-18T17:15:00Z')],
  [Date.parse('2026-10-20T05:30:12.345Z'), Date.parse('2026-11-28T17:15:00Z')],
];
let bad = 0;
for (const [fromMs, toMs] of ranges) {
  const t0 = performance.now();
  const sql = await computeCellComponents({ prisma, cells: machines.map((m) => ({ machineId: m.id, fromMs: fromMs!, toMs: toMs! })) });
  const t1 = performance.now();
  const inputs = await loadMachineKpiInputs({ prisma, machineIds: machines.map((m) => m.id), fromMs: fromMs!, toMs: toMs! });
  const t2 = performance.now();
  for (const [i, inp] of inputs.entries()) {
    const pure = computeComponentsFromInputs(inp, fromMs!, toMs!);
    const s = sql[i]!.components;
    for (const k of Object.keys(pure) as (keyof typeof pure)[]) {
      const a = JSON.stringify(pure[k]); const b = JSON.stringify(s[k]);
      if (a !== b && !(typeof pure[k] === 'number' && Math.abs((pure[k] as number) - (s[k] as number)) < 1e-6)) { bad++; if (bad < 10) console.log(inp.machineId, k, a, b); }
    }
  }
  console.log('range', (toMs! - fromMs!) / 3.6e6, 'h sql ms', (t1 - t0).toFixed(0), 'load ms', (t2 - t1).toFixed(0));
}
console.log('bad', bad);
await prisma.$disconnect();
