// The normalized ingest events every source hands to the one ingest pipeline (packages/ingest/README.md:
// MQTT JSON, Sparkplug B, OPC UA and HTTP all feed it), the HTTP ingest request/answer, the ingest status and
// the dead-letter list. Protocol decoders turn their payloads into these; the pipeline validates them again.
import { z } from 'zod';
import { storableInstant } from './instant.contract.ts';
import { listOf, sequenceOrderCursor } from './list.contract.ts';
import { ZMachineState } from './machine-state.contract.ts';

/** Most events one HTTP ingest request may carry. */
export const INGEST_HTTP_MAX_EVENTS = 5_000;

// Unix milliseconds between 2000-01-01 and 2100-01-01 (same bounds as the UNS contract).
const ZIngestTsMs = z
  .number()
  .int('must be an integer number of milliseconds')
  .min(946_684_800_000, 'must be Unix milliseconds (looks like seconds or a date before 2000)')
  .max(4_102_444_800_000, 'must be Unix milliseconds before 2100')
  .meta({ description: 'Event time at the machine, Unix epoch milliseconds (UTC).' });

const ZIngestCode = z.string().trim().min(1).max(100);

// A delta per event stays far below the int4 bucket sums; a cumulative counter is at most 2^53.
const MAX_COUNT_DELTA = 1_000_000;
const ZCountDelta = z.number().int('must be an integer').min(0, 'must be ≥ 0').max(MAX_COUNT_DELTA);

const ZIngestEventBase = z.object({
  machinePath: z.string().trim().min(1).max(500).optional().meta({
    description: 'The machine path (`site/area/line/machine`); give this or machineId (or address).',
  }),
  machineId: z.uuid().optional().meta({ description: 'The machine id; give this or machinePath.' }),
  tsMs: ZIngestTsMs,
  source: ZIngestCode.optional().meta({
    description: 'Who sent the event (part of its de-duplication key); default: the connection it came by.',
  }),
  eventId: z.string().trim().min(1).max(200).optional().meta({
    description: 'Sender-unique event id; a repeated id (per source) is a duplicate.',
  }),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().meta({
    description: 'Sender sequence number; a repeated seq (per source) is a duplicate. Orders events with equal tsMs.',
  }),
});

/** The machine entered a state. */
export const ZIngestStateEvent = ZIngestEventBase.extend({
  type: z.literal('state'),
  state: z.union([ZMachineState, z.number().int().nonnegative()]).meta({
    description: 'A Takt machine state, or a PackML (0–17) or UMH (10000–229999) state code.',
  }),
  reasonCode: ZIngestCode.nullish().meta({ description: 'Downtime reason code (downtime_reason.code).' }),
  productCode: ZIngestCode.nullish().meta({ description: 'Product made from now on; absent: unchanged.' }),
});

/** Parts made since the previous count event (a delta). */
export const ZIngestCountEvent = ZIngestEventBase.extend({
  type: z.literal('count'),
  good: ZCountDelta,
  reject: ZCountDelta.optional(),
});

/** A cumulative counter reading (PLC counter); the pipeline turns readings into deltas with reset detection. */
export const ZIngestCounterEvent = ZIngestEventBase.extend({
  type: z.literal('counter'),
  counter: z.enum(['good', 'reject']).meta({ description: 'Which counter: good parts or rejected parts.' }),
  value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** The machine changed product. */
export const ZIngestProductEvent = ZIngestEventBase.extend({
  type: z.literal('product'),
  productCode: ZIngestCode.nullable().meta({ description: 'product.code; null: no product.' }),
});

/** The machine changed work order. */
export const ZIngestWorkOrderEvent = ZIngestEventBase.extend({
  type: z.literal('work-order'),
  workOrderNumber: ZIngestCode.nullable().meta({ description: 'work_order.number; null: no work order.' }),
});

/**
 * A raw signal value addressed like the admin-configured `signal_mapping` rows (Sparkplug metric, OPC UA
 * node id, …): the pipeline resolves machine and signal kind from the mapping of the source.
 */
export const ZIngestSignalEvent = z.object({
  type: z.literal('signal'),
  address: z.string().min(1).max(1_000),
  value: z.union([z.number(), z.string().max(1_000), z.boolean()]),
  tsMs: ZIngestTsMs,
  source: ZIngestCode.optional(),
  eventId: z.string().trim().min(1).max(200).optional(),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const ZIngestEvent = z.discriminatedUnion('type', [
  ZIngestStateEvent,
  ZIngestCountEvent,
  ZIngestCounterEvent,
  ZIngestProductEvent,
  ZIngestWorkOrderEvent,
  ZIngestSignalEvent,
]);
export type TIngestEvent = z.infer<typeof ZIngestEvent>;
export type TIngestStateEvent = z.infer<typeof ZIngestStateEvent>;
export type TIngestCountEvent = z.infer<typeof ZIngestCountEvent>;
export type TIngestCounterEvent = z.infer<typeof ZIngestCounterEvent>;
export type TIngestProductEvent = z.infer<typeof ZIngestProductEvent>;
export type TIngestWorkOrderEvent = z.infer<typeof ZIngestWorkOrderEvent>;
export type TIngestSignalEvent = z.infer<typeof ZIngestSignalEvent>;

/** POST /api/v1/ingest/events. Events are validated one by one (a bad one is rejected, the rest applied). */
export const ZIngestEventsBody = z
  .object({
    events: z
      .array(z.unknown())
      .min(1)
      .max(INGEST_HTTP_MAX_EVENTS)
      .meta({ description: `1–${INGEST_HTTP_MAX_EVENTS} events, each one of the ingest event shapes.` }),
  })
  .meta({
    examples: [
      {
        events: [
          {
            type: 'state',
            machinePath: 'plant1/assembly/line1/press1',
            tsMs: 1_764_000_000_000,
            state: 'DOWN',
            reasonCode: 'MECH-JAM',
            source: 'mes-gateway',
            seq: 1,
          },
          { type: 'count', machinePath: 'plant1/assembly/line1/press1', tsMs: 1_764_000_005_000, good: 12, reject: 1 },
          {
            type: 'counter',
            machinePath: 'plant1/assembly/line1/press1',
            tsMs: 1_764_000_010_000,
            counter: 'good',
            value: 10_412,
          },
        ],
      },
    ],
  });
export type TIngestEventsBody = z.infer<typeof ZIngestEventsBody>;

export const ZIngestEventStatus = z.enum(['accepted', 'duplicate', 'rejected']);
export type TIngestEventStatus = z.infer<typeof ZIngestEventStatus>;

export const ZIngestEventResult = z.object({
  index: z.number().int().min(0),
  status: ZIngestEventStatus,
  reason: z.string().optional(),
});
export type TIngestEventResult = z.infer<typeof ZIngestEventResult>;

export const ZIngestEventsResponse = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(ZIngestEventResult),
});
export type TIngestEventsResponse = z.infer<typeof ZIngestEventsResponse>;

/** One source's row of GET /api/v1/ingest/status. */
export const ZIngestSourceStatus = z.object({
  sourceCode: z.string(),
  sourceKind: z.string(),
  isConnected: z.boolean().nullable().meta({ description: 'null for sources without a connection (HTTP).' }),
  lastMessageAt: z.iso.datetime().nullable(),
  messagesTotal: z.number(),
  messagesPerSec: z.number(),
  duplicates: z.number(),
  deadLetters: z.number(),
  spoolDepth: z.number().meta({ description: 'Events in the bridge’s on-disk spool, not yet written.' }),
  pendingEvents: z.number().meta({ description: 'Events the bridge received and has not stored yet.' }),
  unackedMessages: z
    .number()
    .meta({ description: 'MQTT messages not acknowledged to the broker yet (it redelivers them after a crash).' }),
  lagMs: z.number().nullable().meta({ description: 'Event time → committed, last batch (ms).' }),
  updatedAt: z.iso.datetime(),
  isStale: z.boolean().meta({ description: 'The reporting process has not updated this row for a while.' }),
});
export type TIngestSourceStatus = z.infer<typeof ZIngestSourceStatus>;
export const ZIngestStatusResponse = z.object({ sources: z.array(ZIngestSourceStatus) });
export type TIngestStatusResponse = z.infer<typeof ZIngestStatusResponse>;

export const ZDeadLetterQuery = z.object({
  source: z.string().min(1).max(100).optional().meta({ description: 'data_source code or source kind.' }),
  from: storableInstant(z.iso.datetime())
    .optional()
    .meta({ description: 'Only dead letters received at or after this time.' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: sequenceOrderCursor.param,
});
export type TDeadLetterQuery = z.infer<typeof ZDeadLetterQuery>;

export const ZDeadLetter = z.object({
  id: z.string(),
  receivedAt: z.iso.datetime(),
  dataSourceId: z.string().nullable(),
  sourceKind: z.string(),
  address: z.string(),
  payload: z.string(),
  isPayloadTruncated: z.boolean(),
  reason: z.string(),
});
export type TDeadLetter = z.infer<typeof ZDeadLetter>;
export const ZDeadLetterList = listOf(ZDeadLetter);
