// Data access of OT data sources and their signal mappings.
import type { Prisma } from '@takt/db';
import type { TDataSourceKind, TSignalKind } from '@takt/contracts';
import type { Db } from '../db/transaction.ts';

export type DataSourceRow = Prisma.DataSourceGetPayload<object>;

const MAPPING_INCLUDE = { machine: { select: { path: true } } } as const satisfies Prisma.SignalMappingInclude;
export type SignalMappingRow = Prisma.SignalMappingGetPayload<{ include: typeof MAPPING_INCLUDE }>;

export function listDataSources(
  db: Db,
  options: { limit: number; after?: { code: string; id: string } },
): Promise<DataSourceRow[]> {
  const { after } = options;
  return db.dataSource.findMany({
    where:
      after === undefined ? {} : { OR: [{ code: { gt: after.code } }, { code: after.code, id: { gt: after.id } }] },
    orderBy: [{ code: 'asc' }, { id: 'asc' }],
    take: options.limit + 1,
  });
}

export function findDataSource(db: Db, id: string): Promise<DataSourceRow | null> {
  return db.dataSource.findUnique({ where: { id } });
}

export function createDataSource(
  db: Db,
  data: { code: string; name: string; kind: TDataSourceKind; config: Prisma.InputJsonObject; isEnabled: boolean },
): Promise<DataSourceRow> {
  return db.dataSource.create({ data });
}

/** Writes `data` if nobody changed the source meanwhile (version guard) and bumps its version. */
export function updateDataSource(
  db: Db,
  current: { id: string; version: number },
  data: { code?: string; name?: string; isEnabled?: boolean; config?: Prisma.InputJsonObject },
): Promise<DataSourceRow> {
  return db.dataSource.update({
    where: { id: current.id, version: current.version },
    data: { ...data, version: { increment: 1 } },
  });
}

export async function deleteDataSource(db: Db, id: string): Promise<void> {
  await db.dataSource.delete({ where: { id } });
}

export function listMappings(db: Db, dataSourceId: string): Promise<SignalMappingRow[]> {
  return db.signalMapping.findMany({
    where: { dataSourceId },
    include: MAPPING_INCLUDE,
    orderBy: [{ address: 'asc' }],
  });
}

/** Ids among `ids` that are existing machines. */
export async function existingMachineIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db.machine.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

export type MappingData = {
  machineId: string;
  signal: TSignalKind;
  address: string;
  valueMap: Prisma.InputJsonObject | null;
};

/** Replaces every mapping of the source and bumps its version (version-guarded); returns the source. */
export async function replaceMappings(
  db: Db,
  source: { id: string; version: number },
  mappings: readonly MappingData[],
): Promise<DataSourceRow> {
  await db.signalMapping.deleteMany({ where: { dataSourceId: source.id } });
  await db.signalMapping.createMany({
    data: mappings.map((m) => ({
      dataSourceId: source.id,
      machineId: m.machineId,
      signal: m.signal,
      address: m.address,
      valueMap: m.valueMap ?? undefined,
    })),
  });
  return db.dataSource.update({
    where: { id: source.id, version: source.version },
    data: { version: { increment: 1 } },
  });
}
