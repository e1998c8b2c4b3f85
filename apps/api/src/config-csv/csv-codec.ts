// RFC 4180 CSV through csv-parse and csv-stringify: comma-separated fields, fields quoted with `"` may hold commas,
// line breaks and doubled quotes; records end with CRLF (LF or a lone CR are accepted too). Records keep the line of
// the file where they start, so that import errors can name it.
//
// Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or
// a CR (or their full-width forms) as a formula. Export puts a `'` before such a cell, and before a cell that already
// starts with `'`s followed by one of them; import takes exactly one `'` off such a cell. So every value survives
// export and re-import, and a `'=…` typed into a file imports as the text `=…`, as a spreadsheet shows it.
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type TCsvRecord = { line: number; fields: string[] };
export type TCsvSyntaxError = { line: number; message: string };
export type TCsvParseResult = { records: TCsvRecord[]; errors: TCsvSyntaxError[] };

const BYTE_ORDER_MARK = '\uFEFF';
const FORMULA_CELL = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Each malformed record restarts csv-parse (~0.1 ms): a file of nothing else stops being read after these. */
const MAX_SYNTAX_ERRORS = 1000;
const LF = 0x0a;
const CR = 0x0d;

/** What csv-parse hands `on_record` with `raw: true` (its typings know only the record). */
type TRawRecord = { record: string[]; raw: string };

const SYNTAX_ERRORS: Partial<Record<CsvError['code'], string>> = {
  CSV_QUOTE_NOT_CLOSED: 'A quoted field is not closed (missing `"`)',
  CSV_INVALID_CLOSING_QUOTE: 'Unexpected text after a closing quote (double a quote inside a quoted field: "")',
  INVALID_OPENING_QUOTE: 'A quote inside an unquoted field (quote the whole field and double the quote)',
};

/** The value a spreadsheet cannot take for a formula: `'` before a formula-like cell. */
export function escapeFormula(value: string): string {
  return FORMULA_CELL.test(value) ? `'${value}` : value;
}

/** The inverse of escapeFormula. */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_CELL.test(value.slice(1)) ? value.slice(1) : value;
}

/** Line breaks in bytes [from, to): CRLF, LF and a lone CR count once each. */
function countLineBreaks(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) count++;
  }
  return count;
}

/** The index after the first line break at or after `from`, or the end. */
function afterLineBreak(bytes: Buffer, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] === LF) return i + 1;
    if (bytes[i] === CR) return bytes[i + 1] === LF ? i + 2 : i + 1;
  }
  return bytes.length;
}

/**
 * Parses CSV text into records; blank lines are skipped and a malformed record becomes an error.
 *
 * csv-parse stops at the first malformed record; the parse resumes at the next line after the error. (Its own
 * `skip_records_with_error` stays inside the quotes after an invalid closing quote, swallowing the records that
 * follow, and its line count counts a CRLF inside a quoted field twice, so lines are counted here.)
 */
export function parseCsv(input: string): TCsvParseResult {
  const bytes = Buffer.from(input.startsWith(BYTE_ORDER_MARK) ? input.slice(1) : input, 'utf8');
  const records: TCsvRecord[] = [];
  const errors: TCsvSyntaxError[] = [];
  let offset = 0; // where the next record starts
  let line = 1; // the line it starts on
  const moveTo = (next: number) => {
    line += countLineBreaks(bytes, offset, next);
    offset = next;
  };
  while (offset < bytes.length) {
    const start = offset;
    try {
      parse(bytes.subarray(start), {
        record_delimiter: ['\r\n', '\n', '\r'],
        relax_column_count: true,
        raw: true, // an error then carries the record's text up to the bad quote
        on_record: (output, context) => {
          const { record } = output as unknown as TRawRecord;
          if (!(record.length === 1 && record[0] === '')) records.push({ line, fields: record.map(unescapeFormula) });
          moveTo(start + context.bytes);
          return null; // collected above
        },
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      errors.push({ line, message: SYNTAX_ERRORS[error.code] ?? error.message });
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') break; // the rest of the file is inside the quotes
      const readBytes = typeof error.raw === 'string' ? Buffer.byteLength(error.raw) : 0;
      moveTo(afterLineBreak(bytes, offset + readBytes));
      if (errors.length === MAX_SYNTAX_ERRORS && offset < bytes.length) {
        errors.push({ line, message: `More than ${MAX_SYNTAX_ERRORS} malformed records: the rest is not read` });
        break;
      }
    }
  }
  return { records, errors };
}

/**
 * Formats rows as RFC 4180 CSV with CRLF line ends (and a final CRLF), formula-like cells escaped. Fields are quoted
 * when they hold a comma, quote or line break, or start or end with white space (which trimming readers drop).
 */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], {
    record_delimiter: 'windows',
    quote_record_delimiter: true, // also a lone LF or CR, which readers take for a line end
    quoted_match: /^\s|\s$/,
    cast: { string: escapeFormula },
  });
}
