// A small plant for the ingest's integration tests: one site/area/line with the given machines, two products,
// a downtime reason, a released work order and an HTTP data source with signal mappings of machine 0.
import type { PrismaClient } from '@takt/db';

export type IngestTestPlant = {
  machineIds: string[];
  pathOf(index: number): string;
  productIds: string[];
  productCodes: string[];
  reasonId: string;
  reasonCode: string;
  workOrderId: string;
  workOrderNumber: string;
  dataSourceId: string;
  dataSourceCode: string;
};

/** Creates the plant in the (fresh) database of `prisma`. */
export async function createIngestTestPlant(
  prisma: PrismaClient,
  options: { machineCount: number },
): Promise<IngestTestPlant> {
  const enterprise = await prisma.enterprise.create({ data: { code: 'acme', name: 'ACME' } });
  const site = await prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin' },
  });
  const area = await prisma.area.create({ data: { siteId: site.id, code: 'assembly', name: 'Assembly' } });
  const line = await prisma.line.create({ data: { areaId: area.id, code: 'line1', name: 'Line 1' } });
  const pathOf = (index: number) => `plant1/assembly/line1/m${index}`;
  const machineIds: string[] = [];
  for (let index = 0; index < options.machineCount; index += 1) {
    const machine = await prisma.machine.create({
      data: { lineId: line.id, code: `m${index}`, path: pathOf(index), name: `M${index}`, sequence: index },
    });
    machineIds.push(machine.id);
  }
  const products = [
    await prisma.product.create({ data: { code: 'P-100', name: 'Bracket' } }),
    await prisma.product.create({ data: { code: 'P-200', name: 'Hinge' } }),
  ];
  const reason = await prisma.downtimeReason.create({ data: { code: 'JAM', name: 'Jam', kind: 'UNPLANNED' } });
  const workOrder = await prisma.workOrder.create({
    data: { number: 'WO-1', productId: products[0]?.id ?? '', lineId: line.id, status: 'RELEASED', targetQuantity: 10 },
  });
  const dataSource = await prisma.dataSource.create({
    data: { code: 'test-opc', name: 'Test OPC', kind: 'OPCUA', config: {} },
  });
  const mappedMachineId = machineIds[0] ?? '';
  await prisma.signalMapping.createMany({
    data: [
      {
        dataSourceId: dataSource.id,
        machineId: mappedMachineId,
        signal: 'STATE',
        address: 'ns=2;s=M0.State',
        valueMap: { '1': 'PRODUCING', '2': 'DOWN' },
      },
      { dataSourceId: dataSource.id, machineId: mappedMachineId, signal: 'GOOD_COUNT', address: 'ns=2;s=M0.Good' },
      { dataSourceId: dataSource.id, machineId: mappedMachineId, signal: 'PRODUCT', address: 'ns=2;s=M0.Product' },
    ],
  });
  return {
    machineIds,
    pathOf,
    productIds: products.map((p) => p.id),
    productCodes: products.map((p) => p.code),
    reasonId: reason.id,
    reasonCode: reason.code,
    workOrderId: workOrder.id,
    workOrderNumber: workOrder.number,
    dataSourceId: dataSource.id,
    dataSourceCode: dataSource.code,
  };
}
