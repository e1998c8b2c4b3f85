import { describe, expect, it } from 'vitest';
import { encodePlainArray, encodeTextArray } from './sql-array.encoder.ts';

describe('encodePlainArray', () => {
  it('writes numbers and booleans bare and null as NULL', () => {
    expect(encodePlainArray([1, -2, 1_732_530_000_123, null, 0])).toBe('{1,-2,1732530000123,NULL,0}');
    expect(encodePlainArray([true, false, null])).toBe('{true,false,NULL}');
    expect(encodePlainArray([])).toBe('{}');
  });
});

describe('encodeTextArray', () => {
  it('quotes every element, so that commas, braces, spaces and the word NULL stay text', () => {
    expect(encodeTextArray(['a,b', '{x}', ' padded ', 'NULL', '', null])).toBe(
      '{"a,b","{x}"," padded ","NULL","",NULL}',
    );
  });

  it('escapes double quotes and backslashes', () => {
    expect(encodeTextArray(['say "hi"', 'C:\\path', '\\"'])).toBe('{"say \\"hi\\"","C:\\\\path","\\\\\\""}');
  });
});
