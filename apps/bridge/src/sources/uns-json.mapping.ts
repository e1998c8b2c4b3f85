// Loads the value maps of the UNS JSON data source: signal_mapping rows of signal STATE whose address is a state
// topic (`{prefix}/{site}/{area}/{line}/{machine}/state`) and whose value map translates that machine's own state
// values (apps/bridge/README.md "Value maps"). The topic names the machine; the row adds only its value map.
import { ZValueMap, type TValueMap } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';
import type { UnsStateValueMaps } from './uns-json.decoder.ts';

/** The value maps by state topic; empty (with a warning) when the database cannot be read at start. */
export async function loadUnsStateValueMaps(
  prisma: PrismaClient,
  dataSourceId: string,
  logger: Logger,
): Promise<UnsStateValueMaps> {
  try {
    const rows = await prisma.signalMapping.findMany({
      where: { dataSourceId, signal: 'STATE' },
      select: { address: true, valueMap: true },
    });
    const valueMaps = new Map<string, TValueMap>();
    for (const row of rows) {
      // The admin API validates value maps; a row written otherwise gets none rather than a crash.
      const valueMap = ZValueMap.nullable().catch(null).parse(row.valueMap);
      if (valueMap) valueMaps.set(row.address, valueMap);
    }
    return valueMaps;
  } catch (error) {
    logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'cannot read the value maps of the UNS data source; states are read as Takt names and PackML/UMH codes',
    );
    return new Map();
  }
}
