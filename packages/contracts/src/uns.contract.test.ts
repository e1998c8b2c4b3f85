import { describe, expect, it } from 'vitest';
import {
  parseUnsTopic,
  unsTopic,
  ZUmhCountPayload,
  ZUnsCountPayload,
  ZUnsStatePayload,
  ZUnsTopicPrefix,
} from './uns.contract.ts';

const TS_MS = 1_732_520_000_000;

describe('parseUnsTopic', () => {
  it.each([
    [
      'takt',
      'takt/plant1/assembly/line1/press1/state',
      { machinePath: 'plant1/assembly/line1/press1', signal: 'state' },
    ],
    [
      'takt',
      'takt/plant1/assembly/line1/press1/count',
      { machinePath: 'plant1/assembly/line1/press1', signal: 'count' },
    ],
    ['umh/v1/acme', 'umh/v1/acme/s/a/l/m/state', { machinePath: 's/a/l/m', signal: 'state' }],
  ])('prefix %s, topic %s → %o', (prefix, topic, expected) => {
    expect(parseUnsTopic(prefix, topic)).toEqual(expected);
  });

  it.each([
    ['other prefix', 'taktx/plant1/assembly/line1/press1/state'],
    ['prefix only', 'takt'],
    ['too few levels', 'takt/plant1/assembly/line1/state'],
    ['too many levels', 'takt/plant1/assembly/line1/press1/extra/state'],
    ['unknown signal', 'takt/plant1/assembly/line1/press1/temperature'],
    ['empty level', 'takt/plant1//line1/press1/state'],
    ['trailing slash', 'takt/plant1/assembly/line1/press1/state/'],
    ['wildcard level', 'takt/plant1/+/line1/press1/state'],
  ])('returns null for %s', (_name, topic) => {
    expect(parseUnsTopic('takt', topic)).toBeNull();
  });

  it('round-trips with unsTopic', () => {
    const topic = unsTopic('takt', 'plant1/assembly/line1/press1', 'count');
    expect(topic).toBe('takt/plant1/assembly/line1/press1/count');
    expect(parseUnsTopic('takt', topic)).toEqual({ machinePath: 'plant1/assembly/line1/press1', signal: 'count' });
  });
});

describe('ZUnsTopicPrefix', () => {
  it.each(['takt', 'umh/v1/acme', 'a-b_c'])('accepts %s', (prefix) => {
    expect(ZUnsTopicPrefix.safeParse(prefix).success).toBe(true);
  });
  it.each(['', '/takt', 'takt/', 'a//b', 'takt/#', 'takt/+'])('rejects %j', (prefix) => {
    expect(ZUnsTopicPrefix.safeParse(prefix).success).toBe(false);
  });
});

describe('ZUnsStatePayload', () => {
  it('accepts a Takt state with reason and product', () => {
    const parsed = ZUnsStatePayload.parse({ state: 'DOWN', timestamp_ms: TS_MS, reason: 'MECH', product: 'P-1' });
    expect(parsed).toEqual({ state: 'DOWN', timestamp_ms: TS_MS, reason: 'MECH', product: 'P-1' });
  });
  it('accepts a numeric state code', () => {
    expect(ZUnsStatePayload.parse({ state: 10000, timestamp_ms: TS_MS }).state).toBe(10000);
  });
  it.each([
    ['unknown state name', { state: 'RUNNING', timestamp_ms: TS_MS }],
    ['lower-case state', { state: 'producing', timestamp_ms: TS_MS }],
    ['missing timestamp', { state: 'IDLE' }],
    ['timestamp in seconds', { state: 'IDLE', timestamp_ms: 1_732_520_000 }],
    ['fractional timestamp', { state: 'IDLE', timestamp_ms: TS_MS + 0.5 }],
    ['negative code', { state: -1, timestamp_ms: TS_MS }],
    ['empty reason', { state: 'DOWN', timestamp_ms: TS_MS, reason: '' }],
  ])('rejects %s', (_name, payload) => {
    expect(ZUnsStatePayload.safeParse(payload).success).toBe(false);
  });
});

describe('ZUnsCountPayload / ZUmhCountPayload', () => {
  it('accepts good with optional reject', () => {
    expect(ZUnsCountPayload.parse({ good: 3, timestamp_ms: TS_MS })).toEqual({ good: 3, timestamp_ms: TS_MS });
    expect(ZUnsCountPayload.parse({ good: 0, reject: 2, timestamp_ms: TS_MS }).reject).toBe(2);
  });
  it.each([
    ['negative delta', { good: -1, timestamp_ms: TS_MS }],
    ['fractional delta', { good: 1.5, timestamp_ms: TS_MS }],
    ['string delta', { good: '3', timestamp_ms: TS_MS }],
    ['huge delta', { good: 10_000_000, timestamp_ms: TS_MS }],
  ])('rejects %s', (_name, payload) => {
    expect(ZUnsCountPayload.safeParse(payload).success).toBe(false);
  });
  it('accepts the UMH shape and rejects scrap above count', () => {
    expect(ZUmhCountPayload.parse({ count: 10, scrap: 5, timestamp_ms: TS_MS }).scrap).toBe(5);
    expect(ZUmhCountPayload.safeParse({ count: 1, scrap: 2, timestamp_ms: TS_MS }).success).toBe(false);
  });
});
