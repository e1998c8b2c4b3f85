// products.csv: `code,name,ideal_cycle_times`. The ideal cycle times of a product sit in ONE cell as
// `;`-separated entries `line:<site/area/line>=<seconds>` or `machine:<site/area/line/machine>=<seconds>`
// (e.g. `line:plant1/assembly/line2=12.5;machine:plant1/assembly/line2/press3=4`), so that one row is one
// product and the file diffs well. The cell is the product's complete set: an import replaces it (an empty
// cell removes all of the product's ideal cycle times). Changed ideal cycle times invalidate the KPI rollups they
// reach, as when edited through the API.
import { CONFIG_CSV_COLUMNS, ZPlantCode, ZPlantName, type TConfigImportError } from '@takt/contracts';
import { idealCycleTimeChange, invalidateRollups } from '@takt/kpi-sql';
import { formatCsv } from './csv-codec.ts';
import * as repo from './config-csv.repository.ts';
import { contractError, type TCsvRow, type TImportAction, type TImportPlan } from './csv-import.ts';

const MAX_CYCLE_TIME_SEC = 86_400;
const ENTRY_PATTERN = /^(line|machine):([^=]+)=(.+)$/;

type CycleTimeEntry = { target: 'line' | 'machine'; path: string; idealCycleTimeSec: number };

function entryKey(entry: { target: string; path: string }): string {
  return `${entry.target}:${entry.path}`;
}

function formatEntries(entries: readonly CycleTimeEntry[]): string {
  return [...entries]
    .sort((a, b) => entryKey(a).localeCompare(entryKey(b)))
    .map((e) => `${entryKey(e)}=${e.idealCycleTimeSec}`)
    .join(';');
}

/** The products (not archived) with their ideal cycle times as CSV, by code. */
export async function exportProductsCsv(db: repo.Db): Promise<string> {
  const products = await repo.listProductsForExport(db);
  return formatCsv([
    [...CONFIG_CSV_COLUMNS.products],
    ...products.map((p) => [p.code, p.name, formatEntries(p.idealCycleTimes)]),
  ]);
}

function parseEntries(cell: string, line: number, errors: TConfigImportError[]): CycleTimeEntry[] {
  const entries: CycleTimeEntry[] = [];
  for (const raw of cell
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = ENTRY_PATTERN.exec(raw);
    const seconds = Number(match?.[3]?.trim());
    if (match === null) {
      errors.push({
        line,
        column: 'ideal_cycle_times',
        message: `"${raw}" is not line:<site/area/line>=<seconds> or machine:<site/area/line/machine>=<seconds>`,
      });
    } else if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_CYCLE_TIME_SEC) {
      errors.push({
        line,
        column: 'ideal_cycle_times',
        message: `"${raw}": the ideal cycle time must be a number of seconds > 0 and ≤ ${MAX_CYCLE_TIME_SEC}`,
      });
    } else {
      const entry = { target: match[1] as 'line' | 'machine', path: match[2]!.trim(), idealCycleTimeSec: seconds };
      if (entries.some((e) => entryKey(e) === entryKey(entry))) {
        errors.push({ line, column: 'ideal_cycle_times', message: `"${entryKey(entry)}" is given twice` });
      } else entries.push(entry);
    }
  }
  return entries;
}

function sameEntries(a: readonly CycleTimeEntry[], b: readonly CycleTimeEntry[]): boolean {
  return formatEntries(a) === formatEntries(b);
}

/** Validates every row (codes unique, line and machine paths known) and plans its creation or update. */
export async function planProductsImport(
  db: repo.Db,
  rows: TCsvRow<(typeof CONFIG_CSV_COLUMNS.products)[number]>[],
): Promise<TImportPlan> {
  const errors: TConfigImportError[] = [];
  const lines = await repo.linesByPath(db);
  const parsed = rows.map((row) => {
    const rowErrors: TConfigImportError[] = [];
    const entries = parseEntries(row.values.ideal_cycle_times, row.line, rowErrors);
    return { row, entries, rowErrors };
  });
  const machinePaths = parsed.flatMap((p) => p.entries.filter((e) => e.target === 'machine').map((e) => e.path));
  const machines = await repo.machineIdsByPath(db, [...new Set(machinePaths)]);
  const firstLineOf = new Map<string, number>();
  const valid: { code: string; name: string; entries: CycleTimeEntry[]; data: repo.CycleTimeData[] }[] = [];
  for (const { row, entries, rowErrors } of parsed) {
    const { line, values } = row;
    const codeError = contractError(ZPlantCode, values.code);
    if (codeError !== null) rowErrors.push({ line, column: 'code', message: codeError });
    const first = firstLineOf.get(values.code);
    if (first !== undefined)
      rowErrors.push({ line, column: 'code', message: `"${values.code}" is already on line ${first}` });
    else firstLineOf.set(values.code, line);
    const nameError = contractError(ZPlantName, values.name);
    if (nameError !== null) rowErrors.push({ line, column: 'name', message: nameError });
    const data: repo.CycleTimeData[] = [];
    for (const entry of entries) {
      const id = entry.target === 'line' ? lines.get(entry.path)?.id : machines.get(entry.path);
      if (id === undefined) {
        rowErrors.push({ line, column: 'ideal_cycle_times', message: `Unknown ${entry.target} "${entry.path}"` });
      } else {
        data.push({
          lineId: entry.target === 'line' ? id : null,
          machineId: entry.target === 'machine' ? id : null,
          idealCycleTimeSec: entry.idealCycleTimeSec,
        });
      }
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0) valid.push({ code: values.code, name: values.name, entries, data });
  }
  const existing = new Map(
    (
      await repo.findProductsByCode(
        db,
        valid.map((v) => v.code),
      )
    ).map((p) => [p.code, p]),
  );
  const actions = valid.map((row): TImportAction => {
    const product = existing.get(row.code);
    const write = { code: row.code, name: row.name, idealCycleTimes: row.data };
    if (product === undefined)
      return { outcome: 'created', apply: (tx) => repo.writeProduct(tx, { id: null, ...write }) };
    if (product.name === row.name && sameEntries(product.idealCycleTimes, row.entries)) return { outcome: 'unchanged' };
    return {
      outcome: 'updated',
      async apply(tx) {
        await repo.writeProduct(tx, { id: product.id, ...write });
        const change = idealCycleTimeChange(product.id, product.idealCycleTimes, row.data);
        if (change !== null) await invalidateRollups({ prisma: tx, changes: [change] });
      },
    };
  });
  return { errors, actions };
}
