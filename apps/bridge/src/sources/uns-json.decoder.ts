// Decodes one UNS JSON message (topic + payload bytes) into an ingest event, or into the reason it cannot be
// one. Pure, so that every malformed-input case is a table-driven unit test. Contract: @takt/contracts
// uns.contract.ts and apps/bridge/README.md.
import { parseUnsTopic, ZUmhCountPayload, ZUnsCountPayload, ZUnsStatePayload, type TUnsSignal } from '@takt/contracts';
import type { z } from 'zod';
import type { CountEvent, EventOrigin, StateEvent } from '../ingest/ingest-event.ts';
import { mapStateCode } from '../ingest/state-code.mapping.ts';

/** Payloads above this are not parsed at all: every valid UNS payload is a few hundred bytes. */
export const UNS_MAX_PAYLOAD_BYTES = 64 * 1024;

export type UnsDecodeResult = { ok: true; event: StateEvent | CountEvent } | { ok: false; reason: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(strictUtf8.decode(bytes)) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `invalid JSON: ${detail}` };
  }
}

function decodeState(machinePath: string, value: unknown, origin: EventOrigin): UnsDecodeResult {
  const parsed = ZUnsStatePayload.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `schema violation (state): ${describeIssues(parsed.error)}` };
  const mapped = mapStateCode(parsed.data.state);
  if (!mapped)
    return {
      ok: false,
      reason: `unknown state code ${String(parsed.data.state)} (not PackML 0–17 or UMH 10000–229999)`,
    };
  return {
    ok: true,
    event: {
      signal: 'state',
      machinePath,
      tsMs: parsed.data.timestamp_ms,
      state: mapped.state,
      sourceCode: mapped.sourceCode,
      reasonCode: parsed.data.reason ?? null,
      productCode: parsed.data.product ?? null,
      origin,
    },
  };
}

function decodeCount(machinePath: string, value: unknown, origin: EventOrigin): UnsDecodeResult {
  const takt = ZUnsCountPayload.safeParse(value);
  if (takt.success) {
    const { good, reject, timestamp_ms: tsMs } = takt.data;
    return {
      ok: true,
      event: { signal: 'count', machinePath, tsMs, goodCount: good, rejectCount: reject ?? 0, origin },
    };
  }
  // UMH's classic shape has `count` instead of `good`; only then is it worth trying.
  if (typeof value === 'object' && value !== null && 'count' in value && !('good' in value)) {
    const umh = ZUmhCountPayload.safeParse(value);
    if (!umh.success) return { ok: false, reason: `schema violation (count, UMH shape): ${describeIssues(umh.error)}` };
    const { count, scrap = 0, timestamp_ms: tsMs } = umh.data;
    return {
      ok: true,
      event: { signal: 'count', machinePath, tsMs, goodCount: count - scrap, rejectCount: scrap, origin },
    };
  }
  return { ok: false, reason: `schema violation (count): ${describeIssues(takt.error)}` };
}

const DECODERS: Record<TUnsSignal, (machinePath: string, value: unknown, origin: EventOrigin) => UnsDecodeResult> = {
  state: decodeState,
  count: decodeCount,
};

/** Decodes a message received on `origin.address` under the UNS `prefix`. */
export function decodeUnsMessage(prefix: string, origin: EventOrigin): UnsDecodeResult {
  const topic = parseUnsTopic(prefix, origin.address);
  if (!topic) {
    return { ok: false, reason: `unknown topic: expected ${prefix}/{site}/{area}/{line}/{machine}/{state|count}` };
  }
  if (origin.payload.length > UNS_MAX_PAYLOAD_BYTES) {
    return { ok: false, reason: `payload too large: ${origin.payload.length} bytes (limit ${UNS_MAX_PAYLOAD_BYTES})` };
  }
  const json = parseJson(origin.payload);
  if (!json.ok) return json;
  return DECODERS[topic.signal](topic.machinePath, json.value, origin);
}
