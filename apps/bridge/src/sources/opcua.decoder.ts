// Turns OPC UA DataValues of mapped nodes into normalized ingest events (pure, no I/O). Values arrive as
// node-opcua Variants: Int64/UInt64 as a `[high, low]` pair of UInt32 (JavaScript numbers cannot hold every
// 64-bit integer), Strings, Booleans, and the other numeric types as numbers.
import type { TIngestEvent, TValueMap } from '@takt/contracts';
import { mapStateValue } from '@takt/ingest';

export type OpcUaSignal = 'STATE' | 'GOOD_COUNT' | 'REJECT_COUNT' | 'PRODUCT';

/** One monitored node: an admin mapping (signal_mapping row with the node id as address), with its value map. */
export type OpcUaNodeMapping = {
  nodeId: string;
  machinePath: string;
  signal: OpcUaSignal;
  valueMap?: TValueMap | null;
};

/** The parts of a node-opcua DataValue the decoder needs (kept structural so it is testable without a server). */
export type OpcUaSample = {
  /** Status code name, e.g. `Good`, `BadWaitingForInitialData`, `UncertainLastUsableValue`. */
  statusName: string;
  isGood: boolean;
  /** node-opcua DataType name, e.g. `Int64`, `String`, `Double`. */
  dataType: string;
  value: unknown;
  sourceTimestampMs: number | null;
  serverTimestampMs: number | null;
};

export type OpcUaDecodeResult =
  { ok: true; event: TIngestEvent } | { ok: false; reason: string } | { ok: 'ignore'; why: string };

/** A 64-bit `[high, low]` pair (or a plain number) as a safe integer; null when it is neither or too large. */
export function int64ToNumber(value: unknown, isSigned: boolean): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : null;
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [high, low] = value as unknown[];
  if (typeof high !== 'number' || typeof low !== 'number') return null;
  const signedHigh = isSigned ? high | 0 : high >>> 0;
  const result = signedHigh * 2 ** 32 + (low >>> 0);
  return Number.isSafeInteger(result) ? result : null;
}

function numericValue(sample: OpcUaSample): number | null {
  if (sample.dataType === 'Int64' || sample.dataType === 'UInt64') {
    return int64ToNumber(sample.value, sample.dataType === 'Int64');
  }
  return typeof sample.value === 'number' && Number.isFinite(sample.value) ? sample.value : null;
}

/**
 * The ingest event of one sample of a mapped node, a reason to dead-letter it, or a reason to skip it. A sample
 * stamped before `currentSinceMs` is the value the node has had since before we monitored it (the first
 * notification of a monitored item, a Read on connect): it is the current value at `currentSinceMs`, not news from
 * the past (a value that last changed a day ago would otherwise be "too late", and the machine get no state).
 */
export function decodeOpcUaSample(
  mapping: OpcUaNodeMapping,
  sample: OpcUaSample,
  receivedAtMs: number,
  currentSinceMs = 0,
): OpcUaDecodeResult {
  if (sample.statusName === 'BadWaitingForInitialData') return { ok: 'ignore', why: 'no value yet' };
  if (!sample.isGood) return { ok: false, reason: `bad value: status ${sample.statusName}` };
  if (sample.value === null || sample.value === undefined) return { ok: 'ignore', why: 'null value' };
  const tsMs = Math.max(sample.sourceTimestampMs ?? sample.serverTimestampMs ?? receivedAtMs, currentSinceMs);
  const machinePath = mapping.machinePath;
  switch (mapping.signal) {
    case 'STATE': {
      // A Takt state name, a PackML/UMH code, or whatever the mapping's value map translates (e.g. a Boolean).
      const raw =
        typeof sample.value === 'string' || typeof sample.value === 'boolean' ? sample.value : numericValue(sample);
      if (raw === null) {
        return {
          ok: false,
          reason: `type mismatch: a state must be a String, a number or a Boolean (got ${sample.dataType})`,
        };
      }
      const state = mapStateValue(raw, mapping.valueMap ?? null);
      return state.ok ? { ok: true, event: { type: 'state', machinePath, tsMs, state: state.state } } : state;
    }
    case 'PRODUCT': {
      if (typeof sample.value !== 'string' || sample.value.trim() === '') {
        return { ok: false, reason: `type mismatch: a product must be a non-empty String (got ${sample.dataType})` };
      }
      return { ok: true, event: { type: 'product', machinePath, tsMs, productCode: sample.value } };
    }
    case 'GOOD_COUNT':
    case 'REJECT_COUNT': {
      const value = numericValue(sample);
      if (value === null || !Number.isSafeInteger(value) || value < 0) {
        return {
          ok: false,
          reason: `type mismatch: a counter must be a non-negative integer (got ${sample.dataType} ${JSON.stringify(sample.value)})`,
        };
      }
      const counter = mapping.signal === 'GOOD_COUNT' ? 'good' : 'reject';
      return { ok: true, event: { type: 'counter', machinePath, tsMs, counter, value } };
    }
  }
}
