// Downtime classification (docs/api.md: supervisors classify downtime): the stops of a scope
// over a range, assigning or changing their reason (one or several at once) and splitting a stop in two. A stop is
// a stored state interval in a state that has a reason: the unplanned stops (DOWN, IDLE, CHANGEOVER, OFFLINE) take
// UNPLANNED reasons, planned stops (PLANNED_STOP) take PLANNED ones, so a reason never moves time between the
// ISO 22400 time buckets: the machine's state decides those.
import { z } from 'zod';
import { ZMachineState, type TMachineState } from './machine-state.contract.ts';
import { ZQueryBoolean } from './list.contract.ts';
import { cursorCodec, ZCursorBigintId, ZCursorInstant } from './cursor.contract.ts';
import { ZInstant } from './instant.contract.ts';
import { checkRange, ZKpiScopeFields } from './kpi.contract.ts';
import { ZDowntimeKind, type TDowntimeKind } from './reason.contract.ts';

/** Longest range of a stop list. */
export const DOWNTIME_MAX_RANGE_DAYS = 31;
/** Most stops classified in one request. */
export const DOWNTIME_MAX_BATCH = 500;

export const CLASSIFIABLE_STATES = ['DOWN', 'IDLE', 'CHANGEOVER', 'OFFLINE', 'PLANNED_STOP'] as const;
export const ZClassifiableState = z.enum(CLASSIFIABLE_STATES);
export type TClassifiableState = z.infer<typeof ZClassifiableState>;

/** The reason kind a stop in `state` takes. */
export function reasonKindForState(state: TMachineState): TDowntimeKind | null {
  if (state === 'PLANNED_STOP') return 'PLANNED';
  return (CLASSIFIABLE_STATES as readonly string[]).includes(state) ? 'UNPLANNED' : null;
}

/** A stop's id: the state interval's database id, a decimal integer. */
export const ZDowntimeIntervalId = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'A stop id is a positive decimal integer.')
  // Checked even when the pattern failed, so only a string of digits goes through BigInt.
  .refine((id) => !/^\d+$/.test(id) || BigInt(id) <= 9_223_372_036_854_775_807n, 'A stop id fits in 64 bits.')
  .meta({ description: 'Stop (state interval) id.', examples: ['4711'] });

export const ZDowntimeIntervalParams = z.object({ id: ZDowntimeIntervalId });

/** Stops run newest first: a page continues before the last stop's start and id. */
export const downtimeIntervalCursor = cursorCodec(z.tuple([ZCursorInstant, ZCursorBigintId]));

export const ZDowntimeIntervalListQuery = z
  .object({
    ...ZKpiScopeFields,
    from: ZInstant.meta({ description: 'Stops that end after this instant…' }),
    to: ZInstant.meta({ description: '…and start before this one.' }),
    state: z
      .string()
      .transform((value, ctx) => {
        const states = value.split(',').map((s) => s.trim());
        for (const state of states) {
          if (!ZClassifiableState.safeParse(state).success) {
            ctx.addIssue({ code: 'custom', message: `"${state}" is not one of ${CLASSIFIABLE_STATES.join(', ')}.` });
            return z.NEVER;
          }
        }
        return states as TClassifiableState[];
      })
      .optional()
      .meta({ description: `Comma-separated states to list (default all of ${CLASSIFIABLE_STATES.join(', ')}).` }),
    hasReason: ZQueryBoolean.optional().meta({
      description: 'false: only stops without a reason (to classify); true: only stops with one.',
    }),
    minDurationSec: z.coerce
      .number()
      .min(0)
      .max(86_400 * DOWNTIME_MAX_RANGE_DAYS)
      .optional()
      .meta({ description: 'Leave out shorter stops (micro-stops); open stops count up to the present.' }),
    limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Page size (1–500).' }),
    cursor: downtimeIntervalCursor.param,
  })
  .superRefine(checkRange(DOWNTIME_MAX_RANGE_DAYS));
export type TDowntimeIntervalListQuery = z.infer<typeof ZDowntimeIntervalListQuery>;

export const ZDowntimeInterval = z.object({
  id: ZDowntimeIntervalId,
  machine: z.object({ id: z.uuid(), code: z.string(), name: z.string(), path: z.string(), lineId: z.uuid() }),
  state: ZMachineState,
  startedAt: z.string(),
  /** null while the machine is still stopped. */
  endedAt: z.string().nullable(),
  /** Up to the present for an open stop. */
  durationSec: z.number().nonnegative(),
  reason: z
    .object({
      id: z.uuid(),
      code: z.string(),
      name: z.string(),
      kind: ZDowntimeKind,
      category: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
    })
    .nullable(),
  /** The machine's own code for the stop (PackML / UMH), as reported. */
  sourceCode: z.string().nullable(),
  /** A supervisor set the reason (a reason the machine reported is not a classification). */
  isClassified: z.boolean(),
  classifiedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  classifiedAt: z.string().nullable(),
});
export type TDowntimeInterval = z.infer<typeof ZDowntimeInterval>;

export const ZDowntimeIntervalList = z.object({ items: z.array(ZDowntimeInterval), nextCursor: z.string().nullable() });
export type TDowntimeIntervalList = z.infer<typeof ZDowntimeIntervalList>;

export const ZDowntimeClassifyRequest = z
  .object({
    intervalIds: z
      .array(ZDowntimeIntervalId)
      .min(1)
      .max(DOWNTIME_MAX_BATCH)
      .refine((ids) => new Set(ids).size === ids.length, 'Each stop may be named once.'),
    reasonId: z.uuid().meta({ description: 'A reason (not a category), unarchived, of the kind the stops take.' }),
  })
  .meta({ examples: [{ intervalIds: ['4711', '4712'], reasonId: '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f' }] });
export type TDowntimeClassifyRequest = z.infer<typeof ZDowntimeClassifyRequest>;

export const ZDowntimeSplitRequest = z
  .object({
    at: ZInstant.meta({ description: 'Where the second stop starts: strictly inside the stop (before the present).' }),
    reasonIdBefore: z.uuid().optional().meta({ description: 'Classify the first part (else it keeps its reason).' }),
    reasonIdAfter: z.uuid().optional().meta({ description: 'Classify the second part (else it keeps the reason).' }),
  })
  .meta({
    examples: [{ at: '2026-03-03T10:15:00Z', reasonIdAfter: '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f' }],
  });
export type TDowntimeSplitRequest = z.infer<typeof ZDowntimeSplitRequest>;

export const ZDowntimeIntervalItems = z.object({ items: z.array(ZDowntimeInterval) });
export type TDowntimeIntervalItems = z.infer<typeof ZDowntimeIntervalItems>;
