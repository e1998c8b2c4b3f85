// Loads the admin's Sparkplug mappings of a data source: signal_mapping rows whose address is
// `{edge_node_id}/{device_id}/{metric name}` (metric names may hold `/`), with the machine path they point at and
// their value map.
import { ZValueMap } from '@takt/contracts';
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
    select: { address: true, signal: true, valueMap: true, machine: { select: { path: true } } },
  });
  return rows
    .filter((row) => SPARKPLUG_SIGNALS.has(row.signal) && row.address.split('/').length >= 3)
    .map((row) => ({
      address: row.address,
      machinePath: row.machine.path,
      signal: row.signal as SparkplugSignal,
      // The admin API validates value maps; a row written otherwise gets none rather than a crash.
      valueMap: ZValueMap.nullable().catch(null).parse(row.valueMap),
    }));
}
