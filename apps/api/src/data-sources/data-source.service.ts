// OT data sources (MQTT JSON/UNS, Sparkplug B, OPC UA, HTTP) and the mapping of their addresses to machine
// signals. The config of a source is validated by the contract schema of its kind, which never changes.
import type { Prisma, PrismaClient } from '@takt/db';
import {
  codeOrderCursor,
  DATA_SOURCE_CONFIG_SCHEMAS,
  type TDataSource,
  type TDataSourceCreateRequest,
  type TDataSourceKind,
  type TDataSourceUpdateRequest,
  type TFieldError,
  type TDataSourceListQuery,
  type TSignalMappingInput,
  type TSignalMappingList,
} from '@takt/contracts';
import { auditChange } from '../audit/audit.service.ts';
import { changeResource, getResource, type ChangeOptions, type Resource } from '../crud/resource.service.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import type { Versioned } from '../http/precondition.ts';
import * as repo from './data-source.repository.ts';

function toDto(row: repo.DataSourceRow): TDataSource {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    config: (row.config ?? {}) as Record<string, unknown>,
    isEnabled: row.isEnabled,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// The config came from a JSON column or a validated JSON body, so the DTO is JSON throughout.
function auditJson(dto: TDataSource, extra: Record<string, number> = {}): Prisma.InputJsonObject {
  return { ...dto, ...extra } as unknown as Prisma.InputJsonObject;
}

function mappingsToDto(dataSourceVersion: number, rows: repo.SignalMappingRow[]): TSignalMappingList {
  return {
    dataSourceVersion,
    items: rows.map((m) => ({
      id: m.id,
      machineId: m.machineId,
      machinePath: m.machine.path,
      signal: m.signal,
      address: m.address,
      valueMap: (m.valueMap ?? null) as Record<string, string | number | boolean> | null,
    })),
  };
}

function duplicateCode(code: string | undefined): AppError {
  return new AppError('CONFLICT', 'Code already used', {
    detail: `A data source with code "${code ?? ''}" exists already.`,
    errors: [{ path: 'body.code', message: 'Already used' }],
  });
}

/** One page of data sources by code. */
export async function listDataSources(options: {
  prisma: PrismaClient;
  query: TDataSourceListQuery;
}): Promise<Page<TDataSource>> {
  const { limit, cursor } = options.query;
  const after = cursor === undefined ? undefined : { code: cursor[0], id: cursor[1] };
  const rows = await repo.listDataSources(options.prisma, { limit, after });
  return toPage(rows, limit, toDto, (row) => codeOrderCursor.encode([row.code, row.id]));
}

/** The config of a source as its kind's contract parses it (400 naming the bad fields otherwise). */
function parseConfig(kind: TDataSourceKind, config: Record<string, unknown>): Prisma.InputJsonObject {
  const parsed = DATA_SOURCE_CONFIG_SCHEMAS[kind].safeParse(config);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'Invalid request', {
      detail: `The config is not valid for a ${kind} data source.`,
      errors: parsed.error.issues.map((issue) => ({
        path: ['body', 'config', ...issue.path].join('.'),
        message: issue.message,
      })),
    });
  }
  return parsed.data as Prisma.InputJsonObject;
}

/**
 * An OT data source: its config is validated by the contract of its kind (which never changes); deleting it deletes
 * its mappings (dead letters keep their rows, unlinked) and the audit log notes how many went.
 */
export const dataSourceResource: Resource<
  repo.DataSourceRow,
  TDataSource,
  TDataSourceCreateRequest,
  TDataSourceUpdateRequest
> = {
  entityType: 'data-source',
  label: 'Data source',
  toDto,
  toAudit: (dto) => auditJson(dto),
  find: repo.findDataSource,
  create: (tx, body) =>
    repo.createDataSource(tx, {
      code: body.code,
      name: body.name,
      kind: body.kind,
      config: body.config,
      isEnabled: body.isEnabled,
    }),
  update: (tx, before, body) =>
    repo.updateDataSource(tx, before, {
      code: body.code,
      name: body.name,
      isEnabled: body.isEnabled,
      config: body.config === undefined ? undefined : parseConfig(before.kind, body.config),
    }),
  async deletedAudit(tx, row) {
    const mappings = await repo.listMappings(tx, row.id);
    return auditJson(toDto(row), { mappingCount: mappings.length });
  },
  remove: (tx, row) => repo.deleteDataSource(tx, row.id),
  onConflict: (conflict, body) => (conflict.kind === 'unique' ? duplicateCode(body?.code) : undefined),
};

/** The signal mappings of a data source, by address; their version is the source's. */
export async function getMappings(options: {
  prisma: PrismaClient;
  id: string;
}): Promise<Versioned<TSignalMappingList>> {
  const { item: source } = await getResource(dataSourceResource, options.prisma, options.id);
  const list = mappingsToDto(source.version, await repo.listMappings(options.prisma, options.id));
  return { item: list, version: list.dataSourceVersion };
}

/** Field errors of a mapping list: unknown machines and duplicate addresses, each naming its row. */
function mappingErrors(mappings: readonly TSignalMappingInput[], machineIds: Set<string>): TFieldError[] {
  const errors: TFieldError[] = [];
  const firstRowOf = new Map<string, number>();
  mappings.forEach((m, index) => {
    if (!machineIds.has(m.machineId)) {
      errors.push({ path: `body.mappings.${index}.machineId`, message: `Row ${index + 1}: no machine ${m.machineId}` });
    }
    const first = firstRowOf.get(m.address);
    if (first === undefined) firstRowOf.set(m.address, index);
    else {
      errors.push({
        path: `body.mappings.${index}.address`,
        message: `Row ${index + 1}: address "${m.address}" is already mapped in row ${first + 1}`,
      });
    }
  });
  return errors;
}

/** Replaces all mappings of a data source in one transaction; bumps its version. Honours If-Match. */
export async function replaceMappings(
  options: ChangeOptions & {
    id: string;
    mappings: readonly TSignalMappingInput[];
    expectedVersion: number | undefined;
  },
): Promise<Versioned<TSignalMappingList>> {
  const { id, mappings } = options;
  return changeResource(dataSourceResource, options, async (tx, source) => {
    const machineIds = await repo.existingMachineIds(tx, [...new Set(mappings.map((m) => m.machineId))]);
    const errors = mappingErrors(mappings, machineIds);
    if (errors.length > 0)
      throw new AppError('BAD_REQUEST', 'Invalid mappings', { detail: errors[0]!.message, errors });
    const before = mappingsToDto(source.version, await repo.listMappings(tx, id));
    const updated = await repo.replaceMappings(
      tx,
      source,
      mappings.map((m) => ({
        machineId: m.machineId,
        signal: m.signal,
        address: m.address,
        valueMap: m.valueMap ?? null,
      })),
    );
    const after = mappingsToDto(updated.version, await repo.listMappings(tx, id));
    await auditChange(tx, options.change, {
      action: 'data-source.mappings-replaced',
      entityType: 'data-source',
      entityId: id,
      before: before.items,
      after: after.items,
    });
    return { item: after, version: after.dataSourceVersion };
  });
}
