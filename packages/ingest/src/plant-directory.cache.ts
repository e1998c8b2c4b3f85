// In-memory lookup of the names ingest events carry: machine path/id, product code, downtime reason code,
// work-order number, and the admin-configured signal mappings (data source + address → machine + signal).
// Events arrive by the thousand; the plant changes a few times a day. The cache is reloaded when older than
// `refreshIntervalMs`, and at once (rate-limited) when a batch names something unknown, so that a machine or
// mapping added in the admin UI is picked up within seconds.
import type { PrismaClient, SignalKind } from '@takt/db';
import type { Logger } from 'pino';

export type PlantDirectoryOptions = {
  prisma: PrismaClient;
  logger: Logger;
  refreshIntervalMs?: number;
  /** Least time between two reloads caused by unknown names (a stream of unknown paths must not hammer the DB). */
  missRefreshMinIntervalMs?: number;
  now?: () => number;
};

export type ResolvedSignalMapping = {
  machineId: string;
  signal: SignalKind;
  valueMap: Record<string, string | number | boolean> | null;
};

export type PlantLookup = {
  machineIdByPath: ReadonlyMap<string, string>;
  machineIds: ReadonlySet<string>;
  productIdByCode: ReadonlyMap<string, string>;
  reasonIdByCode: ReadonlyMap<string, string>;
  workOrderIdByNumber: ReadonlyMap<string, string>;
  /** Key: `${dataSourceId}\n${address}`. */
  mappingByAddress: ReadonlyMap<string, ResolvedSignalMapping>;
};

export type UnknownNames = {
  machinePaths?: Iterable<string>;
  machineIds?: Iterable<string>;
  productCodes?: Iterable<string>;
  reasonCodes?: Iterable<string>;
  workOrderNumbers?: Iterable<string>;
  mappingKeys?: Iterable<string>;
};

export type PlantDirectory = {
  /** The current lookup, reloaded first when stale; reloads anyway when `unknownNames` holds a name it lacks. */
  lookup(unknownNames?: UnknownNames): Promise<PlantLookup>;
};

/** The key of mappingByAddress. */
export const mappingKeyOf = (dataSourceId: string, address: string): string => `${dataSourceId}\n${address}`;

const EMPTY: PlantLookup = {
  machineIdByPath: new Map(),
  machineIds: new Set(),
  productIdByCode: new Map(),
  reasonIdByCode: new Map(),
  workOrderIdByNumber: new Map(),
  mappingByAddress: new Map(),
};

function lacksAny(has: (name: string) => boolean, names: Iterable<string> | undefined): boolean {
  for (const name of names ?? []) if (!has(name)) return true;
  return false;
}

function isValueMap(value: unknown): value is Record<string, string | number | boolean> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v))
  );
}

/** Creates the cached lookup of machines, products, reasons, work orders and signal mappings. */
export function createPlantDirectory(options: PlantDirectoryOptions): PlantDirectory {
  const { prisma, logger, refreshIntervalMs = 30_000, missRefreshMinIntervalMs = 2_000, now = Date.now } = options;
  let current: PlantLookup = EMPTY;
  let loadedAtMs = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const [machines, products, reasons, workOrders, mappings] = await Promise.all([
      prisma.machine.findMany({ where: { archivedAt: null }, select: { id: true, path: true } }),
      prisma.product.findMany({ where: { archivedAt: null }, select: { id: true, code: true } }),
      prisma.downtimeReason.findMany({ where: { archivedAt: null }, select: { id: true, code: true } }),
      // Open orders only: a finished order cannot start running again.
      prisma.workOrder.findMany({
        where: { status: { in: ['RELEASED', 'IN_PROGRESS', 'PAUSED'] } },
        select: { id: true, number: true },
      }),
      prisma.signalMapping.findMany({
        where: { dataSource: { isEnabled: true } },
        select: { dataSourceId: true, address: true, machineId: true, signal: true, valueMap: true },
      }),
    ]);
    current = {
      machineIdByPath: new Map(machines.map((m) => [m.path, m.id])),
      machineIds: new Set(machines.map((m) => m.id)),
      productIdByCode: new Map(products.map((p) => [p.code, p.id])),
      reasonIdByCode: new Map(reasons.map((r) => [r.code, r.id])),
      workOrderIdByNumber: new Map(workOrders.map((w) => [w.number, w.id])),
      mappingByAddress: new Map(
        mappings.map((m) => [
          mappingKeyOf(m.dataSourceId, m.address),
          { machineId: m.machineId, signal: m.signal, valueMap: isValueMap(m.valueMap) ? m.valueMap : null },
        ]),
      ),
    };
    loadedAtMs = now();
    logger.debug(
      { machines: machines.length, products: products.length, reasons: reasons.length, mappings: mappings.length },
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
      const names = unknownNames ?? {};
      const hasMiss =
        lacksAny((n) => current.machineIdByPath.has(n), names.machinePaths) ||
        lacksAny((n) => current.machineIds.has(n), names.machineIds) ||
        lacksAny((n) => current.productIdByCode.has(n), names.productCodes) ||
        lacksAny((n) => current.reasonIdByCode.has(n), names.reasonCodes) ||
        lacksAny((n) => current.workOrderIdByNumber.has(n), names.workOrderNumbers) ||
        lacksAny((n) => current.mappingByAddress.has(n), names.mappingKeys);
      if (ageMs >= refreshIntervalMs || (hasMiss && ageMs >= missRefreshMinIntervalMs)) await reload();
      return current;
    },
  };
}
