// Loads the admin's OPC UA mappings of a data source: signal_mapping rows whose address is a node id
// (`ns=1;s=…`, `nsu=…;i=…`), with the machine path they point at.
import { ZValueMap } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { OpcUaNodeMapping, OpcUaSignal } from './opcua.decoder.ts';

const OPCUA_SIGNALS: ReadonlySet<string> = new Set<OpcUaSignal>(['STATE', 'GOOD_COUNT', 'REJECT_COUNT', 'PRODUCT']);

/** The node mappings of one OPC UA data source (rows of other signals are skipped). */
export async function loadOpcUaMappings(prisma: PrismaClient, dataSourceId: string): Promise<OpcUaNodeMapping[]> {
  const rows = await prisma.signalMapping.findMany({
    where: { dataSourceId },
    select: { address: true, signal: true, valueMap: true, machine: { select: { path: true } } },
    orderBy: { address: 'asc' },
  });
  return rows
    .filter((row) => OPCUA_SIGNALS.has(row.signal))
    .map((row) => ({
      nodeId: row.address,
      machinePath: row.machine.path,
      signal: row.signal as OpcUaSignal,
      // The admin API validates value maps; a row written otherwise gets none rather than a crash.
      valueMap: ZValueMap.nullable().catch(null).parse(row.valueMap),
    }));
}

/** The nodes the Takt simulator serves for these machines (`ns=1;s=<path>.State|GoodCount|RejectCount|Product`). */
export function simulatorOpcUaNodes(machinePaths: readonly string[]): OpcUaNodeMapping[] {
  const signals: [string, OpcUaSignal][] = [
    ['State', 'STATE'],
    ['Product', 'PRODUCT'],
    ['GoodCount', 'GOOD_COUNT'],
    ['RejectCount', 'REJECT_COUNT'],
  ];
  return machinePaths.flatMap((machinePath) =>
    signals.map(([name, signal]) => ({ nodeId: `ns=1;s=${machinePath}.${name}`, machinePath, signal })),
  );
}
