// formatDuration: two units at most, zero units dropped, nonsense input shown as a dash.
import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [3_599, '59 min'],
    [3_600, '1 h'],
    [3_660, '1 h 1 min'],
    [90_061, '1 d 1 h'],
    [86_400 + 59, '1 d'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('formats %d s as "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
