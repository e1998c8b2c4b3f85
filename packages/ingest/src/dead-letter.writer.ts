// Dead letters (dead_letter): messages that could not be applied, stored with their address, raw payload (text or
// base64, bounded: dead-letter-payload.encoder.ts) and the reason. Nothing in a dead letter may make its insert
// fail, or the message would be lost: the payload is encoded, and the address and reason (which may quote what a
// sender sent) have the characters PostgreSQL text refuses (NUL) or the driver would mangle (lone UTF-16
// surrogates) replaced by U+FFFD.
import type { Prisma, PrismaClient } from '@takt/db';
import { encodeDeadLetterPayload } from './dead-letter-payload.encoder.ts';
import type { DeadLetterInput } from './resolved-event.ts';

const REASON_MAX_CHARS = 2_000;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const iso = (ms: number): string => new Date(ms).toISOString();

/** `text` with every character PostgreSQL cannot store as text replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

/** Inserts dead letters within the caller's transaction (one statement). */
export async function insertDeadLetters(
  tx: Prisma.TransactionClient,
  deadLetters: readonly DeadLetterInput[],
): Promise<void> {
  if (deadLetters.length === 0) return;
  const rows = deadLetters.map((deadLetter) => {
    const encoded = encodeDeadLetterPayload(deadLetter.payload);
    const reason =
      encoded.encoding === 'base64' ? `${deadLetter.reason} (payload stored as base64)` : deadLetter.reason;
    return {
      ...deadLetter,
      encoded,
      address: storableText(deadLetter.address),
      reason: storableText(reason.slice(0, REASON_MAX_CHARS)),
    };
  });
  await tx.$executeRaw`
    INSERT INTO dead_letter (received_at, data_source_id, source_kind, address, payload, payload_truncated, reason)
    SELECT * FROM unnest(${rows.map((r) => iso(r.receivedAtMs))}::timestamptz[],
                         ${rows.map((r) => r.source.dataSourceId)}::uuid[],
                         ${rows.map((r) => r.source.kind)}::text[]::"DataSourceKind"[],
                         ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.encoded.payload)}::text[],
                         ${rows.map((r) => r.encoded.isTruncated)}::boolean[], ${rows.map((r) => r.reason)}::text[])`;
}

/** Writes dead letters alone: for events given up on (refused by the database, or the batch given up). */
export async function writeDeadLetters(prisma: PrismaClient, deadLetters: readonly DeadLetterInput[]): Promise<void> {
  await prisma.$transaction(async (tx) => insertDeadLetters(tx, deadLetters));
}
