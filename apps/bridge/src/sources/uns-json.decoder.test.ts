import { describe, expect, it } from 'vitest';
import { decodeUnsMessage, UNS_CLEARED_WHY, UNS_MAX_PAYLOAD_BYTES } from './uns-json.decoder.ts';

const TS_MS = 1_732_520_000_000;
const STATE_TOPIC = 'takt/plant1/assembly/line1/press1/state';
const COUNT_TOPIC = 'takt/plant1/assembly/line1/press1/count';

function decode(address: string, payload: string | Uint8Array) {
  return decodeUnsMessage('takt', {
    address,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
  });
}

describe('decodeUnsMessage', () => {
  it('decodes a state message', () => {
    const result = decode(
      STATE_TOPIC,
      JSON.stringify({ state: 'DOWN', timestamp_ms: TS_MS, reason: 'JAM', product: 'P1' }),
    );
    expect(result).toMatchObject({
      ok: true,
      event: {
        type: 'state',
        machinePath: 'plant1/assembly/line1/press1',
        tsMs: TS_MS,
        state: 'DOWN',
        reasonCode: 'JAM',
        productCode: 'P1',
      },
    });
  });

  it('passes a UMH state code on as reported (the pipeline maps it and keeps the raw code)', () => {
    const result = decode(STATE_TOPIC, JSON.stringify({ state: 180000, timestamp_ms: TS_MS }));
    expect(result).toEqual({
      ok: true,
      event: { type: 'state', machinePath: 'plant1/assembly/line1/press1', tsMs: TS_MS, state: 180000 },
    });
  });

  it('decodes a count message, reject defaulting to 0', () => {
    expect(decode(COUNT_TOPIC, JSON.stringify({ good: 4, timestamp_ms: TS_MS }))).toMatchObject({
      ok: true,
      event: { type: 'count', good: 4, reject: 0, tsMs: TS_MS },
    });
  });

  it('decodes UMH count/scrap as good = count − scrap', () => {
    expect(decode(COUNT_TOPIC, JSON.stringify({ count: 10, scrap: 3, timestamp_ms: TS_MS }))).toMatchObject({
      ok: true,
      event: { good: 7, reject: 3 },
    });
  });

  it.each([
    ['unknown topic', 'takt/plant1/assembly/line1/press1/temperature', '{}', /^unknown topic/],
    ['short topic', 'takt/plant1/press1/state', '{}', /^unknown topic/],
    ['invalid JSON', STATE_TOPIC, '{"state":', /^invalid JSON/],
    ['binary payload', STATE_TOPIC, Uint8Array.from([0xff, 0x00]), /^invalid JSON/],
    ['JSON array', STATE_TOPIC, '[]', /^schema violation \(state\)/],
    ['unknown state name', STATE_TOPIC, JSON.stringify({ state: 'RUNNING', timestamp_ms: TS_MS }), /state/],
    ['unknown state code', STATE_TOPIC, JSON.stringify({ state: 500, timestamp_ms: TS_MS }), /^unknown state code 500/],
    ['missing timestamp', STATE_TOPIC, JSON.stringify({ state: 'IDLE' }), /timestamp_ms/],
    [
      'negative count',
      COUNT_TOPIC,
      JSON.stringify({ good: -2, timestamp_ms: TS_MS }),
      /^schema violation \(count\): good/,
    ],
    ['UMH scrap above count', COUNT_TOPIC, JSON.stringify({ count: 1, scrap: 2, timestamp_ms: TS_MS }), /UMH shape/],
    ['huge payload', STATE_TOPIC, 'x'.repeat(UNS_MAX_PAYLOAD_BYTES + 1), /^payload too large/],
  ])('rejects %s', (_name, address, payload, reason) => {
    const result = decode(address, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each([
    ['a state topic', STATE_TOPIC],
    ['a count topic', COUNT_TOPIC],
    ['an unknown topic', 'takt/plant1/assembly/line1/press1/temperature'],
  ])('regression: an empty payload on %s is a retained value cleared: ignored, not an error', (_name, address) => {
    expect(decode(address, new Uint8Array())).toEqual({ ok: 'ignore', why: UNS_CLEARED_WHY });
  });

  describe('with a value map on the state topic', () => {
    const valueMaps = new Map([
      [STATE_TOPIC, { '1': 'PRODUCING', '2': 'DOWN', Setup: 'CHANGEOVER', true: 'PRODUCING' }],
    ]);
    const decodeMapped = (state: unknown) =>
      decodeUnsMessage(
        'takt',
        { address: STATE_TOPIC, payload: new TextEncoder().encode(JSON.stringify({ state, timestamp_ms: TS_MS })) },
        valueMaps,
      );

    it.each([
      [1, 'PRODUCING'],
      [2, 'DOWN'],
      ['Setup', 'CHANGEOVER'],
      [true, 'PRODUCING'],
    ])('maps %j to %s', (state, expected) => {
      expect(decodeMapped(state)).toMatchObject({ ok: true, event: { type: 'state', state: expected } });
    });

    it('regression: rejects a value the map does not hold instead of reading it as PackML', () => {
      expect(decodeMapped(6)).toEqual({
        ok: false,
        reason: 'state value 6 is not in the value map of its signal mapping',
      });
    });

    it('leaves the other topics to the presets', () => {
      const other = 'takt/plant1/assembly/line1/press2/state';
      expect(
        decodeUnsMessage(
          'takt',
          { address: other, payload: new TextEncoder().encode(JSON.stringify({ state: 6, timestamp_ms: TS_MS })) },
          valueMaps,
        ),
      ).toMatchObject({ ok: true, event: { state: 6 } });
    });
  });
});
