// machines.csv: `path,name,sequence`, one machine per row, keyed by its `site/area/line/machine` path. An
// import creates unknown paths under the existing line named by the path's first three codes, and updates
// the name and sequence of known ones.
import { CONFIG_CSV_COLUMNS, ZPlantCode, ZPlantName, type TConfigImportError } from '@takt/contracts';
import { formatCsv } from './csv-codec.ts';
import * as repo from './config-csv.repository.ts';
import { contractError, type TCsvRow, type TImportAction, type TImportPlan } from './csv-import.ts';

// As the machine contract (ZMachineCreate) allows.
const MAX_SEQUENCE = 10_000;

/** The machines (not archived) as CSV, by path. */
export async function exportMachinesCsv(db: repo.Db): Promise<string> {
  const machines = await repo.listMachinesForExport(db);
  return formatCsv([[...CONFIG_CSV_COLUMNS.machines], ...machines.map((m) => [m.path, m.name, String(m.sequence)])]);
}

type MachineRow = { path: string; lineId: string; code: string; name: string; sequence: number };

/** Validates every row and plans its creation or update. */
export async function planMachinesImport(
  db: repo.Db,
  rows: TCsvRow<(typeof CONFIG_CSV_COLUMNS.machines)[number]>[],
): Promise<TImportPlan> {
  const errors: TConfigImportError[] = [];
  const lines = await repo.linesByPath(db);
  const firstLineOf = new Map<string, number>();
  const valid: MachineRow[] = [];
  for (const { line, values } of rows) {
    const rowErrors: TConfigImportError[] = [];
    const segments = values.path.split('/');
    let lineId: string | undefined;
    if (segments.length !== 4 || segments.some((code) => contractError(ZPlantCode, code) !== null)) {
      rowErrors.push({
        line,
        column: 'path',
        message: `"${values.path}" is not site/area/line/machine (codes of lower-case letters, digits and dashes)`,
      });
    } else {
      const linePath = segments.slice(0, 3).join('/');
      const target = lines.get(linePath);
      if (target === undefined) rowErrors.push({ line, column: 'path', message: `Unknown line "${linePath}"` });
      else if (target.isArchived) rowErrors.push({ line, column: 'path', message: `Line "${linePath}" is archived` });
      else lineId = target.id;
    }
    const first = firstLineOf.get(values.path);
    if (first !== undefined) {
      rowErrors.push({ line, column: 'path', message: `"${values.path}" is already on line ${first}` });
    } else firstLineOf.set(values.path, line);
    const nameError = contractError(ZPlantName, values.name);
    if (nameError !== null) rowErrors.push({ line, column: 'name', message: nameError });
    const sequence = values.sequence === '' ? 0 : Number(values.sequence);
    if (!/^\d*$/.test(values.sequence) || sequence > MAX_SEQUENCE) {
      rowErrors.push({
        line,
        column: 'sequence',
        message: `Expected a whole number 0–${MAX_SEQUENCE} (or empty for 0)`,
      });
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0 && lineId !== undefined) {
      valid.push({ path: values.path, lineId, code: segments[3]!, name: values.name, sequence });
    }
  }
  const existing = new Map(
    (
      await repo.findMachinesByPath(
        db,
        valid.map((v) => v.path),
      )
    ).map((m) => [m.path, m]),
  );
  const actions = valid.map((row): TImportAction => {
    const machine = existing.get(row.path);
    if (machine === undefined) return { outcome: 'created', apply: (tx) => repo.createMachine(tx, row) };
    if (machine.name === row.name && machine.sequence === row.sequence) return { outcome: 'unchanged' };
    return {
      outcome: 'updated',
      apply: (tx) => repo.updateMachine(tx, machine.id, { name: row.name, sequence: row.sequence }),
    };
  });
  return { errors, actions };
}
