import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_PAYLOAD_MAX_BYTES, encodeDeadLetterPayload } from './dead-letter-payload.encoder.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('encodeDeadLetterPayload', () => {
  it('keeps small text as it is', () => {
    expect(encodeDeadLetterPayload(utf8('{"state":'))).toEqual({
      payload: '{"state":',
      isTruncated: false,
      encoding: 'utf8',
    });
  });

  it('cuts long text to 8 KiB on a character boundary', () => {
    // 'ü' is 2 bytes: 8191 ASCII bytes + 'ü' would end mid-character at 8192.
    const text = `${'a'.repeat(DEAD_LETTER_PAYLOAD_MAX_BYTES - 1)}ü${'b'.repeat(100)}`;
    const encoded = encodeDeadLetterPayload(utf8(text));
    expect(encoded.isTruncated).toBe(true);
    expect(encoded.encoding).toBe('utf8');
    expect(encoded.payload).toBe('a'.repeat(DEAD_LETTER_PAYLOAD_MAX_BYTES - 1));
  });

  it('stores binary as base64', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x01]);
    expect(encodeDeadLetterPayload(bytes)).toEqual({ payload: '//4AAQ==', isTruncated: false, encoding: 'base64' });
  });

  it('stores text holding NUL as base64, because PostgreSQL text cannot hold it', () => {
    expect(encodeDeadLetterPayload(utf8('a\u0000b')).encoding).toBe('base64');
  });

  it('bounds base64 to 8 KiB characters', () => {
    const encoded = encodeDeadLetterPayload(new Uint8Array(100_000).fill(0xff));
    expect(encoded.isTruncated).toBe(true);
    expect(encoded.payload.length).toBeLessThanOrEqual(DEAD_LETTER_PAYLOAD_MAX_BYTES);
  });
});
