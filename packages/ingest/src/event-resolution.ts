// Event resolution, pure (no I/O): validates a submitted event (zod, ZIngestEvent) and the values PostgreSQL would
// refuse, turns a signal value into the event its signal mapping stands for, checks the reorder window, maps the
// event to its machine, product, reason and work order through a plant lookup (plant-directory.cache.ts loads
// it; tests build one in memory), maps state codes (state-code.mapping.ts) and makes the de-duplication key.
//
// What PostgreSQL refuses is rejected here, before it can fail a batch: text with a NUL byte (SQLSTATE 22021)
// or a lone UTF-16 surrogate (which the driver would silently turn into U+FFFD). Numbers and instants are
// bounded by the contract itself: integers are safe integers (within int8), every number is finite (float8),
// and event times lie between 2000 and 2100.
import { hash } from 'node:crypto';
import { ZIngestEvent, type TIngestEvent } from '@takt/contracts';
import type { z } from 'zod';
import type { IngestSourceInfo } from './ingest-event.ts';
import { mappingKeyOf, type PlantLookup } from './plant-directory.cache.ts';
import type { ResolvedBody, ResolvedEvent } from './resolved-event.ts';
import { mapStateCode, mapStateValue } from './state-code.mapping.ts';

type Rejected = { ok: false; reason: string };

/** The names a chunk of events refers to, so that the plant directory can reload when one is new. */
export type LookupNames = {
  machinePaths: Set<string>;
  machineIds: Set<string>;
  productCodes: Set<string>;
  reasonCodes: Set<string>;
  workOrderNumbers: Set<string>;
  mappingKeys: Set<string>;
};

/** What one event resolves to: an event to write (with warnings to dead-letter), a rejection, or old news. */
export type EventResolution =
  | { kind: 'event'; event: ResolvedEvent; warnings: string[] }
  | { kind: 'rejected'; reason: string }
  /** A replayed message older than the reorder window: dropped quietly (answered as a duplicate). */
  | { kind: 'stale' };

export type ArrivalWindow = { futureToleranceMs: number; maxEventAgeMs: number };

export type EventArrival = { source: IngestSourceInfo; receivedAtMs: number; isReplay: boolean };

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Why PostgreSQL could not store a text field of `event`, or null when it can store them all. */
export function findUnstorableText(event: TIngestEvent): string | null {
  for (const [field, value] of Object.entries(event)) {
    if (typeof value !== 'string') continue;
    if (value.includes(NUL)) return `invalid value: ${field} contains a NUL byte`;
    if (LONE_SURROGATE.test(value)) return `invalid value: ${field} contains a lone UTF-16 surrogate`;
  }
  return null;
}

/** Validates one submitted event against the contract and against what PostgreSQL can store. */
export function parseIngestEvent(input: unknown): { ok: true; event: TIngestEvent } | Rejected {
  const result = ZIngestEvent.safeParse(input);
  if (!result.success) return { ok: false, reason: `schema violation: ${describeIssues(result.error)}` };
  const unstorable = findUnstorableText(result.data);
  return unstorable === null ? { ok: true, event: result.data } : { ok: false, reason: unstorable };
}

/**
 * The stable de-duplication key of a validated event: `{source}|id|{eventId}`, else `{source}|seq|{seq}`, else a
 * SHA-256 of the event; `source` is the event's `source`, else the connection's code.
 */
export function dedupKeyOf(event: TIngestEvent, sourceCode: string): string {
  const source = event.source ?? sourceCode;
  if (event.eventId !== undefined) return `${source}|id|${event.eventId}`;
  if (event.seq !== undefined) return `${source}|seq|${event.seq}`;
  // One-shot hash: no Hash object per event (the same digest as createHash).
  const digest = hash('sha256', JSON.stringify(event), 'base64url');
  return `${source}|h|${digest}`;
}

export function emptyLookupNames(): LookupNames {
  return {
    machinePaths: new Set(),
    machineIds: new Set(),
    productCodes: new Set(),
    reasonCodes: new Set(),
    workOrderNumbers: new Set(),
    mappingKeys: new Set(),
  };
}

/** Adds the names `event` refers to (for a signal: its mapping key) to `names`. */
export function addLookupNames(names: LookupNames, event: TIngestEvent, source: IngestSourceInfo): void {
  if (event.type === 'signal') {
    if (source.dataSourceId !== null) names.mappingKeys.add(mappingKeyOf(source.dataSourceId, event.address));
    return;
  }
  if (event.machinePath !== undefined) names.machinePaths.add(event.machinePath);
  if (event.machineId !== undefined) names.machineIds.add(event.machineId);
  if ((event.type === 'state' || event.type === 'product') && event.productCode != null)
    names.productCodes.add(event.productCode);
  if (event.type === 'state' && event.reasonCode != null) names.reasonCodes.add(event.reasonCode);
  if (event.type === 'work-order' && event.workOrderNumber !== null) names.workOrderNumbers.add(event.workOrderNumber);
}

/** Turns a mapped signal value into the normalized event it stands for (signal_mapping.signal). */
export function translateSignal(
  event: Extract<TIngestEvent, { type: 'signal' }>,
  source: IngestSourceInfo,
  lookup: PlantLookup,
): { ok: true; event: Exclude<TIngestEvent, { type: 'signal' }> } | Rejected {
  const mapping =
    source.dataSourceId === null
      ? undefined
      : lookup.mappingByAddress.get(mappingKeyOf(source.dataSourceId, event.address));
  if (!mapping)
    return { ok: false, reason: `unknown signal: no signal mapping of this source has the address "${event.address}"` };
  const mapped = mapping.valueMap?.[String(event.value)] ?? event.value;
  const common = {
    machineId: mapping.machineId,
    tsMs: event.tsMs,
    ...(event.source === undefined ? {} : { source: event.source }),
    ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
    ...(event.seq === undefined ? {} : { seq: event.seq }),
  };
  const asCount = (): number | null =>
    typeof mapped === 'number' && Number.isSafeInteger(mapped) && mapped >= 0 ? mapped : null;
  switch (mapping.signal) {
    case 'STATE': {
      // One rule for every source kind: the mapping's value map, else Takt states and PackML/UMH codes.
      const state = mapStateValue(event.value, mapping.valueMap);
      return state.ok ? { ok: true, event: { ...common, type: 'state', state: state.state } } : state;
    }
    case 'GOOD_COUNT':
    case 'REJECT_COUNT': {
      const value = asCount();
      if (value === null) return { ok: false, reason: `counter value ${JSON.stringify(mapped)} is not an integer ≥ 0` };
      return {
        ok: true,
        event: { ...common, type: 'counter', counter: mapping.signal === 'GOOD_COUNT' ? 'good' : 'reject', value },
      };
    }
    case 'PRODUCT':
      return { ok: true, event: { ...common, type: 'product', productCode: mapped === '' ? null : String(mapped) } };
    case 'WORK_ORDER':
      return {
        ok: true,
        event: { ...common, type: 'work-order', workOrderNumber: mapped === '' ? null : String(mapped) },
      };
    case 'HEARTBEAT':
      return { ok: true, event: { ...common, type: 'count', good: 0 } };
    case 'TOTAL_COUNT':
      return { ok: false, reason: 'TOTAL_COUNT mappings are not supported: map GOOD_COUNT and REJECT_COUNT counters' };
  }
}

type Resolved = { ok: true; machineId: string; body: ResolvedBody; warnings: string[] };

/** Maps an event onto ids: machine, then product, reason and work order; unknown names reject or warn. */
function resolveNames(event: Exclude<TIngestEvent, { type: 'signal' }>, lookup: PlantLookup): Resolved | Rejected {
  let machineId: string | undefined;
  if (event.machineId !== undefined) {
    machineId = lookup.machineIds.has(event.machineId) ? event.machineId : undefined;
    if (!machineId) return { ok: false, reason: `unknown machine: no machine has the id "${event.machineId}"` };
  } else if (event.machinePath !== undefined) {
    machineId = lookup.machineIdByPath.get(event.machinePath);
    if (!machineId) return { ok: false, reason: `unknown machine: no machine has the path "${event.machinePath}"` };
  } else {
    return { ok: false, reason: 'schema violation: machinePath or machineId is required' };
  }
  const warnings: string[] = [];
  switch (event.type) {
    case 'state': {
      const mapped = mapStateCode(event.state);
      if (!mapped)
        return {
          ok: false,
          reason: `unknown state code ${String(event.state)} (not PackML 0–17 or UMH 10000–229999)`,
        };
      let reasonId: string | null = null;
      if (event.reasonCode != null) {
        reasonId = lookup.reasonIdByCode.get(event.reasonCode) ?? null;
        if (reasonId === null)
          warnings.push(`state applied without its reason: unknown reason code "${event.reasonCode}"`);
      }
      let productId: string | null = null;
      if (event.productCode != null) {
        productId = lookup.productIdByCode.get(event.productCode) ?? null;
        if (productId === null)
          warnings.push(`state applied without its product: unknown product code "${event.productCode}"`);
      }
      return {
        ok: true,
        machineId,
        warnings,
        body: {
          kind: 'state',
          state: mapped.state,
          reasonId,
          sourceCode: mapped.sourceCode,
          // undefined = unchanged; null = explicitly none.
          hasProduct: event.productCode !== undefined,
          productId,
        },
      };
    }
    case 'count': {
      const reject = event.reject ?? 0;
      // A zero count is a heartbeat only: nothing to add.
      if (event.good + reject === 0) return { ok: true, machineId, warnings, body: { kind: 'heartbeat' } };
      return { ok: true, machineId, warnings, body: { kind: 'count', good: event.good, reject } };
    }
    case 'counter':
      return { ok: true, machineId, warnings, body: { kind: 'counter', counter: event.counter, value: event.value } };
    case 'product': {
      if (event.productCode === null)
        return { ok: true, machineId, warnings, body: { kind: 'product', productId: null } };
      const productId = lookup.productIdByCode.get(event.productCode);
      if (!productId) return { ok: false, reason: `unknown product code "${event.productCode}"` };
      return { ok: true, machineId, warnings, body: { kind: 'product', productId } };
    }
    case 'work-order': {
      if (event.workOrderNumber === null)
        return { ok: true, machineId, warnings, body: { kind: 'work_order', workOrderId: null } };
      const workOrderId = lookup.workOrderIdByNumber.get(event.workOrderNumber);
      if (!workOrderId) return { ok: false, reason: `unknown or closed work order "${event.workOrderNumber}"` };
      return { ok: true, machineId, warnings, body: { kind: 'work_order', workOrderId } };
    }
  }
}

/**
 * Resolves a validated event (signals already translated) received as `arrival`: the reorder window first (events
 * more than `futureToleranceMs` ahead or `maxEventAgeMs` late are rejected; a late replay is old news), then the
 * names.
 */
export function resolveEvent(
  event: Exclude<TIngestEvent, { type: 'signal' }>,
  arrival: EventArrival,
  lookup: PlantLookup,
  window: ArrivalWindow,
): EventResolution {
  const aheadMs = event.tsMs - arrival.receivedAtMs;
  if (aheadMs > window.futureToleranceMs)
    return {
      kind: 'rejected',
      reason: `timestamp ${Math.round(aheadMs / 1000)} s in the future (clock of the sender wrong?)`,
    };
  if (arrival.receivedAtMs - event.tsMs > window.maxEventAgeMs) {
    // An old retained message: old news, not an error.
    if (arrival.isReplay) return { kind: 'stale' };
    return {
      kind: 'rejected',
      reason: `too late: older than the reorder window of ${Math.round(window.maxEventAgeMs / 60_000)} min`,
    };
  }
  const resolved = resolveNames(event, lookup);
  if (!resolved.ok) return { kind: 'rejected', reason: resolved.reason };
  return {
    kind: 'event',
    warnings: resolved.warnings,
    event: {
      ticket: 0,
      machineId: resolved.machineId,
      tsMs: event.tsMs,
      seq: event.seq ?? null,
      dedupKey: dedupKeyOf(event, arrival.source.code),
      sourceCode: arrival.source.code,
      body: resolved.body,
    },
  };
}
