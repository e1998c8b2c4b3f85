// The Unified Namespace (UNS) JSON-over-MQTT contract (packages/ingest/README.md, documented for
// users in apps/bridge/README.md): topics `{prefix}/{site}/{area}/{line}/{machine}/{signal}` and their
// payloads, plus the `takt_events` notification the bridge sends after each committed ingest batch.
// Modelled on the United Manufacturing Hub's data contract where it fits: `timestamp_ms` (Unix ms) on every
// payload, numeric UMH state codes accepted next to Takt state names, UMH's classic `count`/`scrap` shape
// accepted next to Takt's `good`/`reject` deltas.
import { z } from 'zod';
import { ZMachineState } from './machine-state.contract.ts';

/** The machine signals a UNS topic can carry; the last topic level. */
export const UNS_SIGNALS = ['state', 'count'] as const;
export const ZUnsSignal = z.enum(UNS_SIGNALS);
export type TUnsSignal = z.infer<typeof ZUnsSignal>;

// MQTT topic levels must not be empty here and must not hold the wildcards `+`/`#` (MQTT 5.0 §4.7.1).
const TOPIC_LEVEL = /^[^/+#]+$/;

/** A topic prefix such as `takt` or `umh/v1/acme`: one or more levels, no wildcards, no empty level. */
export const ZUnsTopicPrefix = z
  .string()
  .trim()
  .refine((value) => value.split('/').every((level) => TOPIC_LEVEL.test(level)), {
    message: 'must be one or more MQTT topic levels separated by "/", without wildcards or empty levels',
  });

// Unix milliseconds between 2000-01-01 and 2100-01-01: catches seconds sent as milliseconds (UMH users
// coming from other systems do this) and garbage, while leaving "too far in the future" to the ingest,
// which knows the current time.
const ZTimestampMs = z
  .number()
  .int('must be an integer number of milliseconds')
  .min(946_684_800_000, 'must be Unix milliseconds (looks like seconds or a date before 2000)')
  .max(4_102_444_800_000, 'must be Unix milliseconds before 2100')
  .meta({ description: 'Event time, Unix epoch milliseconds (UTC), as in the UMH data contract.' });

const ZCode = z.string().trim().min(1).max(100);

// One message never carries more than this many parts; keeps the int4 bucket sums far from overflow.
const MAX_COUNT_DELTA = 1_000_000;
const ZCountDelta = z.number().int('must be an integer').min(0, 'must be a delta ≥ 0').max(MAX_COUNT_DELTA);

/** Payload of `{prefix}/{site}/{area}/{line}/{machine}/state`. */
export const ZUnsStatePayload = z.object({
  state: z.union([ZMachineState, z.number().int().nonnegative()]).meta({
    description: 'A Takt machine state, or a numeric PackML (0–17) or UMH (10000–229999) state code.',
  }),
  timestamp_ms: ZTimestampMs,
  reason: ZCode.optional().meta({ description: 'Downtime reason code (downtime_reason.code).' }),
  product: ZCode.optional().meta({ description: 'Product code being made; absent means unchanged.' }),
});
export type TUnsStatePayload = z.infer<typeof ZUnsStatePayload>;

/**
 * The state payload of a topic whose STATE signal mapping has a value map: `state` is any key of that map
 * (the machine's own codes, texts or a Boolean "running" bit); the map says which Takt state each one is.
 */
export const ZUnsValueMappedStatePayload = ZUnsStatePayload.extend({
  state: z.union([z.string().min(1).max(100), z.number(), z.boolean()]).meta({
    description: 'A key of the value map of the topic’s STATE signal mapping.',
  }),
});
export type TUnsValueMappedStatePayload = z.infer<typeof ZUnsValueMappedStatePayload>;

/** Payload of `{prefix}/{site}/{area}/{line}/{machine}/count`: parts made since the previous message. */
export const ZUnsCountPayload = z.object({
  good: ZCountDelta,
  reject: ZCountDelta.optional(),
  timestamp_ms: ZTimestampMs,
});
export type TUnsCountPayload = z.infer<typeof ZUnsCountPayload>;

/** UMH's classic count message: `count` items made, `scrap` of them defective (so good = count − scrap). */
export const ZUmhCountPayload = z
  .object({
    count: ZCountDelta,
    scrap: ZCountDelta.optional(),
    timestamp_ms: ZTimestampMs,
  })
  .refine((value) => (value.scrap ?? 0) <= value.count, { message: 'scrap must not exceed count', path: ['scrap'] });
export type TUmhCountPayload = z.infer<typeof ZUmhCountPayload>;

export type TUnsTopic = { machinePath: string; signal: TUnsSignal };

/**
 * Splits a UNS topic into the machine path `site/area/line/machine` and the signal, or returns null when
 * the topic is not `{prefix}/{site}/{area}/{line}/{machine}/{state|count}`.
 */
export function parseUnsTopic(prefix: string, topic: string): TUnsTopic | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels.length !== 5 || !levels.every((level) => TOPIC_LEVEL.test(level))) return null;
  const signal = ZUnsSignal.safeParse(levels[4]);
  if (!signal.success) return null;
  return { machinePath: levels.slice(0, 4).join('/'), signal: signal.data };
}

/** The topic on which `machinePath` (`site/area/line/machine`) publishes `signal`. */
export function unsTopic(prefix: string, machinePath: string, signal: TUnsSignal): string {
  return `${prefix}/${machinePath}/${signal}`;
}

// ---------------------------------------------------------------- takt_events notification

/** PostgreSQL channel on which the bridge announces each committed ingest batch (`LISTEN takt_events`). */
export const TAKT_EVENTS_CHANNEL = 'takt_events';

/**
 * Payload of one `takt_events` notification: the current state of each machine whose state changed and the
 * count deltas per machine and 60 s bucket, from one committed batch. A batch too large for one
 * notification (PostgreSQL caps a payload below 8000 bytes) is split over several.
 */
export const ZTaktEventsNotification = z.object({
  v: z.literal(1),
  states: z.array(
    z.object({
      machineId: z.uuid(),
      state: ZMachineState,
      startedAtMs: z.number().int(),
      reasonId: z.uuid().nullable(),
      productId: z.uuid().nullable(),
    }),
  ),
  counts: z.array(
    z.object({
      machineId: z.uuid(),
      bucketStartMs: z.number().int(),
      goodDelta: z.number().int().nonnegative(),
      rejectDelta: z.number().int().nonnegative(),
    }),
  ),
});
export type TTaktEventsNotification = z.infer<typeof ZTaktEventsNotification>;
