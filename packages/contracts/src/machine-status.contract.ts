// GET /machines/status: the plant overview — every machine's current state, since when, why, and what
// it made in the last hour. Read by the andon/overview page and by integrations.
import { z } from 'zod';
import { ZMachineState } from './machine-state.contract.ts';

export const ZMachineStatusQuery = z.object({
  siteId: z.uuid().optional(),
  areaId: z.uuid().optional(),
  lineId: z.uuid().optional(),
});
export type TMachineStatusQuery = z.infer<typeof ZMachineStatusQuery>;

export const ZMachineStatus = z.object({
  machineId: z.uuid(),
  path: z.string().meta({ description: 'Stable code site/area/line/machine.' }),
  name: z.string(),
  site: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  area: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  line: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  /** Null when the machine never reported. */
  state: ZMachineState.nullable(),
  since: z.iso.datetime().nullable(),
  reason: z.object({ code: z.string(), name: z.string() }).nullable(),
  productCode: z.string().nullable(),
  workOrderNumber: z.string().nullable(),
  goodCountLastHour: z.number().int().nonnegative(),
  rejectCountLastHour: z.number().int().nonnegative(),
});
export type TMachineStatus = z.infer<typeof ZMachineStatus>;

export const ZMachineStatusResponse = z
  .object({
    asOf: z.iso.datetime().meta({ description: 'When the figures were read (at most about a second old).' }),
    machines: z.array(ZMachineStatus),
  })
  .meta({
    examples: [
      {
        asOf: '2026-11-25T09:00:00.000Z',
        machines: [
          {
            machineId: '8c1f4d2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f',
            path: 'plant1/assembly/line1/press1',
            name: 'Press 1',
            site: { id: '1c1f4d2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f', code: 'plant1', name: 'Plant 1' },
            area: { id: '2c1f4d2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f', code: 'assembly', name: 'Assembly' },
            line: { id: '3c1f4d2e-5b6a-4c3d-9e8f-0a1b2c3d4e5f', code: 'line1', name: 'Line 1' },
            state: 'DOWN',
            since: '2026-11-25T08:47:12.000Z',
            reason: { code: 'MECH-JAM', name: 'Jam' },
            productCode: 'BRK-1001',
            workOrderNumber: 'WO-2026-0117',
            goodCountLastHour: 412,
            rejectCountLastHour: 6,
          },
        ],
      },
    ],
  });
export type TMachineStatusResponse = z.infer<typeof ZMachineStatusResponse>;
