import { describe, expect, it } from 'vitest';
import { decodeOpcUaSample, int64ToNumber, type OpcUaNodeMapping, type OpcUaSample } from './opcua.decoder.ts';

const MACHINE = 'plant1/assembly/line1/press1';
const node = (signal: OpcUaNodeMapping['signal']): OpcUaNodeMapping => ({
  nodeId: 'ns=1;s=x',
  machinePath: MACHINE,
  signal,
});
const sample = (overrides: Partial<OpcUaSample>): OpcUaSample => ({
  statusName: 'Good',
  isGood: true,
  dataType: 'String',
  value: null,
  sourceTimestampMs: 1_764_000_000_000,
  serverTimestampMs: 1_764_000_000_500,
  ...overrides,
});

describe('int64ToNumber', () => {
  it.each([
    [[0, 7], false, 7],
    [[2, 7], false, 2 * 2 ** 32 + 7],
    [[0, 0xffffffff], false, 0xffffffff],
    [[0xffffffff, 0xffffffff], true, -1], // Int64 −1
    [[0x00200000, 0], false, null], // 2^53: beyond a safe integer
    [42, false, 42],
    ['42', false, null],
  ])('regression: %j (signed %s) → %s', (value, isSigned, expected) => {
    expect(int64ToNumber(value, isSigned)).toBe(expected);
  });
});

describe('decodeOpcUaSample', () => {
  it('maps each signal to its event, with the source timestamp', () => {
    expect(decodeOpcUaSample(node('STATE'), sample({ value: 'DOWN' }), 0)).toEqual({
      ok: true,
      event: { type: 'state', machinePath: MACHINE, tsMs: 1_764_000_000_000, state: 'DOWN' },
    });
    expect(decodeOpcUaSample(node('STATE'), sample({ dataType: 'Int32', value: 6 }), 0)).toMatchObject({
      ok: true,
      event: { type: 'state', state: 6 },
    });
    expect(decodeOpcUaSample(node('PRODUCT'), sample({ value: 'P-100' }), 0)).toMatchObject({
      ok: true,
      event: { type: 'product', productCode: 'P-100' },
    });
    expect(
      decodeOpcUaSample(node('GOOD_COUNT'), sample({ dataType: 'Int64', value: [1, 2], sourceTimestampMs: null }), 0),
    ).toEqual({
      ok: true,
      event: { type: 'counter', machinePath: MACHINE, tsMs: 1_764_000_000_500, counter: 'good', value: 2 ** 32 + 2 },
    });
  });

  it.each([
    [
      'bad status',
      node('STATE'),
      sample({ statusName: 'BadSensorFailure', isGood: false, value: 'DOWN' }),
      /^bad value/,
    ],
    ['counter as Double', node('REJECT_COUNT'), sample({ dataType: 'Double', value: 1.5 }), /^type mismatch/],
    [
      'negative counter',
      node('GOOD_COUNT'),
      sample({ dataType: 'Int64', value: [0xffffffff, 0xfffffffe] }),
      /^type mismatch/,
    ],
    [
      'state as Boolean without a value map',
      node('STATE'),
      sample({ dataType: 'Boolean', value: true }),
      /^unknown state true/,
    ],
    ['state as an array', node('STATE'), sample({ dataType: 'Int32', value: [1, 2, 3] }), /^type mismatch/],
    [
      'regression: a state code missing from the value map (not read as PackML)',
      { ...node('STATE'), valueMap: { '1': 'PRODUCING' } },
      sample({ dataType: 'Int32', value: 6 }),
      /^state value 6 is not in the value map/,
    ],
    ['empty product', node('PRODUCT'), sample({ value: ' ' }), /^type mismatch/],
  ])('rejects %s', (_name, mapping, value, reason) => {
    const result = decodeOpcUaSample(mapping, value, 0);
    expect(result.ok).toBe(false);
    expect(result.ok === false ? result.reason : '').toMatch(reason);
  });

  it.each([
    ['Int32', 2, 'DOWN'],
    ['Int64', [0, 1], 'PRODUCING'],
    ['Boolean', true, 'PRODUCING'],
    ['Boolean', false, 'IDLE'],
    ['String', 'Setup', 'CHANGEOVER'],
  ])('maps a %s state %j through the value map to %s', (dataType, value, state) => {
    const mapping = {
      ...node('STATE'),
      valueMap: { '1': 'PRODUCING', '2': 'DOWN', true: 'PRODUCING', false: 'IDLE', Setup: 'CHANGEOVER' },
    };
    expect(decodeOpcUaSample(mapping, sample({ dataType, value }), 0)).toMatchObject({
      ok: true,
      event: { type: 'state', state },
    });
  });

  it('regression: a value that last changed a day ago, read on connect, is the current value at connect', () => {
    const connectedAtMs = 1_764_000_000_000 + 86_400_000;
    expect(decodeOpcUaSample(node('STATE'), sample({ value: 'PRODUCING' }), connectedAtMs + 5, connectedAtMs)).toEqual({
      ok: true,
      event: { type: 'state', machinePath: MACHINE, tsMs: connectedAtMs, state: 'PRODUCING' },
    });
    // A change after the connect keeps its own time.
    expect(
      decodeOpcUaSample(
        node('STATE'),
        sample({ value: 'DOWN', sourceTimestampMs: connectedAtMs + 3 }),
        0,
        connectedAtMs,
      ),
    ).toMatchObject({ event: { tsMs: connectedAtMs + 3 } });
  });

  it('skips the start-up Bad_WaitingForInitialData and null values', () => {
    expect(
      decodeOpcUaSample(node('STATE'), sample({ statusName: 'BadWaitingForInitialData', isGood: false }), 0).ok,
    ).toBe('ignore');
    expect(decodeOpcUaSample(node('STATE'), sample({ value: null }), 0).ok).toBe('ignore');
  });
});
