// The RFC 4180 reader/writer: quoting, escaped quotes, CRLF, line numbers of records, malformed input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from './csv-codec.ts';

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
    expect(parseCsv('\uFEFFa,,c\r\n\r\n,\r\n""x""'.replace('""x""', '"",')).records).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 3, fields: ['', ''] },
      { line: 4, fields: ['', ''] },
    ]);
  });

  it('reports malformed records with their line and goes on with the next', () => {
    const { records, errors } = parseCsv('a,b\r\nx"y,z\r\n"q"r,s\r\nok,1\r\n"open,2\r\nmore');
    expect(errors).toEqual([
      { line: 2, message: expect.stringMatching(/quote inside an unquoted field/) },
      { line: 3, message: expect.stringMatching(/after a closing quote/) },
      { line: 5, message: expect.stringMatching(/not closed/) },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
  });
});

describe('formatCsv', () => {
  it('quotes only what needs quoting and ends lines with CRLF', () => {
    expect(formatCsv([['a', 'b,c', 'say "x"', ' pad', 'two\nlines', '']])).toBe(
      'a,"b,c","say ""x"""," pad","two\nlines",\r\n',
    );
  });

  it('round-trips any table of strings', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', 'ä', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { maxLength: 6 }), (rows) => {
        const { records, errors } = parseCsv(formatCsv(rows));
        expect(errors).toEqual([]);
        expect(records.map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});
