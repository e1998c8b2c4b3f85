// Event resolution without a database: an in-memory plant lookup stands for the plant directory.
import type { TIngestEvent } from '@takt/contracts';
import { describe, expect, it } from 'vitest';
import {
  addLookupNames,
  dedupKeyOf,
  emptyLookupNames,
  parseIngestEvent,
  resolveEvent,
  translateSignal,
  type EventArrival,
} from './event-resolution.ts';
import type { IngestSourceInfo } from './ingest-event.ts';
import { mappingKeyOf, type PlantLookup, type ResolvedSignalMapping } from './plant-directory.cache.ts';

const MACHINE_ID = '11111111-1111-4111-8111-111111111111';
const PATH = 'plant1/assembly/line1/press1';
const DATA_SOURCE_ID = '22222222-2222-4222-8222-222222222222';
const T0 = 1_764_000_000_000;

const mapping = (signal: ResolvedSignalMapping['signal'], valueMap: ResolvedSignalMapping['valueMap'] = null) => ({
  machineId: MACHINE_ID,
  signal,
  valueMap,
});

const lookup: PlantLookup = {
  machineIdByPath: new Map([[PATH, MACHINE_ID]]),
  machineIds: new Set([MACHINE_ID]),
  productIdByCode: new Map([['P-100', 'product-100']]),
  reasonIdByCode: new Map([['JAM', 'reason-jam']]),
  workOrderIdByNumber: new Map([['WO-1', 'work-order-1']]),
  mappingByAddress: new Map([
    [mappingKeyOf(DATA_SOURCE_ID, 'M.State'), mapping('STATE', { '1': 'PRODUCING', '2': 'DOWN', '9': 'RUNNING' })],
    [mappingKeyOf(DATA_SOURCE_ID, 'M.PackML'), mapping('STATE')],
    [mappingKeyOf(DATA_SOURCE_ID, 'M.Good'), mapping('GOOD_COUNT')],
    [mappingKeyOf(DATA_SOURCE_ID, 'M.Product'), mapping('PRODUCT')],
    [mappingKeyOf(DATA_SOURCE_ID, 'M.Total'), mapping('TOTAL_COUNT')],
    [mappingKeyOf(DATA_SOURCE_ID, 'M.Alive'), mapping('HEARTBEAT')],
  ]),
};

const HTTP: IngestSourceInfo = { code: 'http', kind: 'HTTP', dataSourceId: null };
const OPC: IngestSourceInfo = { code: 'line-opc', kind: 'OPCUA', dataSourceId: DATA_SOURCE_ID };
const WINDOW = { futureToleranceMs: 5 * 60_000, maxEventAgeMs: 24 * 3_600_000 };
const arrival = (extra: Partial<EventArrival> = {}): EventArrival => ({
  source: HTTP,
  receivedAtMs: T0,
  isReplay: false,
  ...extra,
});

function parsed(input: unknown): TIngestEvent {
  const result = parseIngestEvent(input);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

function resolve(input: unknown, extra: Partial<EventArrival> = {}) {
  const event = parsed(input);
  if (event.type === 'signal') throw new Error('translate signals first');
  return resolveEvent(event, arrival(extra), lookup, WINDOW);
}

describe('parseIngestEvent', () => {
  const count = { type: 'count', machinePath: PATH, tsMs: T0, good: 1 };

  it('accepts a valid event and drops unknown fields', () => {
    expect(parseIngestEvent({ ...count, extra: 'x' })).toEqual({ ok: true, event: count });
  });

  it.each([
    ['no object', 'not an event', 'schema violation: (root)'],
    ['an unknown type', { ...count, type: 'nope' }, 'schema violation: type'],
    ['NaN', { ...count, good: Number.NaN }, 'schema violation: good'],
    ['Infinity', { ...count, good: Number.POSITIVE_INFINITY }, 'schema violation: good'],
    [
      'a counter beyond 2^53',
      { type: 'counter', machinePath: PATH, tsMs: T0, counter: 'good', value: 2 ** 70 },
      'schema violation: value',
    ],
    ['a seq beyond 2^53', { ...count, seq: 2 ** 64 }, 'schema violation: seq'],
    ['a time in seconds', { ...count, tsMs: T0 / 1000 }, 'schema violation: tsMs'],
    ['a time beyond 2100', { ...count, tsMs: 8.64e15 }, 'schema violation: tsMs'],
    ['a huge state code', { type: 'state', machinePath: PATH, tsMs: T0, state: 1e300 }, 'schema violation: state'],
  ])('rejects %s as a schema violation', (_, input, reason) => {
    const result = parseIngestEvent(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(new RegExp(`^${reason.replace(/[().]/g, '\\$&')}`));
  });

  it.each([
    ['machinePath', { ...count, machinePath: `${PATH}\u0000` }, 'invalid value: machinePath contains a NUL byte'],
    ['eventId', { ...count, eventId: 'a\u0000b' }, 'invalid value: eventId contains a NUL byte'],
    ['source', { ...count, source: 'gw\u0000' }, 'invalid value: source contains a NUL byte'],
    [
      'reasonCode',
      { type: 'state', machinePath: PATH, tsMs: T0, state: 'DOWN', reasonCode: 'J\u0000AM' },
      'invalid value: reasonCode contains a NUL byte',
    ],
    [
      'a lone high surrogate',
      { ...count, eventId: 'a\uD800b' },
      'invalid value: eventId contains a lone UTF-16 surrogate',
    ],
    [
      'a lone low surrogate',
      { ...count, eventId: '\uDC00' },
      'invalid value: eventId contains a lone UTF-16 surrogate',
    ],
    [
      'a signal value',
      { type: 'signal', address: 'M.Product', tsMs: T0, value: 'P\u0000' },
      'invalid value: value contains a NUL byte',
    ],
  ])('rejects text PostgreSQL refuses: %s', (_, input, reason) => {
    expect(parseIngestEvent(input)).toEqual({ ok: false, reason });
  });

  it('accepts surrogate pairs (characters outside the BMP)', () => {
    expect(parseIngestEvent({ ...count, eventId: 'part-😀' }).ok).toBe(true);
  });
});

describe('dedupKeyOf', () => {
  const count = parsed({ type: 'count', machinePath: PATH, tsMs: T0, good: 1 });

  it('prefers eventId, then seq, then a content hash, keyed by the event source or else the connection', () => {
    expect(dedupKeyOf({ ...count, eventId: 'e1', seq: 7 }, 'http')).toBe('http|id|e1');
    expect(dedupKeyOf({ ...count, seq: 7 }, 'http')).toBe('http|seq|7');
    expect(dedupKeyOf({ ...count, seq: 7, source: 'gw' }, 'http')).toBe('gw|seq|7');
    expect(dedupKeyOf(count, 'http')).toMatch(/^http\|h\|[\w-]{43}$/);
    expect(dedupKeyOf(count, 'http')).toBe(dedupKeyOf({ ...count }, 'http'));
    const other = parsed({ type: 'count', machinePath: PATH, tsMs: T0, good: 2 });
    expect(dedupKeyOf(count, 'http')).not.toBe(dedupKeyOf(other, 'http'));
  });
});

describe('addLookupNames', () => {
  it('collects the names an event refers to, and the mapping key of a signal', () => {
    const names = emptyLookupNames();
    addLookupNames(
      names,
      parsed({ type: 'state', machinePath: PATH, tsMs: T0, state: 'DOWN', reasonCode: 'JAM', productCode: 'P-1' }),
      HTTP,
    );
    addLookupNames(
      names,
      parsed({ type: 'work-order', machineId: MACHINE_ID, tsMs: T0, workOrderNumber: 'WO-1' }),
      HTTP,
    );
    addLookupNames(names, parsed({ type: 'signal', address: 'M.Good', tsMs: T0, value: 1 }), OPC);
    addLookupNames(names, parsed({ type: 'signal', address: 'M.Good', tsMs: T0, value: 1 }), HTTP);
    expect(names).toEqual({
      machinePaths: new Set([PATH]),
      machineIds: new Set([MACHINE_ID]),
      productCodes: new Set(['P-1']),
      reasonCodes: new Set(['JAM']),
      workOrderNumbers: new Set(['WO-1']),
      mappingKeys: new Set([mappingKeyOf(DATA_SOURCE_ID, 'M.Good')]),
    });
  });
});

describe('translateSignal', () => {
  const signal = (address: string, value: number | string | boolean, extra: object = {}) => {
    const event = parsed({ type: 'signal', address, tsMs: T0, value, ...extra });
    if (event.type !== 'signal') throw new Error('not a signal');
    return event;
  };

  it('turns mapped values into the events their signals stand for, keeping eventId and seq', () => {
    expect(translateSignal(signal('M.State', 1, { eventId: 'e1', seq: 3 }), OPC, lookup)).toEqual({
      ok: true,
      event: { machineId: MACHINE_ID, tsMs: T0, eventId: 'e1', seq: 3, type: 'state', state: 'PRODUCING' },
    });
    // Without a value map, Takt states and PackML/UMH codes pass as they are.
    expect(translateSignal(signal('M.PackML', 6), OPC, lookup)).toMatchObject({ ok: true, event: { state: 6 } });
    expect(translateSignal(signal('M.Good', 42), OPC, lookup)).toMatchObject({
      ok: true,
      event: { type: 'counter', counter: 'good', value: 42 },
    });
    expect(translateSignal(signal('M.Product', 'P-100'), OPC, lookup)).toMatchObject({
      ok: true,
      event: { type: 'product', productCode: 'P-100' },
    });
    expect(translateSignal(signal('M.Product', ''), OPC, lookup)).toMatchObject({
      ok: true,
      event: { productCode: null },
    });
    expect(translateSignal(signal('M.Alive', true), OPC, lookup)).toMatchObject({
      ok: true,
      event: { type: 'count', good: 0 },
    });
  });

  it.each([
    [
      'an address without mapping',
      signal('M.Nope', 1),
      OPC,
      'unknown signal: no signal mapping of this source has the address "M.Nope"',
    ],
    [
      'a source without data source',
      signal('M.State', 1),
      HTTP,
      'unknown signal: no signal mapping of this source has the address "M.State"',
    ],
    ['a boolean state', signal('M.State', true), OPC, 'state value true is not in the value map of its signal mapping'],
    [
      'a state name mapped to no machine state',
      signal('M.State', 9),
      OPC,
      'the value map turns state value 9 into "RUNNING", which is neither a Takt state nor a PackML (0–17) or UMH (10000–229999) code',
    ],
    [
      'a code missing from the value map (never read as PackML)',
      signal('M.State', 6),
      OPC,
      'state value 6 is not in the value map of its signal mapping',
    ],
    [
      'a state text without value map',
      signal('M.PackML', '6'),
      OPC,
      'unknown state "6": neither a Takt state nor a PackML (0–17) or UMH (10000–229999) code (a value map on the signal mapping can translate it)',
    ],
    ['a fractional counter', signal('M.Good', 1.5), OPC, 'counter value 1.5 is not an integer ≥ 0'],
    ['a huge counter', signal('M.Good', 1e300), OPC, 'counter value 1e+300 is not an integer ≥ 0'],
    ['a negative counter', signal('M.Good', -1), OPC, 'counter value -1 is not an integer ≥ 0'],
    [
      'a TOTAL_COUNT mapping',
      signal('M.Total', 1),
      OPC,
      'TOTAL_COUNT mappings are not supported: map GOOD_COUNT and REJECT_COUNT counters',
    ],
  ])('rejects %s', (_, event, source, reason) => {
    expect(translateSignal(event, source, lookup)).toEqual({ ok: false, reason });
  });
});

describe('resolveEvent', () => {
  it('resolves a state with its reason and product, mapping PackML and UMH codes', () => {
    expect(
      resolve({
        type: 'state',
        machinePath: PATH,
        tsMs: T0,
        state: 'DOWN',
        reasonCode: 'JAM',
        productCode: 'P-100',
        seq: 4,
      }),
    ).toEqual({
      kind: 'event',
      warnings: [],
      event: {
        ticket: 0,
        machineId: MACHINE_ID,
        tsMs: T0,
        seq: 4,
        dedupKey: 'http|seq|4',
        sourceCode: 'http',
        body: {
          kind: 'state',
          state: 'DOWN',
          reasonId: 'reason-jam',
          sourceCode: null,
          hasProduct: true,
          productId: 'product-100',
        },
      },
    });
    expect(resolve({ type: 'state', machineId: MACHINE_ID, tsMs: T0, state: 6 })).toMatchObject({
      kind: 'event',
      event: { body: { state: 'PRODUCING', sourceCode: 'packml:6', hasProduct: false } },
    });
    expect(resolve({ type: 'state', machinePath: PATH, tsMs: T0, state: 180_001 })).toMatchObject({
      event: { body: { state: 'DOWN', sourceCode: 'umh:180001' } },
    });
  });

  it('applies a state with an unknown reason or product without it, with a warning each', () => {
    expect(
      resolve({ type: 'state', machinePath: PATH, tsMs: T0, state: 'DOWN', reasonCode: 'NOPE', productCode: 'P-404' }),
    ).toMatchObject({
      kind: 'event',
      warnings: [
        'state applied without its reason: unknown reason code "NOPE"',
        'state applied without its product: unknown product code "P-404"',
      ],
      event: { body: { reasonId: null, hasProduct: true, productId: null } },
    });
  });

  it('resolves counts (zero: a heartbeat), counters, products and work orders', () => {
    expect(resolve({ type: 'count', machinePath: PATH, tsMs: T0, good: 3, reject: 1 })).toMatchObject({
      event: { body: { kind: 'count', good: 3, reject: 1 } },
    });
    expect(resolve({ type: 'count', machinePath: PATH, tsMs: T0, good: 0 })).toMatchObject({
      event: { body: { kind: 'heartbeat' } },
    });
    expect(resolve({ type: 'counter', machinePath: PATH, tsMs: T0, counter: 'reject', value: 9 })).toMatchObject({
      event: { body: { kind: 'counter', counter: 'reject', value: 9 } },
    });
    expect(resolve({ type: 'product', machinePath: PATH, tsMs: T0, productCode: null })).toMatchObject({
      event: { body: { kind: 'product', productId: null } },
    });
    expect(resolve({ type: 'work-order', machinePath: PATH, tsMs: T0, workOrderNumber: 'WO-1' })).toMatchObject({
      event: { body: { kind: 'work_order', workOrderId: 'work-order-1' } },
    });
  });

  it.each([
    [
      'a missing machine',
      { type: 'count', tsMs: T0, good: 1 },
      'schema violation: machinePath or machineId is required',
    ],
    [
      'an unknown path',
      { type: 'count', machinePath: 'x/y', tsMs: T0, good: 1 },
      'unknown machine: no machine has the path "x/y"',
    ],
    [
      'an unknown id',
      { type: 'count', machineId: '00000000-0000-4000-8000-000000000000', tsMs: T0, good: 1 },
      'unknown machine: no machine has the id "00000000-0000-4000-8000-000000000000"',
    ],
    [
      'an unknown state code',
      { type: 'state', machinePath: PATH, tsMs: T0, state: 999 },
      'unknown state code 999 (not PackML 0–17 or UMH 10000–229999)',
    ],
    [
      'an unknown product',
      { type: 'product', machinePath: PATH, tsMs: T0, productCode: 'P-404' },
      'unknown product code "P-404"',
    ],
    [
      'an unknown work order',
      { type: 'work-order', machinePath: PATH, tsMs: T0, workOrderNumber: 'WO-404' },
      'unknown or closed work order "WO-404"',
    ],
  ])('rejects %s', (_, input, reason) => {
    expect(resolve(input)).toEqual({ kind: 'rejected', reason });
  });

  it('rejects events beyond the reorder window, and drops a late replay quietly', () => {
    const at = (tsMs: number) => ({ type: 'count', machinePath: PATH, tsMs, good: 1 });
    expect(resolve(at(T0 + 5 * 60_000))).toMatchObject({ kind: 'event' });
    expect(resolve(at(T0 + 5 * 60_000 + 1_000))).toEqual({
      kind: 'rejected',
      reason: 'timestamp 301 s in the future (clock of the sender wrong?)',
    });
    expect(resolve(at(T0 - 24 * 3_600_000))).toMatchObject({ kind: 'event' });
    expect(resolve(at(T0 - 24 * 3_600_000 - 1))).toEqual({
      kind: 'rejected',
      reason: 'too late: older than the reorder window of 1440 min',
    });
    expect(resolve(at(T0 - 24 * 3_600_000 - 1), { isReplay: true })).toEqual({ kind: 'stale' });
  });
});
