import { describe, expect, it } from 'vitest';
import { mapStateCode, mapStateValue } from './state-code.mapping.ts';

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

describe('mapStateValue', () => {
  describe('without a value map: Takt names and the PackML/UMH presets', () => {
    it.each([
      ['DOWN', 'DOWN'],
      [6, 6],
      [180003, 180003],
      [6.0, 6],
    ] as const)('accepts %j', (raw, state) => {
      expect(mapStateValue(raw, null)).toEqual({ ok: true, state });
    });

    it.each(['Running', 'down', 42, -1, 6.5, true, ''])('rejects %j with a reason that names value maps', (raw) => {
      expect(mapStateValue(raw, null)).toEqual({
        ok: false,
        reason: expect.stringMatching(/^unknown state .*value map/),
      });
    });
  });

  describe('with a value map: only its keys, mapped to Takt names or preset codes', () => {
    const custom = { '1': 'PRODUCING', '2': 'DOWN', '3': 6, Running: 'PRODUCING', true: 'PRODUCING', false: 'IDLE' };

    it.each([
      [1, 'PRODUCING'], // a custom integer code
      ['Running', 'PRODUCING'], // a custom text
      [true, 'PRODUCING'], // a Boolean "running" bit
      [false, 'IDLE'],
      [3, 6], // a preset code as target: PackML Execute, mapped (and kept as source code) by the pipeline
    ] as const)('maps %j to %j', (raw, state) => {
      expect(mapStateValue(raw, custom)).toEqual({ ok: true, state });
    });

    it('regression: a code missing from the map is rejected, not read as PackML', () => {
      expect(mapStateValue(6, custom)).toEqual({
        ok: false,
        reason: 'state value 6 is not in the value map of its signal mapping',
      });
      expect(mapStateValue('DOWN', custom)).toMatchObject({ ok: false });
    });

    it('rejects a map entry that names no state', () => {
      expect(mapStateValue(1, { '1': 'RUNNING' })).toEqual({
        ok: false,
        reason: expect.stringMatching(/^the value map turns state value 1 into "RUNNING", which is neither/),
      });
      expect(mapStateValue('x', { x: true })).toMatchObject({ ok: false });
    });

    it('does not read inherited keys as entries', () => {
      expect(mapStateValue('constructor', {})).toMatchObject({ ok: false });
    });
  });
});
