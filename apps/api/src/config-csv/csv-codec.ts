// A small RFC 4180 CSV reader and writer: comma-separated fields, fields quoted with `"` may hold commas,
// line breaks and doubled quotes; records end with CRLF (LF or a lone CR are accepted too). Records keep the
// line of the file where they start, so that import errors can name it.

export type TCsvRecord = { line: number; fields: string[] };
export type TCsvSyntaxError = { line: number; message: string };
export type TCsvParseResult = { records: TCsvRecord[]; errors: TCsvSyntaxError[] };

const BYTE_ORDER_MARK = '\uFEFF';

function isLineBreak(c: string | undefined): boolean {
  return c === '\r' || c === '\n';
}

/** Parses CSV text into records; blank lines are skipped and a malformed record becomes an error. */
export function parseCsv(input: string): TCsvParseResult {
  const text = input.startsWith(BYTE_ORDER_MARK) ? input.slice(1) : input;
  const records: TCsvRecord[] = [];
  const errors: TCsvSyntaxError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let error: string | null = null;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        let isClosed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            isClosed = true;
            break;
          }
          // Line breaks inside a quoted field still advance the file's line count (CRLF counts once).
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          field += c;
          i++;
        }
        if (!isClosed) error ??= 'A quoted field is not closed (missing `"`)';
        else if (i < n && text[i] !== ',' && !isLineBreak(text[i])) {
          error ??= 'Unexpected text after a closing quote (double a quote inside a quoted field: "")';
          while (i < n && text[i] !== ',' && !isLineBreak(text[i])) field += text[i++];
        }
      } else {
        while (i < n && text[i] !== ',' && !isLineBreak(text[i])) {
          if (text[i] === '"')
            error ??= 'A quote inside an unquoted field (quote the whole field and double the quote)';
          field += text[i++];
        }
      }
      fields.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
      else if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (error !== null) errors.push({ line: recordLine, message: error });
    else if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
  }
  return { records, errors };
}

function formatField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Formats rows as RFC 4180 CSV with CRLF line ends (and a final CRLF). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(formatField).join(',') + '\r\n').join('');
}
