import { randomUUID } from 'node:crypto';
import { applyMigrations, createPrismaClient, resolveDatabase } from '@takt/db';
const db = await resolveDatabase();
let t = Date.now();
await applyMigrations(db.url);
console.log('migrate', Date.now() - t);
const prisma = createPrismaClient(db.url);
const ent = await prisma.enterprise.create({ data: { code: 'x' + randomUUID(), name: 'x' } });
const site = await prisma.site.create({ data: { code: 's' + randomUUID(), name: 's', timeZone: 'UTC', enterpriseId: ent.id } });
const area = await prisma.area.create({ data: { code: 'a', name: 'a', siteId: site.id } });
const line = await prisma.line.create({ data: { code: 'l', name: 'l', areaId: area.id } });
const m = await prisma.machine.create({ data: { code: 'm', name: 'm', path: 'p' + randomUUID(), lineId: line.id } });
const N = 50_000;
const rows = Array.from({ length: N }, (_, i) => ({ machineId: m.id, bucketStart: new Date(1e12 + i * 300_000), bucketSec: 300, goodCount: i % 50, rejectCount: 1 }));
t = Date.now();
for (let i = 0; i < N; i += 5000) await prisma.productionCount.createMany({ data: rows.slice(i, i + 5000) });
console.log('createMany', N, Date.now() - t);
t = Date.now();
for (let i = 0; i < N; i += 5000) {
  const c = rows.slice(i, i + 5000);
  await prisma.$executeRawUnsafe(`INSERT INTO production_count (machine_id, bucket_start, bucket_sec, good_count, reject_count) SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::int[])`,
    c.map(r => r.machineId), c.map(r => r.bucketStart.toISOString()), c.map(r => r.bucketSec), c.map(r => r.goodCount), c.map(r => r.rejectCount));
}
console.log('unnest', N, Date.now() - t);
await prisma.$disconnect();
await db.close();
