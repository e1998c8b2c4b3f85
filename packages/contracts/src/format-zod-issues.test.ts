// formatZodIssues: one line per failed parse, paths named, the root named, line breaks in messages removed.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatZodIssues } from './format-zod-issues.ts';

const ZPayload = z.object({
  machine: z.string(),
  counts: z.array(z.object({ good: z.int().min(0) })),
});

function errorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failed parse');
  return result.error;
}

describe('formatZodIssues', () => {
  it('names each issue by its dot-joined path, on one line', () => {
    const error = errorOf(ZPayload, { machine: 7, counts: [{ good: 1 }, { good: -1 }] });
    expect(formatZodIssues(error)).toBe(
      'machine: Invalid input: expected string, received number; counts.1.good: Too small: expected number to be >=0',
    );
  });

  it('names an issue of the value itself (root), keeps the first maxIssues and labels paths as asked', () => {
    expect(formatZodIssues(errorOf(ZPayload, 'text'))).toBe('(root): Invalid input: expected object, received string');
    const error = errorOf(ZPayload, { machine: 7, counts: 'none' });
    expect(formatZodIssues(error, { maxIssues: 1 })).toBe('machine: Invalid input: expected string, received number');
    expect(formatZodIssues(error, { label: (path) => `<${path}>`, maxIssues: 1 })).toMatch(/^<machine>: /);
  });

  it('puts a message with line breaks on one line', () => {
    const error = errorOf(
      z.string().refine(() => false, { message: 'first line\r\n  second line' }),
      'x',
    );
    expect(formatZodIssues(error)).toBe('(root): first line second line');
  });
});
