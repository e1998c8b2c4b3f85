// Plant configuration (docs/domain.md "Plant model", ISA-95): sites, areas, lines, machines, products and
// their ideal cycle times — the bodies the admin API accepts and the resources it answers.
import { z } from 'zod';
import { codeOrderCursor, listQuery, ZQueryBoolean } from './list.contract.ts';

/** Codes appear in machine paths, MQTT topics and URLs: lower-case, digits and dashes, no slash. */
export const ZPlantCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use 1–40 lower-case letters, digits or dashes, starting with a letter or digit')
  .meta({ description: 'Stable human code, e.g. `line2`.' });

export const ZPlantName = z.string().trim().min(1, 'Name is required').max(120, 'At most 120 characters');

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. Europe/Berlin, UTC); offsets are refused. */
export function isIanaTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const ZTimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, 'Not an IANA time zone, e.g. Europe/Berlin')
  .meta({ description: 'IANA time zone of the site, e.g. `Europe/Berlin`.' });

const ZTimestamp = z.iso.datetime({ offset: true });
const ZArchivedAt = ZTimestamp.nullable().meta({ description: 'When it was archived; null while active.' });
const ZIncludeArchived = ZQueryBoolean.optional().meta({ description: 'Also list archived items.' });

const EXAMPLE_TIMES = {
  archivedAt: null,
  createdAt: '2026-11-25T08:00:00.000Z',
  updatedAt: '2026-11-25T08:00:00.000Z',
  version: 1,
};

// ---------------------------------------------------------------- sites

export const ZSite = z
  .object({
    id: z.uuid(),
    enterpriseId: z.uuid(),
    code: z.string(),
    name: z.string(),
    timeZone: z.string(),
    archivedAt: ZArchivedAt,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
  })
  .meta({
    examples: [
      {
        id: '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        enterpriseId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        code: 'plant1',
        name: 'Plant 1 — Stuttgart',
        timeZone: 'Europe/Berlin',
        ...EXAMPLE_TIMES,
      },
    ],
  });
export type TSite = z.infer<typeof ZSite>;

export const ZSiteCreate = z
  .strictObject({
    code: ZPlantCode,
    name: ZPlantName,
    timeZone: ZTimeZone,
    enterpriseId: z
      .uuid()
      .optional()
      .meta({ description: 'Owning enterprise; may be omitted while the installation has exactly one.' }),
  })
  .meta({ examples: [{ code: 'plant1', name: 'Plant 1 — Stuttgart', timeZone: 'Europe/Berlin' }] });
export type TSiteCreate = z.infer<typeof ZSiteCreate>;

export const ZSiteUpdate = z
  .strictObject({ code: ZPlantCode.optional(), name: ZPlantName.optional(), timeZone: ZTimeZone.optional() })
  .meta({ examples: [{ name: 'Plant 1 — Stuttgart-Feuerbach' }, { code: 'plant-stuttgart' }] });
export type TSiteUpdate = z.infer<typeof ZSiteUpdate>;

export const ZSiteListQuery = listQuery(codeOrderCursor).extend({ includeArchived: ZIncludeArchived });
export type TSiteListQuery = z.infer<typeof ZSiteListQuery>;

// ---------------------------------------------------------------- areas

export const ZArea = z
  .object({
    id: z.uuid(),
    siteId: z.uuid(),
    code: z.string(),
    name: z.string(),
    archivedAt: ZArchivedAt,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
  })
  .meta({
    examples: [
      {
        id: '7a1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        siteId: '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        code: 'assembly',
        name: 'Assembly',
        ...EXAMPLE_TIMES,
      },
    ],
  });
export type TArea = z.infer<typeof ZArea>;

export const ZAreaCreate = z
  .strictObject({ siteId: z.uuid(), code: ZPlantCode, name: ZPlantName })
  .meta({ examples: [{ siteId: '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', code: 'assembly', name: 'Assembly' }] });
export type TAreaCreate = z.infer<typeof ZAreaCreate>;

export const ZAreaUpdate = z
  .strictObject({ code: ZPlantCode.optional(), name: ZPlantName.optional() })
  .meta({ examples: [{ name: 'Final assembly' }] });
export type TAreaUpdate = z.infer<typeof ZAreaUpdate>;

export const ZAreaListQuery = listQuery(codeOrderCursor).extend({
  siteId: z.uuid().optional().meta({ description: 'Only the areas of this site.' }),
  includeArchived: ZIncludeArchived,
});
export type TAreaListQuery = z.infer<typeof ZAreaListQuery>;

// ---------------------------------------------------------------- lines

export const ZLine = z
  .object({
    id: z.uuid(),
    areaId: z.uuid(),
    code: z.string(),
    name: z.string(),
    shiftPatternId: z.uuid().nullable(),
    archivedAt: ZArchivedAt,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
  })
  .meta({
    examples: [
      {
        id: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        areaId: '7a1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        code: 'line2',
        name: 'Line 2',
        shiftPatternId: null,
        ...EXAMPLE_TIMES,
      },
    ],
  });
export type TLine = z.infer<typeof ZLine>;

export const ZLineCreate = z
  .strictObject({
    areaId: z.uuid(),
    code: ZPlantCode,
    name: ZPlantName,
    shiftPatternId: z.uuid().nullable().optional(),
  })
  .meta({ examples: [{ areaId: '7a1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', code: 'line2', name: 'Line 2' }] });
export type TLineCreate = z.infer<typeof ZLineCreate>;

export const ZLineUpdate = z
  .strictObject({
    code: ZPlantCode.optional(),
    name: ZPlantName.optional(),
    shiftPatternId: z.uuid().nullable().optional().meta({ description: 'null removes the shift pattern.' }),
  })
  .meta({ examples: [{ name: 'Line 2 (gearbox)' }, { shiftPatternId: null }] });
export type TLineUpdate = z.infer<typeof ZLineUpdate>;

export const ZLineListQuery = listQuery(codeOrderCursor).extend({
  areaId: z.uuid().optional().meta({ description: 'Only the lines of this area.' }),
  includeArchived: ZIncludeArchived,
});
export type TLineListQuery = z.infer<typeof ZLineListQuery>;

// ---------------------------------------------------------------- machines

export const ZMachine = z
  .object({
    id: z.uuid(),
    lineId: z.uuid(),
    code: z.string(),
    path: z.string().meta({ description: '`site/area/line/machine`, maintained by the server.' }),
    name: z.string(),
    sequence: z.number().int(),
    archivedAt: ZArchivedAt,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
  })
  .meta({
    examples: [
      {
        id: '9c1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        code: 'press3',
        path: 'plant1/assembly/line2/press3',
        name: 'Press 3',
        sequence: 2,
        ...EXAMPLE_TIMES,
      },
    ],
  });
export type TMachine = z.infer<typeof ZMachine>;

const ZSequence = z.number().int().min(0).max(10_000).meta({ description: 'Position in the line flow.' });

export const ZMachineCreate = z
  .strictObject({ lineId: z.uuid(), code: ZPlantCode, name: ZPlantName, sequence: ZSequence.optional() })
  .meta({
    examples: [{ lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', code: 'press3', name: 'Press 3', sequence: 2 }],
  });
export type TMachineCreate = z.infer<typeof ZMachineCreate>;

export const ZMachineUpdate = z
  .strictObject({
    lineId: z.uuid().optional().meta({ description: 'Moves the machine to another line; its history stays.' }),
    code: ZPlantCode.optional(),
    name: ZPlantName.optional(),
    sequence: ZSequence.optional(),
  })
  .meta({ examples: [{ name: 'Press 3 (servo)' }, { lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e' }] });
export type TMachineUpdate = z.infer<typeof ZMachineUpdate>;

export const ZMachineListQuery = listQuery(codeOrderCursor).extend({
  lineId: z.uuid().optional().meta({ description: 'Only the machines of this line.' }),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Part of the code, name or path.' }),
  includeArchived: ZIncludeArchived,
});
export type TMachineListQuery = z.infer<typeof ZMachineListQuery>;

// ---------------------------------------------------------------- products and ideal cycle times

export const ZProduct = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    archivedAt: ZArchivedAt,
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    version: z.number().int(),
  })
  .meta({
    examples: [{ id: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', code: 'gbx-200', name: 'Gearbox 200', ...EXAMPLE_TIMES }],
  });
export type TProduct = z.infer<typeof ZProduct>;

export const ZProductCreate = z
  .strictObject({ code: ZPlantCode, name: ZPlantName })
  .meta({ examples: [{ code: 'gbx-200', name: 'Gearbox 200' }] });
export type TProductCreate = z.infer<typeof ZProductCreate>;

export const ZProductUpdate = z
  .strictObject({ code: ZPlantCode.optional(), name: ZPlantName.optional() })
  .meta({ examples: [{ name: 'Gearbox 200 (rev. B)' }] });
export type TProductUpdate = z.infer<typeof ZProductUpdate>;

export const ZProductListQuery = listQuery(codeOrderCursor).extend({ includeArchived: ZIncludeArchived });
export type TProductListQuery = z.infer<typeof ZProductListQuery>;

/** One ideal cycle time: for a whole line or for one machine (the machine's value wins). */
export const ZIdealCycleTimeInput = z
  .strictObject({
    lineId: z.uuid().optional(),
    machineId: z.uuid().optional(),
    idealCycleTimeSec: z.number().positive('Must be greater than 0').max(86_400),
  })
  .refine((item) => (item.lineId === undefined) !== (item.machineId === undefined), {
    message: 'Give exactly one of lineId and machineId',
    path: ['lineId'],
  });

export const ZIdealCycleTimesPut = z
  .strictObject({ items: z.array(ZIdealCycleTimeInput).max(1_000) })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.items.forEach((item, index) => {
      const key = item.lineId !== undefined ? `line:${item.lineId}` : `machine:${item.machineId ?? ''}`;
      if (seen.has(key)) {
        context.addIssue({
          code: 'custom',
          message: 'Listed twice',
          path: ['items', index, item.lineId !== undefined ? 'lineId' : 'machineId'],
        });
      }
      seen.add(key);
    });
  })
  .meta({
    examples: [
      {
        items: [
          { lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', idealCycleTimeSec: 12.5 },
          { machineId: '9c1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e', idealCycleTimeSec: 11 },
        ],
      },
    ],
  });
export type TIdealCycleTimesPut = z.infer<typeof ZIdealCycleTimesPut>;

export const ZIdealCycleTime = z.object({
  id: z.uuid(),
  lineId: z.uuid().nullable(),
  machineId: z.uuid().nullable(),
  idealCycleTimeSec: z.number(),
});
export type TIdealCycleTime = z.infer<typeof ZIdealCycleTime>;

export const ZIdealCycleTimes = z.object({ productId: z.uuid(), items: z.array(ZIdealCycleTime) }).meta({
  examples: [
    {
      productId: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
      items: [
        {
          id: 'be1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
          lineId: '8b1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
          machineId: null,
          idealCycleTimeSec: 12.5,
        },
      ],
    },
  ],
});
export type TIdealCycleTimes = z.infer<typeof ZIdealCycleTimes>;
