// In-memory lookup of the codes OT messages carry: machine path → machine id, product code → id, downtime
// reason code → id. Messages arrive by the thousand; the plant changes a few times a day. The cache is
// reloaded when older than `refreshIntervalMs`, and at once (rate-limited) when a batch names something
// unknown, so that a machine added in the admin UI is picked up within seconds.
import type { PrismaClient } from '@takt/db';
import type { Logger } from 'pino';

export type PlantDirectoryOptions = {
  prisma: PrismaClient;
  logger: Logger;
  refreshIntervalMs?: number;
  /** Least time between two reloads caused by unknown names (a stream of unknown paths must not hammer the DB). */
  missRefreshMinIntervalMs?: number;
  now?: () => number;
};

export type PlantLookup = {
  machineIdByPath: ReadonlyMap<string, string>;
  productIdByCode: ReadonlyMap<string, string>;
  reasonIdByCode: ReadonlyMap<string, string>;
};

export type PlantDirectory = {
  /** The current lookup, reloaded first when stale; reloads anyway when `unknownNames` holds a name it lacks. */
  lookup(unknownNames?: {
    machinePaths?: Iterable<string>;
    productCodes?: Iterable<string>;
    reasonCodes?: Iterable<string>;
  }): Promise<PlantLookup>;
};

const EMPTY: PlantLookup = { machineIdByPath: new Map(), productIdByCode: new Map(), reasonIdByCode: new Map() };

function lacksAny(map: ReadonlyMap<string, string>, names: Iterable<string> | undefined): boolean {
  for (const name of names ?? []) if (!map.has(name)) return true;
  return false;
}

export function createPlantDirectory(options: PlantDirectoryOptions): PlantDirectory {
  const { prisma, logger, refreshIntervalMs = 30_000, missRefreshMinIntervalMs = 2_000, now = Date.now } = options;
  let current: PlantLookup = EMPTY;
  let loadedAtMs = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const [machines, products, reasons] = await Promise.all([
      prisma.machine.findMany({ where: { archivedAt: null }, select: { id: true, path: true } }),
      prisma.product.findMany({ where: { archivedAt: null }, select: { id: true, code: true } }),
      prisma.downtimeReason.findMany({ where: { archivedAt: null }, select: { id: true, code: true } }),
    ]);
    current = {
      machineIdByPath: new Map(machines.map((m) => [m.path, m.id])),
      productIdByCode: new Map(products.map((p) => [p.code, p.id])),
      reasonIdByCode: new Map(reasons.map((r) => [r.code, r.id])),
    };
    loadedAtMs = now();
    logger.debug(
      { machines: machines.length, products: products.length, reasons: reasons.length },
      'plant directory loaded',
    );
  }

  function reload(): Promise<void> {
    // One load at a time; concurrent callers share it.
    loading ??= load().finally(() => {
      loading = null;
    });
    return loading;
  }

  return {
    async lookup(unknownNames) {
      const ageMs = now() - loadedAtMs;
      const hasMiss =
        unknownNames !== undefined &&
        (lacksAny(current.machineIdByPath, unknownNames.machinePaths) ||
          lacksAny(current.productIdByCode, unknownNames.productCodes) ||
          lacksAny(current.reasonIdByCode, unknownNames.reasonCodes));
      if (ageMs >= refreshIntervalMs || (hasMiss && ageMs >= missRefreshMinIntervalMs)) await reload();
      return current;
    },
  };
}
