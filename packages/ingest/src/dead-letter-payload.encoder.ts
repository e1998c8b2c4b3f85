// Turns a raw message payload into the bounded text stored in dead_letter.payload (schema.prisma
// DeadLetter: "raw payload, base64 for binary, cut to a bounded size"), so that one huge or binary message
// can neither bloat the table nor fail the insert (PostgreSQL text rejects NUL and invalid UTF-8).

/** Upper bound of the stored payload: 8 KiB of UTF-8 text, or 8 KiB of base64 characters. */
export const DEAD_LETTER_PAYLOAD_MAX_BYTES = 8 * 1024;

export type EncodedDeadLetterPayload = {
  payload: string;
  isTruncated: boolean;
  encoding: 'utf8' | 'base64';
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    const text = strictUtf8.decode(bytes);
    return text.includes('\u0000') ? null : text;
  } catch {
    return null;
  }
}

/** Encodes `bytes` as UTF-8 text when it is text, else base64, cut to at most `maxBytes`. */
export function encodeDeadLetterPayload(
  bytes: Uint8Array,
  maxBytes: number = DEAD_LETTER_PAYLOAD_MAX_BYTES,
): EncodedDeadLetterPayload {
  const whole = decodeUtf8(bytes);
  if (whole !== null) {
    if (bytes.length <= maxBytes) return { payload: whole, isTruncated: false, encoding: 'utf8' };
    // Cut on a character boundary: back off over at most 3 continuation bytes of a split code point.
    for (let end = maxBytes; end > maxBytes - 4 && end > 0; end -= 1) {
      const head = decodeUtf8(bytes.subarray(0, end));
      if (head !== null) return { payload: head, isTruncated: true, encoding: 'utf8' };
    }
  }
  // Binary (or text that would not cut cleanly): base64 of at most maxBytes characters (3 bytes → 4 chars).
  const maxRawBytes = Math.floor(maxBytes / 4) * 3;
  const isTruncated = bytes.length > maxRawBytes;
  const payload = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, maxRawBytes)).toString('base64');
  return { payload, isTruncated, encoding: 'base64' };
}
