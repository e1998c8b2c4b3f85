// The RFC 4180 reader/writer: quoting, escaped quotes, CRLF, line numbers of records, malformed input, and the
// escaping of formula-like cells (OWASP "CSV injection").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeFormula, formatCsv, parseCsv, unescapeFormula } from './csv-codec.ts';

const AFTER_CLOSING_QUOTE = /after a closing quote/;

describe('parseCsv', () => {
  it('reads plain fields with CRLF, LF and lone CR line ends, and a missing final line end', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f\rg,h').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
    ]);
  });

  it('reads quoted fields with commas, escaped quotes and line breaks, and counts lines inside them', () => {
    const { records, errors } = parseCsv('name,note\r\n"Press, big","say ""hi""\r\nthen go"\r\nx,y\r\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Press, big', 'say "hi"\r\nthen go'] },
      { line: 4, fields: ['x', 'y'] },
    ]);
  });

  it('keeps empty fields, skips blank lines and strips a byte order mark', () => {
    expect(parseCsv('\uFEFFa,,c\r\n\r\n,\r\n"",').records).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 3, fields: ['', ''] },
      { line: 4, fields: ['', ''] },
    ]);
  });

  it('skips a line holding only an empty quoted field, as a blank line', () => {
    expect(parseCsv('a\r\n""\r\nb\r\n').records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: ['b'] },
    ]);
  });

  it('reports malformed records with their line and goes on with the next', () => {
    const { records, errors } = parseCsv('a,b\r\nx"y,z\r\n"q"r,s\r\nok,1\r\n"open,2\r\nmore');
    expect(errors).toEqual([
      { line: 2, message: expect.stringMatching(/quote inside an unquoted field/) },
      { line: 3, message: expect.stringMatching(AFTER_CLOSING_QUOTE) },
      { line: 5, message: expect.stringMatching(/not closed/) },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
  });

  it('counts a CRLF inside a quoted field once, and names the line where a malformed record starts', () => {
    const { records, errors } = parseCsv('a,b\r\n"x\r\ny",1\r\n"q"r,s\r\n"multi\r\nline"z,2\r\nok,3\r\n');
    expect(errors).toEqual([
      { line: 4, message: expect.stringMatching(AFTER_CLOSING_QUOTE) },
      { line: 5, message: expect.stringMatching(AFTER_CLOSING_QUOTE) },
    ]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\r\ny', '1'] },
      { line: 7, fields: ['ok', '3'] },
    ]);
  });

  it('counts lines right after multi-byte characters', () => {
    const { records, errors } = parseCsv('ä,"ö"x,ü\nok,1\n"ß\nµ"z\nlast,2');
    expect(errors.map((e) => e.line)).toEqual([1, 3]);
    expect(records).toEqual([
      { line: 2, fields: ['ok', '1'] },
      { line: 5, fields: ['last', '2'] },
    ]);
  });

  it('stops reading after 1000 malformed records', () => {
    const { records, errors } = parseCsv('x"y\n'.repeat(1500) + 'ok\n');
    expect(records).toEqual([]);
    expect(errors).toHaveLength(1001);
    expect(errors[1000]).toEqual({ line: 1001, message: 'More than 1000 malformed records: the rest is not read' });
  });
});

describe('formatCsv', () => {
  it('quotes only what needs quoting and ends lines with CRLF', () => {
    expect(formatCsv([['a', 'b,c', 'say "x"', ' pad', 'two\nlines', 'lone\rCR', '']])).toBe(
      'a,"b,c","say ""x"""," pad","two\nlines","lone\rCR",\r\n',
    );
  });

  it('round-trips any table of strings', () => {
    const unit = fc.constantFrom(
      'a',
      'Z',
      ' ',
      ',',
      '"',
      '\r',
      '\n',
      'ä',
      '1',
      "'",
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\uFF1D',
    );
    const cell = fc.string({ unit });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { maxLength: 6 }), (rows) => {
        const { records, errors } = parseCsv(formatCsv(rows));
        expect(errors).toEqual([]);
        expect(records.map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});

describe('formula-like cells (OWASP "CSV injection")', () => {
  it('are exported with a leading quote, so that a spreadsheet shows them as text', () => {
    const cells = ['=SUM(A1)', '+1', '-1', '@cmd', '\tx', '\rx', '\uFF1Dx', "'=x", "''-x"];
    expect(formatCsv([cells])).toBe(
      ["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tx", `"'\rx"`, "'\uFF1Dx", "''=x", "'''-x"].join(',') + '\r\n',
    );
    expect(formatCsv([["'quoted", 'a=b', 'x-1', '']])).toBe("'quoted,a=b,x-1,\r\n");
  });

  it('lose exactly one leading quote on import, and only before a formula character', () => {
    const fields = parseCsv(["'=SUM(A1)", "''-1", "'text", "''", '=raw'].join(',')).records[0]?.fields;
    expect(fields).toEqual(['=SUM(A1)', "'-1", "'text", "''", '=raw']);
  });

  it('escape and unescape as inverses', () => {
    const unit = fc.constantFrom("'", '=', '-', '@', '+', '\t', '\r', 'a', ' ');
    fc.assert(
      fc.property(fc.string({ unit }), (value) => {
        expect(unescapeFormula(escapeFormula(value))).toBe(value);
      }),
    );
  });
});
