// The frame of every configuration import: read the CSV table (header by name), let the entity's planner
// validate every row against the database, then — only when no row has an error and it is not a dry run —
// apply all changes and one audit entry in a single transaction.
import type { z } from 'zod';
import type { TConfigCsvEntity, TConfigImportError, TConfigImportReport } from '@takt/contracts';
import { auditChange } from '../audit/audit.service.ts';
import type { ChangeOptions } from '../crud/resource.service.ts';
import { inTransaction, type Db } from '../db/transaction.ts';
import { AppError } from '../http/app-error.ts';
import { parseCsv } from './csv-codec.ts';

export type TCsvRow<C extends string> = { line: number; values: Record<C, string> };

export type TImportAction = { outcome: 'created' | 'updated' | 'unchanged'; apply?: (tx: Db) => Promise<unknown> };
export type TImportPlan = { errors: TConfigImportError[]; actions: TImportAction[] };

/** Reads a CSV whose header names exactly `columns` (any order, case-insensitive); values are trimmed. */
export function readCsvTable<C extends string>(
  text: string,
  columns: readonly C[],
): { rows: TCsvRow<C>[]; rowCount: number; errors: TConfigImportError[] } {
  const { records, errors: syntaxErrors } = parseCsv(text);
  const errors: TConfigImportError[] = syntaxErrors.map((e) => ({ line: e.line, message: e.message }));
  const [header, ...data] = records;
  const expected = `expected the header ${columns.join(',')}`;
  if (header === undefined) {
    return { rows: [], rowCount: 0, errors: [...errors, { line: 1, message: `The file has no header: ${expected}` }] };
  }
  const rowCount = data.length + syntaxErrors.filter((e) => e.line > header.line).length;
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = columns.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(columns as readonly string[]).includes(n));
  const duplicated = names.filter((n, index) => names.indexOf(n) !== index);
  if (missing.length > 0 || unknown.length > 0 || duplicated.length > 0) {
    const problems = [
      missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : '',
      duplicated.length > 0 ? `repeated column(s) ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    return {
      rows: [],
      rowCount,
      errors: [...errors, { line: header.line, message: `Header: ${problems.join('; ')} (${expected})` }],
    };
  }
  const rows: TCsvRow<C>[] = [];
  for (const record of data) {
    if (record.fields.length !== names.length) {
      errors.push({
        line: record.line,
        message: `Expected ${names.length} fields, found ${record.fields.length}`,
      });
      continue;
    }
    const values = Object.fromEntries(names.map((name, index) => [name, (record.fields[index] ?? '').trim()]));
    rows.push({ line: record.line, values: values as Record<C, string> });
  }
  return { rows, rowCount, errors };
}

/** The first message of `schema` for `value`, or null when it is valid (rows use the API's own contracts). */
export function contractError(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'Invalid value');
}

export type RunImportOptions<C extends string> = ChangeOptions & {
  entity: TConfigCsvEntity;
  columns: readonly C[];
  csv: string;
  isDryRun: boolean;
  plan(db: Db, rows: TCsvRow<C>[]): Promise<TImportPlan>;
};

/** Validates the whole file and writes all of it or nothing; reports every bad row with its line. */
export async function runConfigImport<C extends string>(options: RunImportOptions<C>): Promise<TConfigImportReport> {
  return inTransaction(
    options.prisma,
    async (tx) => {
      const table = readCsvTable(options.csv, options.columns);
      const plan = await options.plan(tx, table.rows);
      const errors = [...table.errors, ...plan.errors].sort((a, b) => a.line - b.line);
      const count = (outcome: TImportAction['outcome']) => plan.actions.filter((a) => a.outcome === outcome).length;
      const report: TConfigImportReport = {
        isValid: errors.length === 0,
        isDryRun: options.isDryRun,
        rows: table.rowCount,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        errors,
      };
      if (!report.isValid || options.isDryRun) return report;
      for (const action of plan.actions) await action.apply?.(tx);
      await auditChange(tx, options.change, {
        action: `config.${options.entity}-imported`,
        entityType: 'config',
        entityId: options.entity,
        after: { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged },
      });
      return report;
    },
    {
      // A large file is many statements; the default 5 s of an interactive transaction is too short.
      maxWaitMs: 10_000,
      timeoutMs: 120_000,
      onConflict: (conflict) =>
        conflict.kind === 'unique' || conflict.kind === 'foreign-key'
          ? new AppError('CONFLICT', 'Import conflicts with a concurrent change', {
              detail: 'The configuration changed while importing; nothing was written. Run the import again.',
            })
          : undefined,
    },
  );
}
