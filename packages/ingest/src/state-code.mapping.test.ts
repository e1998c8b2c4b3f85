import { describe, expect, it } from 'vitest';
import { mapStateCode } from './state-code.mapping.ts';

describe('mapStateCode', () => {
  it('passes Takt state names through without a source code', () => {
    expect(mapStateCode('CHANGEOVER')).toEqual({ state: 'CHANGEOVER', sourceCode: null });
  });

  it.each([
    [6, 'PRODUCING', 'packml:6'],
    [5, 'IDLE', 'packml:5'],
    [11, 'DOWN', 'packml:11'],
    [9, 'DOWN', 'packml:9'],
    [0, 'OFFLINE', 'packml:0'],
    [10000, 'PRODUCING', 'umh:10000'],
    [20000, 'PRODUCING', 'umh:20000'],
    [30000, 'OFFLINE', 'umh:30000'],
    [40100, 'IDLE', 'umh:40100'],
    [50000, 'IDLE', 'umh:50000'],
    [100010, 'CHANGEOVER', 'umh:100010'],
    [150000, 'PLANNED_STOP', 'umh:150000'],
    [170000, 'NO_ORDER', 'umh:170000'],
    [180003, 'DOWN', 'umh:180003'],
    [210000, 'PLANNED_STOP', 'umh:210000'],
    [229999, 'DOWN', 'umh:229999'],
  ])('maps %i to %s', (code, state, sourceCode) => {
    expect(mapStateCode(code)).toEqual({ state, sourceCode });
  });

  it.each([18, 19, 9999, 230000, 1_000_000])('returns null for the unknown code %i', (code) => {
    expect(mapStateCode(code)).toBeNull();
  });
});
