// Machine states (docs/domain.md "Machine states") and the ISO 22400 time bucket each one falls in.
import { z } from 'zod';

export const MACHINE_STATES = [
  'PRODUCING',
  'IDLE',
  'DOWN',
  'CHANGEOVER',
  'PLANNED_STOP',
  'NO_ORDER',
  'OFFLINE',
] as const;
export const ZMachineState = z.enum(MACHINE_STATES);
export type TMachineState = z.infer<typeof ZMachineState>;

export type TTimeBucket = 'ACTUAL_PRODUCTION' | 'UNPLANNED_DOWN' | 'PLANNED_SHUTDOWN' | 'NOT_PLANNED';

export const STATE_TIME_BUCKET: Record<TMachineState, TTimeBucket> = {
  PRODUCING: 'ACTUAL_PRODUCTION',
  IDLE: 'UNPLANNED_DOWN',
  DOWN: 'UNPLANNED_DOWN',
  CHANGEOVER: 'UNPLANNED_DOWN',
  OFFLINE: 'UNPLANNED_DOWN',
  PLANNED_STOP: 'PLANNED_SHUTDOWN',
  NO_ORDER: 'NOT_PLANNED',
};
