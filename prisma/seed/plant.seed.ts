// Writes the demo plant's configuration (plant.data.ts): enterprise → sites → areas → lines → machines,
// products and ideal cycle times, shift patterns with breaks, the reason tree and the simulator's data
// source. Every table is keyed by stable codes and written with INSERT … ON CONFLICT DO NOTHING, so a
// second run inserts nothing and never overwrites what an admin has changed since.
import { DataSourceKind, DowntimeKind, type PrismaClient } from '@takt/db';
import {
  DEMO_ENTERPRISE,
  DEMO_PRODUCTS,
  DEMO_REASON_TREE,
  DEMO_SITES,
  MACHINE_CYCLE_TIME_OVERRIDES,
  machinePath,
  type MachineKind,
} from './plant.data.ts';
import type { TShiftDefinition } from '@takt/kpi';

export const SIMULATOR_DATA_SOURCE = {
  code: 'simulator-uns',
  name: 'Built-in simulator (UNS JSON)',
  kind: DataSourceKind.MQTT_JSON,
  // The bridge finds the machine from the path in the topic ({prefix}/{site}/{area}/{line}/{machine}/…),
  // so this source needs no per-signal mappings.
  config: { topicPrefix: 'takt' },
} as const;

export type SeededMachine = {
  id: string;
  path: string;
  kind: MachineKind;
  sequence: number;
  /** Line value, or the machine's own where it has one. */
  idealCycleTimeSecByProduct: ReadonlyMap<string, number>;
};

export type SeededLine = {
  id: string;
  path: string;
  /** 1-based position of the line in the demo plant; numbers its work orders. */
  ordinal: number;
  timeZone: string;
  shifts: readonly TShiftDefinition[];
  productCodes: readonly string[];
  /** In flow order. */
  machines: readonly SeededMachine[];
};

export type SeededPlant = {
  lines: readonly SeededLine[];
  productIdByCode: ReadonlyMap<string, string>;
  reasonIdByCode: ReadonlyMap<string, string>;
  /** Rows this run inserted (0 on a second run). */
  createdCount: number;
};

function byKey<T>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

function required<T>(map: ReadonlyMap<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demo plant: ${what} "${key}" is missing after seeding`);
  return value;
}

/** Creates the demo plant's configuration rows that do not exist yet and returns their ids. */
export async function seedPlant(prisma: PrismaClient): Promise<SeededPlant> {
  let createdCount = 0;
  const count = (result: { count: number }): void => {
    createdCount += result.count;
  };

  count(await prisma.enterprise.createMany({ data: [DEMO_ENTERPRISE], skipDuplicates: true }));
  const enterprise = await prisma.enterprise.findUniqueOrThrow({ where: { code: DEMO_ENTERPRISE.code } });

  count(
    await prisma.site.createMany({
      data: DEMO_SITES.map((s) => ({ enterpriseId: enterprise.id, code: s.code, name: s.name, timeZone: s.timeZone })),
      skipDuplicates: true,
    }),
  );
  const sites = byKey(
    await prisma.site.findMany({ where: { code: { in: DEMO_SITES.map((s) => s.code) } } }),
    (s) => s.code,
  );
  const siteId = (code: string): string => required(sites, code, 'site').id;

  count(
    await prisma.area.createMany({
      data: DEMO_SITES.flatMap((s) => s.areas.map((a) => ({ siteId: siteId(s.code), code: a.code, name: a.name }))),
      skipDuplicates: true,
    }),
  );
  const areas = byKey(
    await prisma.area.findMany({ where: { siteId: { in: [...sites.values()].map((s) => s.id) } } }),
    (a) => `${a.siteId}/${a.code}`,
  );
  const areaId = (site: string, area: string): string => required(areas, `${siteId(site)}/${area}`, 'area').id;

  count(
    await prisma.shiftPattern.createMany({
      data: DEMO_SITES.flatMap((s) =>
        s.shiftPatterns.map((p) => ({ siteId: siteId(s.code), code: p.code, name: p.name })),
      ),
      skipDuplicates: true,
    }),
  );
  const patterns = byKey(
    await prisma.shiftPattern.findMany({ where: { siteId: { in: [...sites.values()].map((s) => s.id) } } }),
    (p) => `${p.siteId}/${p.code}`,
  );
  const patternId = (site: string, pattern: string): string =>
    required(patterns, `${siteId(site)}/${pattern}`, 'shift pattern').id;

  // Breaks have no natural key, so they are written only together with a shift this run created.
  const newShifts = await prisma.shift.createManyAndReturn({
    data: DEMO_SITES.flatMap((s) =>
      s.shiftPatterns.flatMap((p) =>
        p.shifts.map((shift) => ({
          patternId: patternId(s.code, p.code),
          code: shift.code,
          name: shift.name,
          startMinute: shift.startMinute,
          durationMin: shift.durationMin,
          weekdays: [...shift.weekdays],
        })),
      ),
    ),
    skipDuplicates: true,
    select: { id: true, patternId: true, code: true },
  });
  createdCount += newShifts.length;
  const shiftSpecs = byKey(
    DEMO_SITES.flatMap((s) =>
      s.shiftPatterns.flatMap((p) =>
        p.shifts.map((shift) => ({ key: `${patternId(s.code, p.code)}/${shift.code}`, shift })),
      ),
    ),
    (entry) => entry.key,
  );
  const breaks = newShifts.flatMap((row) =>
    required(shiftSpecs, `${row.patternId}/${row.code}`, 'shift').shift.breaks.map((b) => ({
      shiftId: row.id,
      name: b.name,
      offsetMin: b.offsetMin,
      durationMin: b.durationMin,
    })),
  );
  if (breaks.length > 0) count(await prisma.shiftBreak.createMany({ data: breaks }));

  const lineRows = DEMO_SITES.flatMap((s) =>
    s.areas.flatMap((a) =>
      a.lines.map((l) => ({
        areaId: areaId(s.code, a.code),
        code: l.code,
        name: l.name,
        shiftPatternId: patternId(s.code, l.shiftPatternCode),
      })),
    ),
  );
  count(await prisma.line.createMany({ data: lineRows, skipDuplicates: true }));
  const lines = byKey(
    await prisma.line.findMany({ where: { areaId: { in: [...areas.values()].map((a) => a.id) } } }),
    (l) => `${l.areaId}/${l.code}`,
  );
  const lineId = (site: string, area: string, line: string): string =>
    required(lines, `${areaId(site, area)}/${line}`, 'line').id;

  const machineRows = DEMO_SITES.flatMap((s) =>
    s.areas.flatMap((a) =>
      a.lines.flatMap((l) =>
        l.machines.map((m, sequence) => ({
          lineId: lineId(s.code, a.code, l.code),
          code: m.code,
          name: m.name,
          path: machinePath(s.code, a.code, l.code, m.code),
          sequence,
        })),
      ),
    ),
  );
  count(await prisma.machine.createMany({ data: machineRows, skipDuplicates: true }));
  const machines = byKey(
    await prisma.machine.findMany({
      where: { path: { in: machineRows.map((m) => m.path) } },
      select: { id: true, path: true },
    }),
    (m) => m.path,
  );

  count(await prisma.product.createMany({ data: [...DEMO_PRODUCTS], skipDuplicates: true }));
  const products = byKey(
    await prisma.product.findMany({
      where: { code: { in: DEMO_PRODUCTS.map((p) => p.code) } },
      select: { id: true, code: true },
    }),
    (p) => p.code,
  );
  const productId = (code: string): string => required(products, code, 'product').id;

  // ON CONFLICT DO NOTHING covers both unique keys: (product, line) and (product, machine).
  count(
    await prisma.idealCycleTime.createMany({
      data: [
        ...DEMO_SITES.flatMap((s) =>
          s.areas.flatMap((a) =>
            a.lines.flatMap((l) =>
              l.products.map((p) => ({
                productId: productId(p.productCode),
                lineId: lineId(s.code, a.code, l.code),
                idealCycleTimeSec: p.idealCycleTimeSec,
              })),
            ),
          ),
        ),
        ...MACHINE_CYCLE_TIME_OVERRIDES.map((o) => ({
          productId: productId(o.productCode),
          machineId: required(machines, o.machinePath, 'machine').id,
          idealCycleTimeSec: o.idealCycleTimeSec,
        })),
      ],
      skipDuplicates: true,
    }),
  );

  count(
    await prisma.downtimeReason.createMany({
      data: DEMO_REASON_TREE.map((c) => ({ code: c.code, name: c.name, kind: DowntimeKind[c.kind] })),
      skipDuplicates: true,
    }),
  );
  const categories = byKey(
    await prisma.downtimeReason.findMany({
      where: { code: { in: DEMO_REASON_TREE.map((c) => c.code) } },
      select: { id: true, code: true },
    }),
    (c) => c.code,
  );
  count(
    await prisma.downtimeReason.createMany({
      data: DEMO_REASON_TREE.flatMap((c) =>
        c.reasons.map((r) => ({
          code: r.code,
          name: r.name,
          kind: DowntimeKind[c.kind],
          parentId: required(categories, c.code, 'reason category').id,
        })),
      ),
      skipDuplicates: true,
    }),
  );
  const reasonCodes = DEMO_REASON_TREE.flatMap((c) => [c.code, ...c.reasons.map((r) => r.code)]);
  const reasons = await prisma.downtimeReason.findMany({
    where: { code: { in: reasonCodes } },
    select: { id: true, code: true },
  });

  count(await prisma.dataSource.createMany({ data: [SIMULATOR_DATA_SOURCE], skipDuplicates: true }));

  let ordinal = 0;
  const seededLines: SeededLine[] = DEMO_SITES.flatMap((s) => {
    const shifts = s.shiftPatterns.flatMap((p) => p.shifts.map((shift) => ({ ...shift, pattern: p.code })));
    return s.areas.flatMap((a) =>
      a.lines.map((l): SeededLine => {
        ordinal += 1;
        const lineCycleTimes = new Map(l.products.map((p) => [p.productCode, p.idealCycleTimeSec]));
        return {
          id: lineId(s.code, a.code, l.code),
          path: `${s.code}/${a.code}/${l.code}`,
          ordinal,
          timeZone: s.timeZone,
          shifts: shifts.filter((shift) => shift.pattern === l.shiftPatternCode),
          productCodes: l.products.map((p) => p.productCode),
          machines: l.machines.map((m, sequence) => {
            const path = machinePath(s.code, a.code, l.code, m.code);
            const overrides = MACHINE_CYCLE_TIME_OVERRIDES.filter((o) => o.machinePath === path);
            const cycleTimes = new Map(lineCycleTimes);
            for (const o of overrides) cycleTimes.set(o.productCode, o.idealCycleTimeSec);
            return {
              id: required(machines, path, 'machine').id,
              path,
              kind: m.kind,
              sequence,
              idealCycleTimeSecByProduct: cycleTimes,
            };
          }),
        };
      }),
    );
  });

  return {
    lines: seededLines,
    productIdByCode: new Map([...products.values()].map((p) => [p.code, p.id])),
    reasonIdByCode: new Map(reasons.map((r) => [r.code, r.id])),
    createdCount,
  };
}
