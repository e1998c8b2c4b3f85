// reasons.csv: `code,name,kind,parent_code` — categories have an empty parent_code, reasons name their
// category's code. The rules of the reason tree hold for the state after the import: the parent is a
// category (two levels), a reason has its category's kind. Rows are matched to existing reasons by code.
import {
  CONFIG_CSV_COLUMNS,
  DOWNTIME_KINDS,
  ZReasonCode,
  type TConfigImportError,
  type TDowntimeKind,
} from '@takt/contracts';
import { formatCsv } from './csv-codec.ts';
import * as repo from './config-csv.repository.ts';
import { contractError, type TCsvRow, type TImportAction, type TImportPlan } from './csv-import.ts';

/** The reasons (not archived) as CSV: each category followed by its reasons, by code. */
export async function exportReasonsCsv(db: repo.Db): Promise<string> {
  const reasons = (await repo.listReasons(db)).filter((r) => r.archivedAt === null);
  const rows: string[][] = [[...CONFIG_CSV_COLUMNS.reasons]];
  for (const category of reasons.filter((r) => r.parentId === null)) {
    rows.push([category.code, category.name, category.kind, '']);
    for (const reason of reasons.filter((r) => r.parentId === category.id)) {
      rows.push([reason.code, reason.name, reason.kind, category.code]);
    }
  }
  return formatCsv(rows);
}

type FinalReason = { code: string; kind: TDowntimeKind; parentCode: string | null; line: number | null };

/** Validates every row against the tree after the import and plans writes: categories first, then reasons. */
export async function planReasonsImport(
  db: repo.Db,
  rows: TCsvRow<(typeof CONFIG_CSV_COLUMNS.reasons)[number]>[],
): Promise<TImportPlan> {
  const errors: TConfigImportError[] = [];
  const existingRows = await repo.listReasons(db);
  const existing = new Map(existingRows.map((r) => [r.code, r]));
  const codeOfId = new Map(existingRows.map((r) => [r.id, r.code]));
  // The tree as it will be: existing reasons, overridden by the file's rows.
  const final = new Map<string, FinalReason>(
    existingRows.map((r) => [
      r.code,
      {
        code: r.code,
        kind: r.kind,
        parentCode: r.parentId === null ? null : (codeOfId.get(r.parentId) ?? null),
        line: null,
      },
    ]),
  );
  const firstLineOf = new Map<string, number>();
  const rowErrors = new Map<number, TConfigImportError[]>();
  const addError = (error: TConfigImportError) =>
    rowErrors.set(error.line, [...(rowErrors.get(error.line) ?? []), error]);
  for (const { line, values } of rows) {
    const codeError = contractError(ZReasonCode, values.code);
    if (codeError !== null) addError({ line, column: 'code', message: codeError });
    const first = firstLineOf.get(values.code);
    if (first !== undefined)
      addError({ line, column: 'code', message: `"${values.code}" is already on line ${first}` });
    else firstLineOf.set(values.code, line);
    if (values.name === '' || values.name.length > 200) {
      addError({ line, column: 'name', message: 'A name of 1–200 characters is required' });
    }
    const kind = values.kind.toUpperCase();
    if (!(DOWNTIME_KINDS as readonly string[]).includes(kind)) {
      addError({ line, column: 'kind', message: `Expected ${DOWNTIME_KINDS.join(' or ')}` });
    }
    if (values.parent_code === values.code)
      addError({ line, column: 'parent_code', message: 'A reason cannot be its own parent' });
    if (first === undefined) {
      final.set(values.code, {
        code: values.code,
        kind: kind as TDowntimeKind,
        parentCode: values.parent_code === '' ? null : values.parent_code,
        line,
      });
    }
  }
  // Tree rules on the final state, reported on the row that breaks them.
  for (const { line, values } of rows) {
    const self = final.get(values.code);
    if (self === undefined || self.line !== line) continue; // a repeated code, reported above
    if (self.parentCode === null) {
      // Reasons in the file are checked on their own rows; existing ones not in the file are checked here.
      const mismatched = [...final.values()].filter(
        (r) => r.parentCode === self.code && r.line === null && r.kind !== self.kind,
      );
      if (mismatched.length > 0) {
        addError({
          line,
          column: 'kind',
          message: `Existing reason(s) ${mismatched.map((r) => r.code).join(', ')} of this category are not ${self.kind}`,
        });
      }
      continue;
    }
    const parent = final.get(self.parentCode);
    if (parent === undefined) {
      addError({ line, column: 'parent_code', message: `Unknown category "${self.parentCode}"` });
    } else if (parent.parentCode !== null) {
      addError({
        line,
        column: 'parent_code',
        message: `"${parent.code}" is a reason, not a category: the tree has two levels (category → reason)`,
      });
    } else if (parent.kind !== self.kind && (DOWNTIME_KINDS as readonly string[]).includes(self.kind)) {
      addError({
        line,
        column: 'kind',
        message: `A reason has its category's kind: "${parent.code}" is ${parent.kind}`,
      });
    }
    if ([...final.values()].some((r) => r.parentCode === self.code)) {
      addError({
        line,
        column: 'parent_code',
        message: `"${self.code}" has reasons of its own, so it must stay a category`,
      });
    }
  }
  for (const list of rowErrors.values()) errors.push(...list);

  const idOfCode = new Map(existingRows.map((r) => [r.code, r.id]));
  const plan = (row: (typeof rows)[number]): TImportAction => {
    const { values } = row;
    const kind = values.kind.toUpperCase() as TDowntimeKind;
    const parentCode = values.parent_code === '' ? null : values.parent_code;
    const before = existing.get(values.code);
    const write = async (tx: repo.Db) => {
      const parentId = parentCode === null ? null : (idOfCode.get(parentCode) ?? null);
      const id = await repo.writeReason(tx, {
        id: before?.id ?? null,
        code: values.code,
        name: values.name,
        kind,
        parentId,
      });
      idOfCode.set(values.code, id);
    };
    if (before === undefined) return { outcome: 'created', apply: write };
    const beforeParent = before.parentId === null ? null : (codeOfId.get(before.parentId) ?? null);
    if (before.name === values.name && before.kind === kind && beforeParent === parentCode)
      return { outcome: 'unchanged' };
    return { outcome: 'updated', apply: write };
  };
  const validRows = rows.filter((r) => !rowErrors.has(r.line));
  const actions = [
    ...validRows.filter((r) => r.values.parent_code === '').map(plan),
    ...validRows.filter((r) => r.values.parent_code !== '').map(plan),
  ];
  return { errors, actions };
}
