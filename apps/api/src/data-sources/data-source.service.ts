// OT data sources (MQTT JSON/UNS, Sparkplug B, OPC UA, HTTP) and the mapping of their addresses to machine
// signals. The config of a source is validated by the contract schema of its kind, which never changes.
import { Prisma, type PrismaClient } from '@takt/db';
import {
  codeOrderCursor,
  DATA_SOURCE_CONFIG_SCHEMAS,
  type TDataSource,
  type TDataSourceCreateRequest,
  type TDataSourceUpdateRequest,
  type TFieldError,
  type TDataSourceListQuery,
  type TSignalMappingInput,
  type TSignalMappingList,
} from '@takt/contracts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { AppError } from '../http/app-error.ts';
import { toPage, type Page } from '../http/page.ts';
import { assertVersion } from '../http/precondition.ts';
import * as repo from './data-source.repository.ts';

type ChangeOptions = { prisma: PrismaClient; actor: AuditActor; requestId: string | null };

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

function mappingsToDto(source: repo.DataSourceRow, rows: repo.SignalMappingRow[]): TSignalMappingList {
  return {
    dataSourceVersion: source.version,
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

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'Data source not found', { detail: `No data source ${id}.` });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
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

/** One data source. */
export async function getDataSource(options: { prisma: PrismaClient; id: string }): Promise<TDataSource> {
  const row = await repo.findDataSource(options.prisma, options.id);
  if (row === null) throw notFound(options.id);
  return toDto(row);
}

/** Creates a data source; its config was validated by the contract for its kind. */
export async function createDataSource(
  options: ChangeOptions & { body: TDataSourceCreateRequest },
): Promise<TDataSource> {
  const { body } = options;
  try {
    return await options.prisma.$transaction(async (tx) => {
      const dto = toDto(
        await repo.createDataSource(tx, {
          code: body.code,
          name: body.name,
          kind: body.kind,
          config: body.config,
          isEnabled: body.isEnabled,
        }),
      );
      await recordAudit(tx, {
        actor: options.actor,
        action: 'data-source.created',
        entityType: 'data-source',
        entityId: dto.id,
        after: auditJson(dto),
        requestId: options.requestId,
      });
      return dto;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(body.code);
    throw error;
  }
}

/** Updates a data source; a new `config` is validated against the source's kind. Honours If-Match. */
export async function updateDataSource(
  options: ChangeOptions & { id: string; body: TDataSourceUpdateRequest; expectedVersion: number | undefined },
): Promise<TDataSource> {
  const { id, body } = options;
  try {
    return await options.prisma.$transaction(async (tx) => {
      const before = await repo.findDataSource(tx, id);
      if (before === null) throw notFound(id);
      assertVersion(options.expectedVersion, before.version, 'data source');
      let config: Prisma.InputJsonObject | undefined;
      if (body.config !== undefined) {
        const parsed = DATA_SOURCE_CONFIG_SCHEMAS[before.kind].safeParse(body.config);
        if (!parsed.success) {
          throw new AppError('BAD_REQUEST', 'Invalid request', {
            detail: `The config is not valid for a ${before.kind} data source.`,
            errors: parsed.error.issues.map((issue) => ({
              path: ['body', 'config', ...issue.path].join('.'),
              message: issue.message,
            })),
          });
        }
        config = parsed.data as Prisma.InputJsonObject;
      }
      const dto = toDto(
        await repo.updateDataSource(tx, id, { code: body.code, name: body.name, isEnabled: body.isEnabled, config }),
      );
      await recordAudit(tx, {
        actor: options.actor,
        action: 'data-source.updated',
        entityType: 'data-source',
        entityId: id,
        before: auditJson(toDto(before)),
        after: auditJson(dto),
        requestId: options.requestId,
      });
      return dto;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(body.code);
    throw error;
  }
}

/** Deletes a data source with its mappings (dead letters keep their rows, unlinked). Honours If-Match. */
export async function deleteDataSource(
  options: ChangeOptions & { id: string; expectedVersion: number | undefined },
): Promise<void> {
  const { id } = options;
  await options.prisma.$transaction(async (tx) => {
    const before = await repo.findDataSource(tx, id);
    if (before === null) throw notFound(id);
    assertVersion(options.expectedVersion, before.version, 'data source');
    const mappings = await repo.listMappings(tx, id);
    await repo.deleteDataSource(tx, id);
    await recordAudit(tx, {
      actor: options.actor,
      action: 'data-source.deleted',
      entityType: 'data-source',
      entityId: id,
      before: auditJson(toDto(before), { mappingCount: mappings.length }),
      requestId: options.requestId,
    });
  });
}

/** The signal mappings of a data source, by address. */
export async function getMappings(options: { prisma: PrismaClient; id: string }): Promise<TSignalMappingList> {
  const source = await repo.findDataSource(options.prisma, options.id);
  if (source === null) throw notFound(options.id);
  return mappingsToDto(source, await repo.listMappings(options.prisma, options.id));
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
): Promise<TSignalMappingList> {
  const { id, mappings } = options;
  return options.prisma.$transaction(async (tx) => {
    const source = await repo.findDataSource(tx, id);
    if (source === null) throw notFound(id);
    assertVersion(options.expectedVersion, source.version, 'data source');
    const machineIds = await repo.existingMachineIds(tx, [...new Set(mappings.map((m) => m.machineId))]);
    const errors = mappingErrors(mappings, machineIds);
    if (errors.length > 0)
      throw new AppError('BAD_REQUEST', 'Invalid mappings', { detail: errors[0]!.message, errors });
    const before = mappingsToDto(source, await repo.listMappings(tx, id));
    await repo.replaceMappings(
      tx,
      id,
      mappings.map((m) => ({
        machineId: m.machineId,
        signal: m.signal,
        address: m.address,
        valueMap: m.valueMap ?? null,
      })),
    );
    const updated = await repo.findDataSource(tx, id);
    const after = mappingsToDto(updated ?? source, await repo.listMappings(tx, id));
    await recordAudit(tx, {
      actor: options.actor,
      action: 'data-source.mappings-replaced',
      entityType: 'data-source',
      entityId: id,
      before: before.items,
      after: after.items,
      requestId: options.requestId,
    });
    return after;
  });
}
