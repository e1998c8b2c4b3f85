// Builds a small plant straight in the database for the API integration tests: one enterprise, site and area, the
// shift patterns, lines and machines the test names, and products. Codes are the keys of the ids it returns.
import type { PrismaClient } from '@takt/db';

export type ShiftSpec = {
  code: string;
  startMinute: number;
  durationMin: number;
  weekdays: readonly number[];
  breaks?: readonly { name: string; offsetMin: number; durationMin: number }[];
};

export type MachineSpec = { code: string; name?: string; sequence?: number; archivedAt?: Date; path?: string };

export type LineSpec = { code: string; name?: string; shiftPattern?: string; machines?: readonly MachineSpec[] };

export type PlantSpec = {
  /** Default `p1`, "Plant 1", UTC. */
  site?: { code?: string; name?: string; timeZone?: string };
  /** Default `asm`, "Assembly". */
  area?: { code?: string; name?: string };
  shiftPatterns?: readonly { code: string; shifts: readonly ShiftSpec[] }[];
  lines?: readonly LineSpec[];
  products?: readonly { code: string; name?: string }[];
};

export type BuiltPlant = {
  enterpriseId: string;
  siteId: string;
  areaId: string;
  shiftPatternIds: Record<string, string>;
  lineIds: Record<string, string>;
  /** By machine code (codes are unique within one fixture). */
  machineIds: Record<string, string>;
  productIds: Record<string, string>;
};

const ENTERPRISE = { code: 'acme', name: 'Acme' };

/** Creates the plant of `spec`; machines get the path site/area/line/machine unless they name one. */
export async function buildPlant(prisma: PrismaClient, spec: PlantSpec = {}): Promise<BuiltPlant> {
  const enterprise = await prisma.enterprise.upsert({
    where: { code: ENTERPRISE.code },
    create: ENTERPRISE,
    update: {},
  });
  const siteCode = spec.site?.code ?? 'p1';
  const site = await prisma.site.create({
    data: {
      enterpriseId: enterprise.id,
      code: siteCode,
      name: spec.site?.name ?? 'Plant 1',
      timeZone: spec.site?.timeZone ?? 'UTC',
    },
  });
  const areaCode = spec.area?.code ?? 'asm';
  const area = await prisma.area.create({
    data: { siteId: site.id, code: areaCode, name: spec.area?.name ?? 'Assembly' },
  });
  const built: BuiltPlant = {
    enterpriseId: enterprise.id,
    siteId: site.id,
    areaId: area.id,
    shiftPatternIds: {},
    lineIds: {},
    machineIds: {},
    productIds: {},
  };
  for (const pattern of spec.shiftPatterns ?? []) {
    const row = await prisma.shiftPattern.create({
      data: {
        siteId: site.id,
        code: pattern.code,
        name: pattern.code,
        shifts: {
          create: pattern.shifts.map((shift) => ({
            code: shift.code,
            name: shift.code,
            startMinute: shift.startMinute,
            durationMin: shift.durationMin,
            weekdays: [...shift.weekdays],
            breaks: { create: (shift.breaks ?? []).map((b) => ({ ...b })) },
          })),
        },
      },
    });
    built.shiftPatternIds[pattern.code] = row.id;
  }
  for (const line of spec.lines ?? []) {
    const shiftPatternId = line.shiftPattern === undefined ? null : built.shiftPatternIds[line.shiftPattern];
    if (shiftPatternId === undefined) throw new Error(`line ${line.code}: no shift pattern ${line.shiftPattern}`);
    const row = await prisma.line.create({
      data: { areaId: area.id, code: line.code, name: line.name ?? `Line ${line.code}`, shiftPatternId },
    });
    built.lineIds[line.code] = row.id;
    for (const machine of line.machines ?? []) {
      const created = await prisma.machine.create({
        data: {
          lineId: row.id,
          code: machine.code,
          path: machine.path ?? `${siteCode}/${areaCode}/${line.code}/${machine.code}`,
          name: machine.name ?? machine.code,
          sequence: machine.sequence ?? 0,
          archivedAt: machine.archivedAt ?? null,
        },
      });
      built.machineIds[machine.code] = created.id;
    }
  }
  for (const product of spec.products ?? []) {
    const row = await prisma.product.create({ data: { code: product.code, name: product.name ?? product.code } });
    built.productIds[product.code] = row.id;
  }
  return built;
}
