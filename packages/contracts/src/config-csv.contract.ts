// CSV import/export of the plant configuration (machines, products, downtime reasons). The CSV itself is
// RFC 4180 text/csv with a header row; these are the query and the import report.
import { z } from 'zod';
import { ZQueryBoolean } from './list.contract.ts';

export const CONFIG_CSV_ENTITIES = ['machines', 'products', 'reasons'] as const;
export type TConfigCsvEntity = (typeof CONFIG_CSV_ENTITIES)[number];

/** Header row of each file, in order. */
export const CONFIG_CSV_COLUMNS = {
  machines: ['path', 'name', 'sequence'],
  products: ['code', 'name', 'ideal_cycle_times'],
  reasons: ['code', 'name', 'kind', 'parent_code'],
} as const satisfies Record<TConfigCsvEntity, readonly string[]>;

export const ZConfigImportQuery = z.object({
  dryRun: ZQueryBoolean.default(true).meta({ description: 'Validate and report without writing (default true).' }),
});
export type TConfigImportQuery = z.infer<typeof ZConfigImportQuery>;

export const ZConfigImportError = z.object({
  line: z.int().meta({ description: 'Line of the file where the bad record starts (1 = header).' }),
  column: z.string().optional(),
  message: z.string(),
});
export type TConfigImportError = z.infer<typeof ZConfigImportError>;

export const ZConfigImportReport = z.object({
  isValid: z.boolean(),
  isDryRun: z.boolean(),
  rows: z.int().meta({ description: 'Data rows read (the header not counted).' }),
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  errors: z.array(ZConfigImportError),
});
export type TConfigImportReport = z.infer<typeof ZConfigImportReport>;
