// Machines (ISA-95 work units): a code unique within their line and a `path` site/area/line/machine kept
// by this service. Moving a machine to another line keeps its id, so its intervals and counts follow it (and
// its whole history takes the new line's calendar and ideal cycle times: its KPI rollups are invalidated);
// a machine with history is archived, never deleted.
import type { TMachine, TMachineCreate, TMachineListQuery, TMachineUpdate } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { archivedReference, unknownReference, type Resource } from '../crud/resource.service.ts';
import type { Db } from '../db/transaction.ts';
import { invalidateRollups } from '@takt/kpi-sql';
import {
  assertNoBlockers,
  blocker,
  onCodeConflict,
  duplicateCode,
  isoOrNull,
  plantPage,
} from './plant-rules.service.ts';
import type { Page } from '../http/page.ts';
import * as repo from './plant.repository.ts';

export function toMachineDto(row: repo.MachineRow): TMachine {
  return {
    id: row.id,
    lineId: row.lineId,
    code: row.code,
    path: row.path,
    name: row.name,
    sequence: row.sequence,
    archivedAt: isoOrNull(row.archivedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** The path prefix of a line a machine may be placed on: it exists and is not archived. */
async function targetLinePrefix(tx: Db, lineId: string): Promise<string> {
  const line = await repo.findLine(tx, lineId);
  if (line === null) throw unknownReference('lineId', 'Line', lineId);
  if (line.archivedAt !== null) throw archivedReference('lineId', 'Line', line.code);
  const prefix = await repo.findLinePathPrefix(tx, lineId);
  if (prefix === null) throw unknownReference('lineId', 'Line', lineId);
  return prefix;
}

async function assertCodeFree(tx: Db, lineId: string, code: string, selfId?: string): Promise<void> {
  const other = await repo.findMachineByCode(tx, lineId, code);
  if (other !== null && other.id !== selfId) throw duplicateCode('Machine', code, 'on this line');
}

export const machineResource: Resource<repo.MachineRow, TMachine, TMachineCreate, TMachineUpdate> = {
  entityType: 'machine',
  label: 'Machine',
  toDto: toMachineDto,
  find: repo.findMachine,
  async create(tx, input) {
    const prefix = await targetLinePrefix(tx, input.lineId);
    await assertCodeFree(tx, input.lineId, input.code);
    return repo.createMachine(tx, {
      lineId: input.lineId,
      code: input.code,
      path: `${prefix}/${input.code}`,
      name: input.name,
      sequence: input.sequence ?? 0,
    });
  },
  async update(tx, current, input) {
    const lineId = input.lineId ?? current.lineId;
    const code = input.code ?? current.code;
    const isMoved = lineId !== current.lineId;
    if (!isMoved && code === current.code) {
      return repo.updateMachine(tx, current, { name: input.name, sequence: input.sequence });
    }
    // Renaming on its own line is allowed even while that line is archived; moving needs an active line.
    const prefix = isMoved ? await targetLinePrefix(tx, lineId) : await repo.findLinePathPrefix(tx, lineId);
    if (prefix === null) throw unknownReference('lineId', 'Line', lineId);
    await assertCodeFree(tx, lineId, code, current.id);
    const row = await repo.updateMachine(tx, current, {
      lineId,
      code,
      path: `${prefix}/${code}`,
      name: input.name,
      sequence: input.sequence,
    });
    if (isMoved) await invalidateRollups({ prisma: tx, changes: [{ machineIds: [row.id] }] });
    return row;
  },
  setArchivedAt: (tx, current, archivedAt) => repo.updateMachine(tx, current, { archivedAt }),
  async assertDeletable(tx, row) {
    const counts = await repo.countMachineDependents(tx, row.id);
    assertNoBlockers('Machine', row, {
      children: blocker('signalMappings', counts.signalMappings, 'signal mapping'),
      history: [
        ...blocker('stateIntervals', counts.stateIntervals, 'state interval'),
        ...blocker('counts', counts.counts, 'production count'),
      ],
    });
  },
  remove: (tx, row) => repo.deleteMachine(tx, row.id),
  onConflict: onCodeConflict,
};

/** A page of machines ordered by code, optionally of one line and matching `q`. */
export async function listMachines(options: {
  prisma: PrismaClient;
  query: TMachineListQuery;
}): Promise<Page<TMachine>> {
  const { prisma, query } = options;
  return plantPage(
    query,
    (keyset) =>
      repo.listMachines(
        prisma,
        { lineId: query.lineId, q: query.q, includeArchived: query.includeArchived ?? false },
        keyset,
      ),
    toMachineDto,
  );
}
