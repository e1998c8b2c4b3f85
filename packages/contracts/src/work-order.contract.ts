// Work orders (docs/domain.md "Work orders"): the lifecycle DRAFT → RELEASED → IN_PROGRESS ⇄ PAUSED → COMPLETED
// (CANCELLED from any open state), dispatch to a line, counts from the machine counters plus manual adjustments
// (recorded one by one, and audited), and the progress figures (good vs target, run rate, projected finish) the
// read endpoints answer.
import { z } from 'zod';
import { storableInstant } from './instant.contract.ts';
import { instantOrderCursor, listQuery } from './list.contract.ts';

export const WORK_ORDER_STATUSES = ['DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export const ZWorkOrderStatus = z.enum(WORK_ORDER_STATUSES);
export type TWorkOrderStatus = z.infer<typeof ZWorkOrderStatus>;

/** The transition endpoints, `POST /work-orders/:id/<action>`. */
export const WORK_ORDER_ACTIONS = ['release', 'dispatch', 'start', 'pause', 'resume', 'complete', 'cancel'] as const;
export const ZWorkOrderAction = z.enum(WORK_ORDER_ACTIONS);
export type TWorkOrderAction = z.infer<typeof ZWorkOrderAction>;

/** Where the counted part of an order's output comes from (see the work-order module of the API). */
export const WORK_ORDER_COUNT_SOURCES = ['work-order-tag', 'line-output', 'none'] as const;
export const ZWorkOrderCountSource = z.enum(WORK_ORDER_COUNT_SOURCES);
export type TWorkOrderCountSource = z.infer<typeof ZWorkOrderCountSource>;

const ZTimestamp = z.iso.datetime({ offset: true });
/** A due date a client sends: an instant PostgreSQL stores. */
const ZDueAt = storableInstant(ZTimestamp);

/** Order numbers usually come from the ERP: letters, digits and `-_./`, as typed there. */
export const ZWorkOrderNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, 'Use 1–40 letters, digits or . _ / -, starting with a letter or digit')
  .meta({ description: 'The order number, unique, e.g. `WO-9001`.' });

const ZTargetQuantity = z
  .number()
  .int('Must be a whole number of parts')
  .min(1, 'Must be at least 1')
  .max(100_000_000, 'At most 100,000,000')
  .meta({ description: 'Good parts to make.' });

const ZNote = z.string().trim().min(1).max(500).meta({ description: 'Why, for the transition history.' });

export const ZWorkOrderProduction = z
  .object({
    goodCount: z.number().int().meta({ description: 'Good parts: counted + adjustments (never below 0).' }),
    scrapCount: z.number().int().meta({ description: 'Scrap parts: counted + adjustments (never below 0).' }),
    countedGoodCount: z.number().int().meta({ description: 'Good parts counted by the output machine.' }),
    countedScrapCount: z.number().int().meta({ description: 'Rejects counted by all machines of the order.' }),
    adjustmentGoodCount: z.number().int().meta({ description: 'Sum of the manual good-count adjustments.' }),
    adjustmentScrapCount: z.number().int().meta({ description: 'Sum of the manual scrap-count adjustments.' }),
    countSource: ZWorkOrderCountSource.meta({
      description:
        '`work-order-tag`: counts the machines tagged with this order; `line-output`: counts of the line while ' +
        'the order was IN_PROGRESS; `none`: nothing counted yet.',
    }),
    outputMachineId: z
      .uuid()
      .nullable()
      .meta({ description: 'The machine whose good count is the order’s output (most downstream).' }),
    runTimeSec: z.number().nonnegative().meta({ description: 'Time spent IN_PROGRESS so far.' }),
    progress: z.number().nonnegative().meta({ description: 'goodCount / targetQuantity (1 = target reached).' }),
    runRatePartsPerHour: z
      .number()
      .nonnegative()
      .nullable()
      .meta({ description: 'Good parts per hour IN_PROGRESS; null before the first minute of run time.' }),
    remainingRunTimeSec: z
      .number()
      .nonnegative()
      .nullable()
      .meta({ description: 'Run time still needed at the run rate (open orders with a rate > 0).' }),
    projectedFinishAt: ZTimestamp.nullable().meta({
      description: 'now + remainingRunTimeSec while IN_PROGRESS; null otherwise.',
    }),
  })
  .meta({ description: 'Produced counts and progress, computed at read time.' });
export type TWorkOrderProduction = z.infer<typeof ZWorkOrderProduction>;

const EXAMPLE_ORDER = {
  id: '3d7c2e1a-5b4f-4c6d-9e8f-0a1b2c3d4e5f',
  number: 'WO-9001',
  productId: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
  lineId: '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
  status: 'IN_PROGRESS' as const,
  targetQuantity: 2400,
  dueAt: '2026-11-28T14:00:00.000Z',
  startedAt: '2026-11-25T06:00:00.000Z',
  completedAt: null,
  createdAt: '2026-11-24T08:00:00.000Z',
  updatedAt: '2026-11-25T06:00:00.000Z',
  version: 4,
  production: {
    goodCount: 1195,
    scrapCount: 17,
    countedGoodCount: 1200,
    countedScrapCount: 12,
    adjustmentGoodCount: -5,
    adjustmentScrapCount: 5,
    countSource: 'line-output' as const,
    outputMachineId: '9c1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    runTimeSec: 14_400,
    progress: 0.4979,
    runRatePartsPerHour: 298.75,
    remainingRunTimeSec: 14_520.5,
    projectedFinishAt: '2026-11-25T14:02:00.500Z',
  },
};

export const ZWorkOrder = z
  .object({
    id: z.uuid(),
    number: z.string(),
    productId: z.uuid(),
    lineId: z.uuid().nullable().meta({ description: 'The line it is dispatched to; null before dispatch.' }),
    status: ZWorkOrderStatus,
    targetQuantity: z.number().int(),
    dueAt: ZTimestamp.nullable(),
    startedAt: ZTimestamp.nullable().meta({ description: 'First start.' }),
    completedAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
    production: ZWorkOrderProduction,
  })
  .meta({ examples: [EXAMPLE_ORDER] });
export type TWorkOrder = z.infer<typeof ZWorkOrder>;

export const ZWorkOrderCreate = z
  .strictObject({
    number: ZWorkOrderNumber,
    productId: z.uuid(),
    targetQuantity: ZTargetQuantity,
    dueAt: ZDueAt.nullable().optional(),
  })
  .meta({
    examples: [
      {
        number: 'WO-9001',
        productId: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        targetQuantity: 2400,
        dueAt: '2026-11-28T14:00:00Z',
      },
    ],
  });
export type TWorkOrderCreate = z.infer<typeof ZWorkOrderCreate>;

export const ZWorkOrderUpdate = z
  .strictObject({
    number: ZWorkOrderNumber.optional(),
    productId: z.uuid().optional(),
    targetQuantity: ZTargetQuantity.optional(),
    dueAt: ZDueAt.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Change at least one field',
  })
  .meta({ examples: [{ targetQuantity: 3000, dueAt: '2026-11-29T14:00:00Z' }] });
export type TWorkOrderUpdate = z.infer<typeof ZWorkOrderUpdate>;

/** Body of release, start, pause, resume, complete and cancel: an optional note for the history. */
export const ZWorkOrderTransitionRequest = z
  .strictObject({ note: ZNote.optional() })
  .meta({ examples: [{ note: 'Material shortage at station 2' }, {}] });
export type TWorkOrderTransitionRequest = z.infer<typeof ZWorkOrderTransitionRequest>;

export const ZWorkOrderDispatchRequest = z
  .strictObject({
    lineId: z.uuid().meta({ description: 'The line that will run the order.' }),
    note: ZNote.optional(),
  })
  .meta({ examples: [{ lineId: '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e' }] });
export type TWorkOrderDispatchRequest = z.infer<typeof ZWorkOrderDispatchRequest>;

const ZCountDelta = z.number().int().min(-1_000_000).max(1_000_000);

/** A manual correction of the counts (e.g. parts scrapped at final inspection), with its reason. */
export const ZWorkOrderAdjustmentRequest = z
  .strictObject({
    goodDelta: ZCountDelta.default(0).meta({ description: 'Added to the good count (negative to subtract).' }),
    scrapDelta: ZCountDelta.default(0).meta({ description: 'Added to the scrap count (negative to subtract).' }),
    reason: z.string().trim().min(1, 'Give a reason').max(500),
  })
  .refine((body) => body.goodDelta !== 0 || body.scrapDelta !== 0, {
    message: 'Adjust the good or the scrap count (a non-zero delta)',
    path: ['goodDelta'],
  })
  .meta({ examples: [{ goodDelta: -5, scrapDelta: 5, reason: 'Final inspection: 5 housings with cracks' }] });
export type TWorkOrderAdjustmentRequest = z.infer<typeof ZWorkOrderAdjustmentRequest>;

/** One manual adjustment of an order's counts, as recorded (the sums are the production figures' adjustments). */
export const ZWorkOrderAdjustment = z
  .object({
    id: z.string().meta({ description: 'Sequence number (a 64-bit integer as a string).' }),
    goodDelta: z.number().int(),
    scrapDelta: z.number().int(),
    reason: z.string(),
    at: ZTimestamp,
    actorId: z.uuid().nullable(),
    actorLabel: z.string().nullable().meta({ description: 'Username of the actor, when known.' }),
  })
  .meta({
    examples: [
      {
        id: '3',
        goodDelta: -5,
        scrapDelta: 5,
        reason: 'Final inspection: 5 housings with cracks',
        at: '2026-11-25T11:40:00.000Z',
        actorId: '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b',
        actorLabel: 'supervisor',
      },
    ],
  });
export type TWorkOrderAdjustment = z.infer<typeof ZWorkOrderAdjustment>;

export const ZWorkOrderAdjustmentList = z.object({ items: z.array(ZWorkOrderAdjustment) });
export type TWorkOrderAdjustmentList = z.infer<typeof ZWorkOrderAdjustmentList>;

export const ZWorkOrderListQuery = listQuery(instantOrderCursor).extend({
  status: z
    .string()
    .transform((value, ctx) => {
      const statuses = value.split(',').map((s) => s.trim());
      for (const status of statuses) {
        if (!ZWorkOrderStatus.safeParse(status).success) {
          ctx.addIssue({ code: 'custom', message: `"${status}" is not one of ${WORK_ORDER_STATUSES.join(', ')}.` });
          return z.NEVER;
        }
      }
      return statuses as TWorkOrderStatus[];
    })
    .optional()
    .meta({ description: 'Comma-separated statuses, e.g. `RELEASED,IN_PROGRESS,PAUSED`.' }),
  lineId: z.uuid().optional().meta({ description: 'Only orders dispatched to this line.' }),
  productId: z.uuid().optional().meta({ description: 'Only orders of this product.' }),
});
export type TWorkOrderListQuery = z.infer<typeof ZWorkOrderListQuery>;

/** One entry of an order's status history (dispatch is recorded as RELEASED → RELEASED). */
export const ZWorkOrderTransition = z
  .object({
    id: z.string().meta({ description: 'Sequence number (a 64-bit integer as a string).' }),
    fromStatus: ZWorkOrderStatus.nullable().meta({ description: 'null for the creation.' }),
    toStatus: ZWorkOrderStatus,
    at: ZTimestamp,
    actorId: z.uuid().nullable(),
    actorLabel: z.string().nullable().meta({ description: 'Username of the actor, when known.' }),
    note: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        id: '17',
        fromStatus: 'IN_PROGRESS',
        toStatus: 'PAUSED',
        at: '2026-11-25T09:30:00.000Z',
        actorId: '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b',
        actorLabel: 'supervisor',
        note: 'Material shortage at station 2',
      },
    ],
  });
export type TWorkOrderTransition = z.infer<typeof ZWorkOrderTransition>;

export const ZWorkOrderTransitionList = z.object({ items: z.array(ZWorkOrderTransition) });
export type TWorkOrderTransitionList = z.infer<typeof ZWorkOrderTransitionList>;
