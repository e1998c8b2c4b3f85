import { describe, expect, it } from 'vitest';
import { decodeSparkplugPayload, encodeSparkplugPayload, parseSparkplugTopic } from './sparkplug.decoder.ts';

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
  it('turns protobuf Longs into numbers and keeps is_null as null', () => {
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
        { name: 'GoodCount', alias: 3, type: 'UInt64', value: 2 ** 40 + 5, timestampMs: 1_764_000_000_100 },
        { name: null, alias: 1, type: 'String', value: null, timestampMs: null },
        { name: null, alias: 2, type: 'Boolean', value: true, timestampMs: null },
      ],
    });
  });

  it('regression: throws on bytes that are not a Sparkplug B payload (so they can be dead-lettered)', () => {
    expect(() => decodeSparkplugPayload(new Uint8Array([0xff, 0xff, 0x0f]))).toThrow();
  });
});
