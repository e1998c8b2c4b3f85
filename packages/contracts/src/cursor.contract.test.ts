// The list-cursor codec: what a list gives out decodes to the same sort key, and a forged key is refused.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorCodec, ZCursorBigintId, ZCursorInstant, ZCursorText, ZCursorUuid } from './cursor.contract.ts';
import { ZInstant } from './instant.contract.ts';

const codec = cursorCodec(z.tuple([ZCursorText, ZCursorInstant, ZCursorUuid, ZCursorBigintId]));
const forge = (tuple: unknown[]) => Buffer.from(JSON.stringify(tuple)).toString('base64url');
const UUID = '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b';

describe('cursorCodec', () => {
  it('decodes what it encodes, with UTF-8 text and the largest int8 id', () => {
    const position: z.output<typeof codec.tuple> = [
      'Presse «Süd» 3',
      new Date('2026-01-05T06:00:00.123Z'),
      UUID,
      9_223_372_036_854_775_807n,
    ];
    const cursor = codec.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.param.parse(cursor)).toEqual(position);
    expect(codec.param.parse(undefined)).toBeUndefined();
  });

  it.each([
    ['36 dashes as a UUID', ['a', '2026-01-05T06:00:00.000Z', '-'.repeat(36), '1']],
    ['an id beyond int8', ['a', '2026-01-05T06:00:00.000Z', UUID, '9223372036854775808']],
    ['id 0', ['a', '2026-01-05T06:00:00.000Z', UUID, '0']],
    ['year 0000', ['a', '0000-01-01T00:00:00.000Z', UUID, '1']],
    ['year 10000', ['a', '+010000-01-01T00:00:00.000Z', UUID, '1']],
    ['a NUL in text', ['a\u0000', '2026-01-05T06:00:00.000Z', UUID, '1']],
    ['a short tuple', ['a', '2026-01-05T06:00:00.000Z', UUID]],
  ])('refuses %s with one message', (_label, tuple) => {
    const result = codec.param.safeParse(forge(tuple));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Not a cursor of this list: pass the nextCursor of the previous page unchanged.',
    ]);
  });

  it.each(['!!!', 'abc', Buffer.from('not json').toString('base64url'), 'x'.repeat(501), ''])(
    'refuses garbage %j',
    (cursor) => {
      expect(codec.param.safeParse(cursor).success).toBe(false);
    },
  );
});

describe('ZInstant', () => {
  it('takes the years 0001–9999 UTC only', () => {
    expect(ZInstant.safeParse('0001-01-01T00:00:00Z').success).toBe(true);
    expect(ZInstant.safeParse('9999-12-31T23:59:59.999Z').success).toBe(true);
    expect(ZInstant.safeParse('0000-12-31T23:00:00Z').success).toBe(false);
    expect(ZInstant.safeParse('0001-01-01T00:30:00+01:00').success).toBe(false);
    expect(ZInstant.safeParse('9999-12-31T23:00:00-05:00').success).toBe(false);
  });
});
