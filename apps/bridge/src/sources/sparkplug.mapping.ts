// Loads the admin's Sparkplug mappings of a data source: signal_mapping rows whose address is (metric names may hold `/`)
// `{edge_node_id}/{device_id}/{metric name}`, with the machine path they point at.
import type { PrismaClient } from '@takt/db';
import type { SparkplugMetricMapping, SparkplugSignal } from './sparkplug-host.state.ts';

const SPARKPLUG_SIGNALS: ReadonlySet<string> = new Set<SparkplugSignal>([
  'STATE',
  'GOOD_COUNT',
  'REJECT_COUNT',
  'PRODUCT',
]);

/** The Sparkplug metric mappings of one data source (rows of other signals are skipped). */
export async function loadSparkplugMappings(
  prisma: PrismaClient,
  dataSourceId: string,
): Promise<SparkplugMetricMapping[]> {
  const rows = await prisma.signalMapping.findMany({
    where: { dataSourceId },
    select: { address: true, signal: true, machine: { select: { path: true } } },
  });
  return rows
    .filter((row) => SPARKPLUG_SIGNALS.has(row.signal) && row.address.split('/').length >= 3)
    .map((row) => ({ address: row.address, machinePath: row.machine.path, signal: row.signal as SparkplugSignal }));
}
