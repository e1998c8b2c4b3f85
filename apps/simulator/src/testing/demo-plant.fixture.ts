// A small plant for the simulator's integration tests: two lines, five machines, two products, two reasons.
import type { PrismaClient } from '@takt/db';

/** Two lines, five machines; products with line-level cycle times and one machine-level override. */
export async function createDemoPlant(prisma: PrismaClient): Promise<void> {
  const enterprise = await prisma.enterprise.create({ data: { code: 'acme', name: 'ACME' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'assembly', name: 'Assembly' } });
  const productA = await prisma.product.create({ data: { code: 'P-A', name: 'A' } });
  const productB = await prisma.product.create({ data: { code: 'P-B', name: 'B' } });
  for (const [lineCode, machineCodes] of [
    ['line1', ['press1', 'press2', 'weld1']],
    ['line2', ['cnc1', 'cnc2']],
  ] as const) {
    const line = await prisma.line.create({ data: { areaId: area.id, code: lineCode, name: lineCode } });
    await prisma.idealCycleTime.createMany({
      data: [
        { productId: productA.id, lineId: line.id, idealCycleTimeSec: 0.2 },
        { productId: productB.id, lineId: line.id, idealCycleTimeSec: 0.25 },
      ],
    });
    for (const [index, code] of machineCodes.entries()) {
      await prisma.machine.create({
        data: { lineId: line.id, code, path: `plant1/assembly/${lineCode}/${code}`, name: code, sequence: index },
      });
    }
  }
  const weld = await prisma.machine.findUniqueOrThrow({ where: { path: 'plant1/assembly/line1/weld1' } });
  await prisma.idealCycleTime.create({ data: { productId: productA.id, machineId: weld.id, idealCycleTimeSec: 0.15 } });
  const category = await prisma.downtimeReason.create({
    data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' },
  });
  await prisma.downtimeReason.createMany({
    data: [
      { code: 'MECH-JAM', name: 'Jam', kind: 'UNPLANNED', parentId: category.id },
      { code: 'MECH-TOOL', name: 'Tool break', kind: 'UNPLANNED', parentId: category.id },
    ],
  });
}
