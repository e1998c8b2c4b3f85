// A small plant for the bridge's integration tests: one site/area/line with the given machines, a product,
// a downtime reason and the MQTT_JSON data source of the test's topic prefix.
import type { PrismaClient } from '@takt/db';

export type TestPlant = {
  machineIdByCode: Map<string, string>;
  pathOf(machineCode: string): string;
  productId: string;
  productCode: string;
  reasonId: string;
  reasonCode: string;
  dataSourceId: string;
};

export async function createTestPlant(
  prisma: PrismaClient,
  options: { topicPrefix: string; machineCodes: string[] },
): Promise<TestPlant> {
  const enterprise = await prisma.enterprise.create({ data: { code: 'acme', name: 'ACME' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'assembly', name: 'Assembly' } });
  const line = await prisma.line.create({ data: { areaId: area.id, code: 'line1', name: 'Line 1' } });
  const pathOf = (machineCode: string) => `plant1/assembly/line1/${machineCode}`;
  const machineIdByCode = new Map<string, string>();
  for (const [index, code] of options.machineCodes.entries()) {
    const machine = await prisma.machine.create({
      data: { lineId: line.id, code, path: pathOf(code), name: code.toUpperCase(), sequence: index },
    });
    machineIdByCode.set(code, machine.id);
  }
  const product = await prisma.product.create({ data: { code: 'P-100', name: 'Bracket' } });
  const category = await prisma.downtimeReason.create({
    data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' },
  });
  const reason = await prisma.downtimeReason.create({
    data: { code: 'MECH-JAM', name: 'Jam', kind: 'UNPLANNED', parentId: category.id },
  });
  const dataSource = await prisma.dataSource.create({
    data: { code: 'test-uns', name: 'Test UNS', kind: 'MQTT_JSON', config: { topicPrefix: options.topicPrefix } },
  });
  return {
    machineIdByCode,
    pathOf,
    productId: product.id,
    productCode: product.code,
    reasonId: reason.id,
    reasonCode: reason.code,
    dataSourceId: dataSource.id,
  };
}
