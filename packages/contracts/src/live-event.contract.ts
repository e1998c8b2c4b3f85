// The live stream (GET /api/v1/stream, Server-Sent Events): event types, their payloads and the scope
// filter. Writers append events to the `live_event` outbox (appendLiveEvents in @takt/db); the API fans
// them out. The SSE `id` is the outbox row id, so a client resumes with Last-Event-ID.
// The bridge's NOTIFY (TAKT_EVENTS_CHANNEL in uns.contract.ts) only wakes the API up early; the outbox is
// the source of truth, because a NOTIFY sent while the API is not listening is lost.
import { z } from 'zod';
import { ZMachineState } from './machine-state.contract.ts';

/** A machine entered a state. */
export const ZMachineStateLiveEvent = z.object({
  type: z.literal('machine-state'),
  machineId: z.uuid(),
  payload: z.object({
    machineId: z.uuid(),
    state: ZMachineState,
    startedAtMs: z.number().int(),
    reasonId: z.uuid().nullable(),
    productId: z.uuid().nullable(),
  }),
});

/** Parts counted by a machine in one bucket (deltas). */
export const ZCountLiveEvent = z.object({
  type: z.literal('count'),
  machineId: z.uuid(),
  payload: z.object({
    machineId: z.uuid(),
    bucketStartMs: z.number().int(),
    goodDelta: z.number().int().nonnegative(),
    rejectDelta: z.number().int().nonnegative(),
  }),
});

/** A work order changed (created, transitioned, dispatched, counts adjusted). */
export const ZWorkOrderLiveEvent = z.object({
  type: z.literal('work-order'),
  lineId: z.uuid().nullable(),
  payload: z.object({
    workOrderId: z.uuid(),
    number: z.string(),
    status: z.enum(['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED']),
    lineId: z.uuid().nullable(),
    version: z.number().int(),
  }),
});

/** A supervisor classified or split a stop (a state interval): downtime figures of its range changed. */
export const ZDowntimeClassifiedLiveEvent = z.object({
  type: z.literal('downtime-classified'),
  machineId: z.uuid(),
  payload: z.object({
    machineId: z.uuid(),
    intervalId: z.string(),
    state: ZMachineState,
    startedAtMs: z.number().int(),
    endedAtMs: z.number().int().nullable(),
    reasonId: z.uuid().nullable(),
  }),
});

/** What a writer appends to the outbox; the scope ids above the given one are filled in on append. */
export const ZLiveEventInput = z.discriminatedUnion('type', [
  ZMachineStateLiveEvent,
  ZCountLiveEvent,
  ZWorkOrderLiveEvent,
  ZDowntimeClassifiedLiveEvent,
]);
export type TLiveEventInput = z.infer<typeof ZLiveEventInput>;

/**
 * `kpi-tick` (every 10 s per line, not stored, no SSE id): how many machines of the line are in each state
 * now (open state intervals of machines not archived).
 */
export const ZKpiTickPayload = z.object({
  lineId: z.uuid(),
  atMs: z.number().int(),
  machineCount: z.number().int().nonnegative(),
  stateCounts: z.partialRecord(ZMachineState, z.number().int().nonnegative()),
});
export type TKpiTickPayload = z.infer<typeof ZKpiTickPayload>;

/**
 * `reload`: the client's Last-Event-ID is older than the outbox retention (or unknown), so events were
 * missed for good: refetch what is on screen, then keep listening.
 */
export const ZReloadPayload = z.object({ reason: z.string() });

export const LIVE_EVENT_TYPES = [
  'machine-state',
  'count',
  'work-order',
  'downtime-classified',
  'kpi-tick',
  'reload',
] as const;
export const ZLiveEventType = z.enum(LIVE_EVENT_TYPES);
export type TLiveEventType = z.infer<typeof ZLiveEventType>;

export const ZLiveEventScope = z.object({
  siteId: z.uuid().nullable(),
  areaId: z.uuid().nullable(),
  lineId: z.uuid().nullable(),
  machineId: z.uuid().nullable(),
});
export type TLiveEventScope = z.infer<typeof ZLiveEventScope>;

/** The JSON in each SSE `data:` line; the SSE `event:` is `type` and the SSE `id:` is `id` (null for ticks). */
export const ZLiveEventMessage = z.object({
  id: z.string().nullable(),
  type: ZLiveEventType,
  atMs: z.number().int(),
  scope: ZLiveEventScope,
  payload: z.unknown(),
});
export type TLiveEventMessage = z.infer<typeof ZLiveEventMessage>;

/** Query of GET /stream: only events inside this scope (all given ids must match). */
export const ZStreamQuery = z.object({
  siteId: z.uuid().optional(),
  areaId: z.uuid().optional(),
  lineId: z.uuid().optional(),
  machineId: z.uuid().optional(),
});
export type TStreamQuery = z.infer<typeof ZStreamQuery>;
