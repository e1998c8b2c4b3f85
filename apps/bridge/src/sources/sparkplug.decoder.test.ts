import { describe, expect, it } from 'vitest';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  metricValueOf,
  parseSparkplugTopic,
  readWireValue,
} from './sparkplug.decoder.ts';

describe('parseSparkplugTopic', () => {
  it.each([
    ['spBv1.0/g1/NBIRTH/edge', { groupId: 'g1', messageType: 'NBIRTH', edgeNodeId: 'edge', deviceId: null }],
    ['spBv1.0/g1/DDATA/edge/dev:1', { groupId: 'g1', messageType: 'DDATA', edgeNodeId: 'edge', deviceId: 'dev:1' }],
    ['spBv1.0/g1/NCMD/edge', { groupId: 'g1', messageType: 'NCMD', edgeNodeId: 'edge', deviceId: null }],
  ])('parses %s', (topic, expected) => {
    expect(parseSparkplugTopic(topic)).toEqual(expected);
  });

  it.each([
    'spBv1.0/STATE/host', // host application state, not an edge message
    'spBv1.0/g1/NDATA/edge/dev', // node message with a device
    'spBv1.0/g1/DDATA/edge', // device message without a device
    'spBv1.0/g1/XDATA/edge',
    'spAv1.0/g1/NDATA/edge',
    'spBv1.0/g1/DDATA/edge/dev/extra',
    'spBv1.0/g1/DDATA/edge/',
  ])('rejects %s', (topic) => {
    expect(parseSparkplugTopic(topic)).toBeNull();
  });
});

describe('decodeSparkplugPayload', () => {
  it('turns protobuf Longs into numbers and keeps the value as it came on the wire', () => {
    const bytes = encodeSparkplugPayload({
      timestampMs: 1_764_000_000_123,
      seq: 255,
      metrics: [
        { name: 'GoodCount', alias: 3, type: 'UInt64', value: 2 ** 40 + 5, timestampMs: 1_764_000_000_100 },
        { alias: 1, type: 'String', value: null },
        { alias: 2, type: 'Boolean', value: true },
      ],
    });
    expect(decodeSparkplugPayload(bytes)).toEqual({
      timestampMs: 1_764_000_000_123,
      seq: 255,
      metrics: [
        {
          name: 'GoodCount',
          alias: 3,
          type: 'UInt64',
          isNull: false,
          wireValue: { field: 'long', value: 2n ** 40n + 5n },
          timestampMs: 1_764_000_000_100,
        },
        { name: null, alias: 1, type: 'String', isNull: true, wireValue: null, timestampMs: null },
        {
          name: null,
          alias: 2,
          type: 'Boolean',
          isNull: false,
          wireValue: { field: 'boolean', value: true },
          timestampMs: null,
        },
      ],
    });
  });

  it('regression: a DATA metric without a datatype (as the spec recommends) keeps its value for the birth datatype', () => {
    const bytes = encodeSparkplugPayload({
      timestampMs: 1_764_000_000_000,
      seq: 3,
      metrics: [{ alias: 2, type: 'UInt64', value: 110, isDatatypeOmitted: true }],
    });
    const [metric] = decodeSparkplugPayload(bytes).metrics;
    expect(metric).toMatchObject({ alias: 2, type: null, wireValue: { field: 'long', value: 110n } });
    expect(metric && metricValueOf(metric)).toBeUndefined(); // no type: unreadable on its own
    expect(metric && metricValueOf(metric, 'UInt64')).toBe(110);
  });

  it('regression: throws on bytes that are not a Sparkplug B payload (so they can be dead-lettered)', () => {
    expect(() => decodeSparkplugPayload(new Uint8Array([0xff, 0xff, 0x0f]))).toThrow();
  });
});

describe('readWireValue (Sparkplug B 3.0 ch. 6 "Datatype Details")', () => {
  it.each([
    ['Int32', { field: 'int', value: 0xffff_fffe }, -2], // two's complement in a uint32
    ['Int8', { field: 'int', value: 0xffff_ffff }, -1],
    ['UInt32', { field: 'int', value: 0xffff_fffe }, 4_294_967_294],
    ['UInt32', { field: 'long', value: 7n }, 7], // as the Tahu JavaScript library sends it
    ['Int64', { field: 'long', value: 2n ** 64n - 3n }, -3],
    ['UInt64', { field: 'long', value: 2n ** 53n - 1n }, 2 ** 53 - 1],
    ['DateTime', { field: 'long', value: 1_764_000_000_000n }, 1_764_000_000_000],
    ['Double', { field: 'double', value: 1.5 }, 1.5],
    ['Float', { field: 'float', value: 0.5 }, 0.5],
    ['Boolean', { field: 'boolean', value: false }, false],
    ['String', { field: 'string', value: 'DOWN' }, 'DOWN'],
    ['Text', { field: 'string', value: 'x' }, 'x'],
  ] as const)('reads %s (case %#)', (type, wire, expected) => {
    expect(readWireValue(type, wire)).toBe(expected);
  });

  it.each([
    ['UInt64', { field: 'long', value: 2n ** 53n + 1n }], // beyond exact JS numbers
    ['Int32', { field: 'string', value: '12' }], // the wrong field for the type
    ['Boolean', { field: 'int', value: 1 }],
    ['String', { field: 'boolean', value: true }],
    ['DataSet', { field: 'other' }], // nothing a machine signal can be
    ['Bytes', { field: 'other' }],
    ['Int32', null],
  ] as const)('cannot read %s (case %#)', (type, wire) => {
    expect(readWireValue(type, wire)).toBeUndefined();
  });
});
