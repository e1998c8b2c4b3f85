// One bad event never takes another with it, against a real PostgreSQL: events the resolution step knows
// PostgreSQL would refuse are dead-lettered before SQL, and an event PostgreSQL refuses all the same is isolated by
// splitting its batch. The second kind is made real with a trigger of this test's database that refuses timeline
// rows with a seq ≥ REFUSED_SEQ (SQLSTATE 22021, as PostgreSQL refuses a NUL byte), standing for whatever value
// a future resolution step might let through. Sources submit either MQTT-style (one submit per message, batched
// together) or HTTP-style (one submit with per-event results).
import type { TIngestEventResult } from '@takt/contracts';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngestInput, IngestPipeline, IngestSourceInfo } from './ingest-event.ts';
import { createIngestPipeline } from './ingest.pipeline.ts';
import { createIngestTestPlant, type IngestTestPlant } from './testing/ingest-plant.fixture.ts';

const logger = pino({ level: 'silent' });
const MQTT: IngestSourceInfo = { code: 'uns-json:takt', kind: 'MQTT_JSON', dataSourceId: null };
const HTTP: IngestSourceInfo = { code: 'http', kind: 'HTTP', dataSourceId: null };
const REFUSED_SEQ = 900_000_000_000;
const REFUSED_REASON = 'invalid value: text contains a NUL byte (22021)';
// Database or driver text that must never reach a result or a dead letter reason.
const DRIVER_TEXT = /raw query|prisma|invalid byte sequence|test poison|violates|DriverAdapter|P2010/i;
// An hour ago on a minute boundary: inside the reorder window, bucketed predictably.
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const encoder = new TextEncoder();

let db: TestDatabase;
let plant: IngestTestPlant;

beforeAll(async () => {
  db = await createTestDatabase('ingest_poison');
  plant = await createIngestTestPlant(db.prisma, { machineCount: 4 });
  await db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION USING ERRCODE = '22021', MESSAGE = 'invalid byte sequence for encoding "UTF8": 0x00 (test poison)';
    END $$`);
  await db.prisma.$executeRawUnsafe(`
    CREATE TRIGGER test_refuse_poison BEFORE INSERT ON ingest_timeline_event
    FOR EACH ROW WHEN (NEW.seq >= ${REFUSED_SEQ}) EXECUTE FUNCTION test_refuse_poison()`);
});
afterAll(() => db?.drop());
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe(
    `TRUNCATE machine_state_interval, production_count, ingest_timeline_event, ingest_event_key, counter_state,
              dead_letter, live_event`,
  );
});

function newPipeline(maxBatchEvents = 1_000): IngestPipeline {
  return createIngestPipeline({
    prisma: db.prisma,
    logger,
    maxBatchEvents,
    maxBatchDelayMs: 20,
    statusIntervalMs: null,
    pruneIntervalMs: null,
    retryInitialDelayMs: 1,
  });
}

/** One MQTT message per event: its own submit (all in flight at once, so they share batches), topic and payload. */
async function submitAsMqtt(pipeline: IngestPipeline, events: readonly unknown[]): Promise<TIngestEventResult[]> {
  const answers = await Promise.all(
    events.map((event, index) =>
      pipeline.submit(
        [
          {
            event,
            origin: { address: `takt/item/${index}`, payload: encoder.encode(JSON.stringify(event) ?? 'null') },
          },
        ],
        MQTT,
      ),
    ),
  );
  return answers.map((answer, index) => ({ ...(answer.results[0] as TIngestEventResult), index }));
}

/** One HTTP request: one submit, one result per event. */
async function submitAsHttp(pipeline: IngestPipeline, events: readonly unknown[]): Promise<TIngestEventResult[]> {
  const inputs: IngestInput[] = events.map((event, index) => ({ event, origin: { address: `takt/item/${index}` } }));
  return (await pipeline.submit(inputs, HTTP)).results;
}

const count = (machine: number, tsMs: number, good: number, eventId: string) => ({
  type: 'count',
  machinePath: plant.pathOf(machine),
  tsMs,
  good,
  eventId,
});
const refusedState = (machine: number, tsMs: number, k: number) => ({
  type: 'state',
  machinePath: plant.pathOf(machine),
  tsMs,
  state: 'DOWN',
  seq: REFUSED_SEQ + k,
});

async function goodByMachine(): Promise<number[]> {
  const rows = await db.prisma.productionCount.groupBy({ by: ['machineId'], _sum: { goodCount: true } });
  return plant.machineIds.map((id) => rows.find((row) => row.machineId === id)?._sum.goodCount ?? 0);
}

/** The addresses of the dead letters, sorted; no reason may carry database text. */
async function deadLetterAddresses(): Promise<string[]> {
  const rows = await db.prisma.deadLetter.findMany();
  for (const row of rows) expect(row.reason).not.toMatch(DRIVER_TEXT);
  return rows.map((row) => row.address).sort();
}

describe('one bad event never sinks its batch', () => {
  // The security probe's case: a NUL byte in one MQTT state message, in a batch with counts of 4 machines.
  it('MQTT: a state message with a NUL byte is dead-lettered before SQL; the 8 counts beside it are stored', async () => {
    const pipeline = newPipeline();
    const events = [
      ...[0, 1, 2, 3].flatMap((m) => [
        count(m, T0 + m * 1_000, 1, `c-${m}-a`),
        count(m, T0 + m * 1_000 + 500, 2, `c-${m}-b`),
      ]),
      { type: 'state', machinePath: plant.pathOf(2), tsMs: T0, state: 'DOWN', reasonCode: 'J\u0000AM' },
    ];
    const results = await submitAsMqtt(pipeline, events);
    await pipeline.stop();
    expect(results.map((r) => r.status)).toEqual([...Array<string>(8).fill('accepted'), 'rejected']);
    expect(results[8]?.reason).toBe('invalid value: reasonCode contains a NUL byte');
    expect(await goodByMachine()).toEqual([3, 3, 3, 3]);
    const deadLetters = await db.prisma.deadLetter.findMany();
    expect(deadLetters.map((d) => [d.address, d.reason])).toEqual([
      ['takt/item/8', 'invalid value: reasonCode contains a NUL byte'],
    ]);
    expect(deadLetters[0]?.payload).toContain('J\\u0000AM');
  });

  it('MQTT: an event PostgreSQL refuses is isolated by splitting its batch; every other event is stored once', async () => {
    const pipeline = newPipeline();
    const events = [
      ...[0, 1, 2, 3].flatMap((m) => [
        count(m, T0 + m * 1_000, 1, `c-${m}-a`),
        count(m, T0 + m * 1_000 + 500, 2, `c-${m}-b`),
      ]),
      { type: 'state', machinePath: plant.pathOf(1), tsMs: T0 + 100, state: 'PRODUCING', eventId: 's-1' },
      refusedState(2, T0 + 200, 0),
      { type: 'state', machinePath: plant.pathOf(3), tsMs: T0 + 300, state: 'IDLE', eventId: 's-3' },
    ];
    const results = await submitAsMqtt(pipeline, events);
    const { batches, failedAttempts } = pipeline.stats();
    await pipeline.stop();
    expect(results.map((r) => r.status)).toEqual([...Array<string>(9).fill('accepted'), 'rejected', 'accepted']);
    expect(results[9]?.reason).toBe(REFUSED_REASON);
    expect(batches).toBeGreaterThan(1);
    expect(failedAttempts).toBeGreaterThan(0);
    expect(await goodByMachine()).toEqual([3, 3, 3, 3]);
    const intervals = await db.prisma.machineStateInterval.findMany({ orderBy: { startedAt: 'asc' } });
    expect(intervals.map((i) => [i.machineId, i.state])).toEqual([
      [plant.machineIds[1], 'PRODUCING'],
      [plant.machineIds[3], 'IDLE'],
    ]);
    expect(await db.prisma.ingestTimelineEvent.count()).toBe(2);
    expect(await deadLetterAddresses()).toEqual(['takt/item/9']);
  });

  it('HTTP: only the refused event of a 19-event request is rejected, and sending it again stores nothing twice', async () => {
    const pipeline = newPipeline();
    const events: unknown[] = Array.from({ length: 18 }, (_, i) => count(i % 4, T0 + i * 1_000, 1, `h-${i}`));
    events.splice(7, 0, refusedState(0, T0 + 7_500, 1));
    const first = await submitAsHttp(pipeline, events);
    expect(first.filter((r) => r.status === 'accepted')).toHaveLength(18);
    expect(first[7]).toEqual({ index: 7, status: 'rejected', reason: REFUSED_REASON });
    const again = await submitAsHttp(pipeline, events);
    await pipeline.stop();
    expect(again.filter((r) => r.status === 'duplicate')).toHaveLength(18);
    expect(again[7]).toEqual({ index: 7, status: 'rejected', reason: REFUSED_REASON });
    expect(await goodByMachine()).toEqual([5, 5, 4, 4]);
    expect(await deadLetterAddresses()).toEqual(['takt/item/7', 'takt/item/7']);
  });
});

// ---- Property: poison mixed into valid streams ----------------------------------------------------------------

type Valid =
  { kind: 'count'; machine: number; good: number } | { kind: 'state'; machine: number; state: 'DOWN' | 'IDLE' };
type Poison =
  | { kind: 'text'; field: 'machinePath' | 'eventId' | 'source' | 'reasonCode' | 'productCode'; text: string }
  | { kind: 'number'; field: 'good' | 'value' | 'seq' | 'tsMs'; value: number }
  | { kind: 'unknown-machine' }
  | { kind: 'malformed'; input: unknown }
  | { kind: 'refused' };

const validArbitrary: fc.Arbitrary<Valid> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), machine: fc.nat({ max: 3 }), good: fc.integer({ min: 1, max: 9 }) }),
  fc.record({
    kind: fc.constant('state' as const),
    machine: fc.nat({ max: 3 }),
    state: fc.constantFrom('DOWN' as const, 'IDLE' as const),
  }),
);

const poisonArbitrary: fc.Arbitrary<Poison> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    field: fc.constantFrom(
      'machinePath' as const,
      'eventId' as const,
      'source' as const,
      'reasonCode' as const,
      'productCode' as const,
    ),
    text: fc.constantFrom('\u0000', 'J\u0000AM', '\uD800', 'x\uDFFFy', 'a\uDBFF'),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    field: fc.constantFrom('good' as const, 'value' as const, 'seq' as const, 'tsMs' as const),
    value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, 2 ** 70, -(2 ** 64)),
  }),
  fc.constant({ kind: 'unknown-machine' as const }),
  fc.record({
    kind: fc.constant('malformed' as const),
    input: fc.constantFrom(null, 'count', 42, [], {}, { type: 'count' }, { type: 'state', state: 'RUNNING' }),
  }),
  fc.constant({ kind: 'refused' as const }),
);

function validEvent(step: Valid, tsMs: number, index: number): unknown {
  const machinePath = plant.pathOf(step.machine);
  if (step.kind === 'count') return { type: 'count', machinePath, tsMs, good: step.good, eventId: `v-${index}` };
  return { type: 'state', machinePath, tsMs, state: step.state, eventId: `v-${index}` };
}

function poisonEvent(step: Poison, tsMs: number, index: number): unknown {
  const machinePath = plant.pathOf(index % 4);
  switch (step.kind) {
    case 'text': {
      if (step.field === 'reasonCode' || step.field === 'productCode')
        return { type: 'state', machinePath, tsMs, state: 'DOWN', [step.field]: step.text };
      const base = { type: 'count', machinePath, tsMs, good: 1, eventId: `p-${index}` };
      return { ...base, [step.field]: step.field === 'machinePath' ? machinePath + step.text : step.text };
    }
    case 'number':
      if (step.field === 'value') return { type: 'counter', machinePath, tsMs, counter: 'good', value: step.value };
      return { type: 'count', machinePath, tsMs, good: 1, eventId: `p-${index}`, [step.field]: step.value };
    case 'unknown-machine':
      return { type: 'count', machinePath: 'plant1/assembly/line1/nosuch', tsMs, good: 1 };
    case 'malformed':
      return step.input;
    case 'refused':
      return refusedState(index % 4, tsMs, index);
  }
}

type Step = { valid: Valid } | { poison: Poison };

const streamArbitrary = fc.record({
  steps: fc.array(
    fc.oneof(
      { arbitrary: validArbitrary.map((valid): Step => ({ valid })), weight: 3 },
      { arbitrary: poisonArbitrary.map((poison): Step => ({ poison })), weight: 1 },
    ),
    { minLength: 1, maxLength: 40 },
  ),
  isMqtt: fc.boolean(),
  maxBatchEvents: fc.integer({ min: 1, max: 64 }),
});

describe('poison isolation property', () => {
  it('stores every valid event exactly once and dead-letters every poison event, whatever the mix', async () => {
    await fc.assert(
      fc.asyncProperty(streamArbitrary, async ({ steps, isMqtt, maxBatchEvents }) => {
        await db.prisma.$executeRawUnsafe(
          `TRUNCATE machine_state_interval, production_count, ingest_timeline_event, ingest_event_key, counter_state,
                    dead_letter, live_event`,
        );
        const tsOf = (index: number) => T0 + index * 1_000;
        const events = steps.map((step, index) =>
          'valid' in step ? validEvent(step.valid, tsOf(index), index) : poisonEvent(step.poison, tsOf(index), index),
        );
        const pipeline = newPipeline(maxBatchEvents);
        const results = isMqtt ? await submitAsMqtt(pipeline, events) : await submitAsHttp(pipeline, events);
        await pipeline.stop();

        const expectedGood = [0, 0, 0, 0];
        const expectedStates: string[] = [];
        const poisonAddresses: string[] = [];
        steps.forEach((step, index) => {
          expect(results[index]?.status).toBe('valid' in step ? 'accepted' : 'rejected');
          expect(results[index]?.reason ?? '').not.toMatch(DRIVER_TEXT);
          if (!('valid' in step)) poisonAddresses.push(`takt/item/${index}`);
          else if (step.valid.kind === 'count')
            expectedGood[step.valid.machine] = (expectedGood[step.valid.machine] ?? 0) + step.valid.good;
          else expectedStates.push(`${plant.machineIds[step.valid.machine]}@${tsOf(index)}`);
        });
        expect(await goodByMachine()).toEqual(expectedGood);
        const logged = await db.prisma.ingestTimelineEvent.findMany({ where: { kind: 'state' } });
        expect(logged.map((row) => `${row.machineId}@${row.ts.getTime()}`).sort()).toEqual(expectedStates.sort());
        expect(await deadLetterAddresses()).toEqual(poisonAddresses.sort());
      }),
      { numRuns: 15 },
    );
  });
});
