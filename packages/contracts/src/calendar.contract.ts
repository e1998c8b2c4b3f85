// Shift calendars and scheduled planned downtime (docs/domain.md "Plant model"): a site's shift patterns with
// their shifts and breaks, edited as one document, and ad-hoc planned downtime of a line or a machine.
import { z } from 'zod';
import { ZInstant } from './instant.contract.ts';
import { codeOrderCursor, instantOrderCursor, listQuery } from './list.contract.ts';

const MINUTES_PER_DAY = 1440;

const ZCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, `_`, `.` and `-` only');
const ZName = z.string().trim().min(1).max(200);
const ZUtcInstant = ZInstant.meta({ description: 'ISO 8601 instant, e.g. 2026-03-02T06:00:00Z.' });

export const ZShiftBreakInput = z.object({
  name: ZName,
  offsetMin: z
    .int()
    .min(0)
    .max(MINUTES_PER_DAY - 1)
    .meta({ description: 'Minutes after the shift starts.' }),
  durationMin: z.int().min(1).max(MINUTES_PER_DAY),
});
export type TShiftBreakInput = z.infer<typeof ZShiftBreakInput>;

/** Half-open minute ranges [a, b) overlap when each starts before the other ends. */
function rangesOverlap(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return a.from < b.to && b.from < a.to;
}

export const ZShiftInput = z
  .object({
    code: ZCode,
    name: ZName,
    startMinute: z
      .int()
      .min(0)
      .max(MINUTES_PER_DAY - 1)
      .meta({ description: 'Minutes after local midnight.' }),
    durationMin: z.int().min(1).max(MINUTES_PER_DAY),
    weekdays: z
      .array(z.int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'Weekdays must be unique')
      .meta({ description: 'ISO weekdays on which the shift starts (1 = Monday … 7 = Sunday).' }),
    breaks: z.array(ZShiftBreakInput).max(20).default([]),
  })
  .superRefine((shift, ctx) => {
    shift.breaks.forEach((b, index) => {
      if (b.offsetMin + b.durationMin > shift.durationMin) {
        ctx.addIssue({
          code: 'custom',
          path: ['breaks', index],
          message: `Break "${b.name}" ends ${b.offsetMin + b.durationMin} min after the shift starts, after the shift ends (${shift.durationMin} min)`,
        });
      }
      for (let other = 0; other < index; other++) {
        const o = shift.breaks[other]!;
        if (
          rangesOverlap(
            { from: b.offsetMin, to: b.offsetMin + b.durationMin },
            { from: o.offsetMin, to: o.offsetMin + o.durationMin },
          )
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['breaks', index],
            message: `Break "${b.name}" overlaps break "${o.name}"`,
          });
        }
      }
    });
  });
export type TShiftInput = z.infer<typeof ZShiftInput>;

const ZShiftList = z
  .array(ZShiftInput)
  .max(50)
  .superRefine((shifts, ctx) => {
    shifts.forEach((shift, index) => {
      if (shifts.findIndex((s) => s.code === shift.code) !== index) {
        ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `Duplicate shift code "${shift.code}"` });
      }
    });
  });

const EXAMPLE_SHIFTS = [
  {
    code: 'early',
    name: 'Early shift',
    startMinute: 360,
    durationMin: 480,
    weekdays: [1, 2, 3, 4, 5],
    breaks: [{ name: 'Lunch', offsetMin: 240, durationMin: 30 }],
  },
  { code: 'late', name: 'Late shift', startMinute: 840, durationMin: 480, weekdays: [1, 2, 3, 4, 5], breaks: [] },
];

export const ZShiftPatternCreateRequest = z
  .object({ siteId: z.uuid(), code: ZCode, name: ZName, shifts: ZShiftList.default([]) })
  .meta({
    examples: [
      {
        siteId: '7d1f0c3a-4b5e-4f6a-8b7c-9d0e1f2a3b4c',
        code: 'two-shift',
        name: 'Two shifts, Mon–Fri',
        shifts: EXAMPLE_SHIFTS,
      },
    ],
  });
export type TShiftPatternCreateRequest = z.infer<typeof ZShiftPatternCreateRequest>;

/** Partial update; `shifts`, when present, replaces all shifts of the pattern (with their breaks). */
export const ZShiftPatternUpdateRequest = z
  .object({ code: ZCode.optional(), name: ZName.optional(), shifts: ZShiftList.optional() })
  .meta({ examples: [{ name: 'Two shifts, Mon–Fri (2026)', shifts: EXAMPLE_SHIFTS }] });
export type TShiftPatternUpdateRequest = z.infer<typeof ZShiftPatternUpdateRequest>;

export const ZShiftBreak = ZShiftBreakInput.extend({ id: z.uuid() });
export const ZShift = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  startMinute: z.int(),
  durationMin: z.int(),
  weekdays: z.array(z.int()),
  breaks: z.array(ZShiftBreak),
});
export type TShift = z.infer<typeof ZShift>;

export const ZShiftPattern = z.object({
  id: z.uuid(),
  siteId: z.uuid(),
  code: z.string(),
  name: z.string(),
  version: z.int(),
  shifts: z.array(ZShift),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TShiftPattern = z.infer<typeof ZShiftPattern>;

export const ZShiftPatternListQuery = listQuery(codeOrderCursor).extend({
  siteId: z.uuid().optional().meta({ description: 'Only the patterns of this site.' }),
});
export type TShiftPatternListQuery = z.infer<typeof ZShiftPatternListQuery>;

// ---------------------------------------------------------------- planned downtime

export const ZPlannedDowntimeCreateRequest = z
  .object({
    lineId: z.uuid().nullish(),
    machineId: z.uuid().nullish(),
    reasonId: z.uuid().nullish().meta({ description: 'A PLANNED downtime reason (not a category).' }),
    startsAt: ZUtcInstant,
    endsAt: ZUtcInstant,
    note: z.string().trim().max(500).nullish(),
  })
  .superRefine((value, ctx) => {
    if ((value.lineId == null) === (value.machineId == null)) {
      ctx.addIssue({ code: 'custom', path: ['lineId'], message: 'Give exactly one of lineId and machineId' });
    }
    if (Date.parse(value.endsAt) <= Date.parse(value.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  })
  .meta({
    examples: [
      {
        lineId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
        startsAt: '2026-03-02T06:00:00Z',
        endsAt: '2026-03-02T08:00:00Z',
        note: 'Quarterly maintenance',
      },
    ],
  });
export type TPlannedDowntimeCreateRequest = z.infer<typeof ZPlannedDowntimeCreateRequest>;

/** Partial update; the merged result must still name exactly one of lineId/machineId and end after it starts. */
export const ZPlannedDowntimeUpdateRequest = z
  .object({
    lineId: z.uuid().nullish(),
    machineId: z.uuid().nullish(),
    reasonId: z.uuid().nullish(),
    startsAt: ZUtcInstant.optional(),
    endsAt: ZUtcInstant.optional(),
    note: z.string().trim().max(500).nullish(),
  })
  .meta({ examples: [{ endsAt: '2026-03-02T09:00:00Z', note: 'Maintenance, extended' }] });
export type TPlannedDowntimeUpdateRequest = z.infer<typeof ZPlannedDowntimeUpdateRequest>;

export const ZPlannedDowntime = z.object({
  id: z.uuid(),
  lineId: z.uuid().nullable(),
  machineId: z.uuid().nullable(),
  reasonId: z.uuid().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type TPlannedDowntime = z.infer<typeof ZPlannedDowntime>;

export const ZPlannedDowntimeListQuery = listQuery(instantOrderCursor).extend({
  lineId: z.uuid().optional().meta({ description: 'Only downtime scheduled for this line (as a whole).' }),
  machineId: z.uuid().optional().meta({ description: 'Only downtime scheduled for this machine.' }),
  from: ZUtcInstant.optional().meta({ description: 'Only downtime ending after this instant.' }),
  to: ZUtcInstant.optional().meta({ description: 'Only downtime starting before this instant.' }),
});
export type TPlannedDowntimeListQuery = z.infer<typeof ZPlannedDowntimeListQuery>;
