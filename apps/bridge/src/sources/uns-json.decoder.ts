// Decodes one UNS JSON message (topic + payload bytes) into a normalized ingest event (@takt/contracts
// ingest.contract.ts), or into the reason it cannot be one. Pure, so that every malformed-input case is a
// table-driven unit test. Contract: @takt/contracts uns.contract.ts and apps/bridge/README.md.
import {
  parseUnsTopic,
  ZUmhCountPayload,
  ZUnsCountPayload,
  ZUnsStatePayload,
  ZUnsValueMappedStatePayload,
  type TIngestCountEvent,
  type TIngestStateEvent,
  type TUnsSignal,
  type TValueMap,
} from '@takt/contracts';
import { mapStateCode, mapStateValue } from '@takt/ingest';
import type { z } from 'zod';

/** Payloads above this are not parsed at all: every valid UNS payload is a few hundred bytes. */
export const UNS_MAX_PAYLOAD_BYTES = 64 * 1024;

export type UnsDecodeResult =
  | { ok: true; event: TIngestStateEvent | TIngestCountEvent }
  | { ok: false; reason: string }
  /** Nothing to ingest and nothing wrong (an empty payload: a retained value cleared). */
  | { ok: 'ignore'; why: string };

/** Value maps of the STATE signal mappings of the UNS data source, by topic (signal_mapping.address). */
export type UnsStateValueMaps = ReadonlyMap<string, TValueMap>;

export const UNS_CLEARED_WHY = 'empty payload: retained value cleared';

/** A received message: its topic and raw payload. */
export type UnsMessage = { address: string; payload: Uint8Array };

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

function decodeState(machinePath: string, value: unknown, valueMap: TValueMap | null): UnsDecodeResult {
  let state: TIngestStateEvent['state'];
  let payload: z.infer<typeof ZUnsStatePayload> | z.infer<typeof ZUnsValueMappedStatePayload>;
  if (valueMap) {
    // The machine's own codes: the value map of the topic's signal mapping says what they are.
    const parsed = ZUnsValueMappedStatePayload.safeParse(value);
    if (!parsed.success) return { ok: false, reason: `schema violation (state): ${describeIssues(parsed.error)}` };
    const mapped = mapStateValue(parsed.data.state, valueMap);
    if (!mapped.ok) return mapped;
    payload = parsed.data;
    state = mapped.state;
  } else {
    const parsed = ZUnsStatePayload.safeParse(value);
    if (!parsed.success) return { ok: false, reason: `schema violation (state): ${describeIssues(parsed.error)}` };
    // The pipeline maps the code again (and keeps the raw one as the interval's source_code); checked here too
    // so that the dead letter names the problem before anything else is resolved.
    if (!mapStateCode(parsed.data.state))
      return {
        ok: false,
        reason: `unknown state code ${String(parsed.data.state)} (not PackML 0–17 or UMH 10000–229999)`,
      };
    payload = parsed.data;
    state = parsed.data.state;
  }
  const { reason, product } = payload;
  return {
    ok: true,
    event: {
      type: 'state',
      machinePath,
      tsMs: payload.timestamp_ms,
      state,
      ...(reason === undefined ? {} : { reasonCode: reason }),
      ...(product === undefined ? {} : { productCode: product }),
    },
  };
}

function decodeCount(machinePath: string, value: unknown): UnsDecodeResult {
  const takt = ZUnsCountPayload.safeParse(value);
  if (takt.success) {
    const { good, reject, timestamp_ms: tsMs } = takt.data;
    return {
      ok: true,
      event: { type: 'count', machinePath, tsMs, good, reject: reject ?? 0 },
    };
  }
  // UMH's classic shape has `count` instead of `good`; only then is it worth trying.
  if (typeof value === 'object' && value !== null && 'count' in value && !('good' in value)) {
    const umh = ZUmhCountPayload.safeParse(value);
    if (!umh.success) return { ok: false, reason: `schema violation (count, UMH shape): ${describeIssues(umh.error)}` };
    const { count, scrap = 0, timestamp_ms: tsMs } = umh.data;
    return {
      ok: true,
      event: { type: 'count', machinePath, tsMs, good: count - scrap, reject: scrap },
    };
  }
  return { ok: false, reason: `schema violation (count): ${describeIssues(takt.error)}` };
}

const DECODERS: Record<
  TUnsSignal,
  (machinePath: string, value: unknown, stateValueMap: TValueMap | null) => UnsDecodeResult
> = {
  state: decodeState,
  count: decodeCount,
};

/**
 * Decodes a message received on `message.address` under the UNS `prefix`. An empty payload is MQTT's way to clear
 * a retained message (3.1.1 §3.3.1.3): ignored, whatever the topic.
 */
export function decodeUnsMessage(
  prefix: string,
  origin: UnsMessage,
  stateValueMaps: UnsStateValueMaps = new Map(),
): UnsDecodeResult {
  if (origin.payload.length === 0) return { ok: 'ignore', why: UNS_CLEARED_WHY };
  const topic = parseUnsTopic(prefix, origin.address);
  if (!topic) {
    return { ok: false, reason: `unknown topic: expected ${prefix}/{site}/{area}/{line}/{machine}/{state|count}` };
  }
  if (origin.payload.length > UNS_MAX_PAYLOAD_BYTES) {
    return { ok: false, reason: `payload too large: ${origin.payload.length} bytes (limit ${UNS_MAX_PAYLOAD_BYTES})` };
  }
  const json = parseJson(origin.payload);
  if (!json.ok) return json;
  return DECODERS[topic.signal](topic.machinePath, json.value, stateValueMaps.get(origin.address) ?? null);
}
