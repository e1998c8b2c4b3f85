// Downtime reasons (docs/domain.md "Plant model"): a two-level tree, categories → reasons, each PLANNED or
// UNPLANNED with a unique code; a reason has its category's kind.
import { z } from 'zod';
import { ZQueryBoolean } from './list.contract.ts';

export const DOWNTIME_KINDS = ['PLANNED', 'UNPLANNED'] as const;
export const ZDowntimeKind = z.enum(DOWNTIME_KINDS);
export type TDowntimeKind = z.infer<typeof ZDowntimeKind>;

export const ZReasonCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, `_`, `.` and `-` only');

export const ZDowntimeReasonCreateRequest = z
  .object({
    code: ZReasonCode,
    name: z.string().trim().min(1).max(200),
    kind: ZDowntimeKind,
    parentId: z.uuid().nullish().meta({ description: 'The category of a reason; absent for a category.' }),
  })
  .meta({
    examples: [
      { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' },
      { code: 'MECH-JAM', name: 'Jam', kind: 'UNPLANNED', parentId: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9' },
    ],
  });
export type TDowntimeReasonCreateRequest = z.infer<typeof ZDowntimeReasonCreateRequest>;

export const ZDowntimeReasonUpdateRequest = z
  .object({
    code: ZReasonCode.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    kind: ZDowntimeKind.optional(),
    parentId: z.uuid().nullish(),
  })
  .meta({ examples: [{ name: 'Material jam' }] });
export type TDowntimeReasonUpdateRequest = z.infer<typeof ZDowntimeReasonUpdateRequest>;

export const ZDowntimeReason = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  code: z.string(),
  name: z.string(),
  kind: ZDowntimeKind,
  archivedAt: z.iso.datetime().nullable(),
  version: z.int(),
});
export type TDowntimeReason = z.infer<typeof ZDowntimeReason>;

export const ZDowntimeReasonCategory = ZDowntimeReason.extend({ children: z.array(ZDowntimeReason) });
export type TDowntimeReasonCategory = z.infer<typeof ZDowntimeReasonCategory>;

export const ZDowntimeReasonTree = z.object({ items: z.array(ZDowntimeReasonCategory) });
export type TDowntimeReasonTree = z.infer<typeof ZDowntimeReasonTree>;

export const ZDowntimeReasonTreeQuery = z.object({
  includeArchived: ZQueryBoolean.optional().meta({ description: 'Also list archived categories and reasons.' }),
});
export type TDowntimeReasonTreeQuery = z.infer<typeof ZDowntimeReasonTreeQuery>;
