// Maps the state codes machines report onto Takt's machine states (docs/domain.md "Machine states": "PackML and
// UMH state codes map onto this table in the ingest pipeline"). The mapping is documented in
// apps/bridge/README.md; change both together.
//
// Two steps, the same for every source kind (UNS JSON, Sparkplug B, OPC UA, HTTP signals):
// 1. mapStateValue: a raw value through the value map of its signal mapping, when it has one, into a Takt state
//    name or a PackML/UMH code; without a value map the PackML and UMH tables below are the preset;
// 2. mapStateCode (in the pipeline): a PackML/UMH code to its Takt state, the raw code kept as source code.
//
// The two numeric families do not overlap: PackML state numbers are 0–17 (ISA-TR88.00.02 / OPC UA PackML
// StateNumber), UMH state codes are 10000–229999 in blocks of 10000 (UMH data model "states"; a code
// X…X+9999 belongs to block X, e.g. 180001 is an equipment failure).
import { MACHINE_STATES, type TMachineState, type TValueMap } from '@takt/contracts';

export type MappedState = { state: TMachineState; sourceCode: string | null };

// PackML distinguishes Suspended (external: starved/blocked → IDLE) from Held (internal process condition
// → DOWN); Aborted/Aborting/Clearing follow an abort, i.e. a fault. Undefined carries no information,
// which Takt records as OFFLINE (a data gap).
const PACKML_STATES: Record<number, { name: string; state: TMachineState }> = {
  0: { name: 'Undefined', state: 'OFFLINE' },
  1: { name: 'Clearing', state: 'DOWN' },
  2: { name: 'Stopped', state: 'IDLE' },
  3: { name: 'Starting', state: 'IDLE' },
  4: { name: 'Idle', state: 'IDLE' },
  5: { name: 'Suspended', state: 'IDLE' },
  6: { name: 'Execute', state: 'PRODUCING' },
  7: { name: 'Stopping', state: 'IDLE' },
  8: { name: 'Aborting', state: 'DOWN' },
  9: { name: 'Aborted', state: 'DOWN' },
  10: { name: 'Holding', state: 'DOWN' },
  11: { name: 'Held', state: 'DOWN' },
  12: { name: 'Unholding', state: 'DOWN' },
  13: { name: 'Suspending', state: 'IDLE' },
  14: { name: 'Unsuspending', state: 'IDLE' },
  15: { name: 'Resetting', state: 'IDLE' },
  16: { name: 'Completing', state: 'IDLE' },
  17: { name: 'Complete', state: 'IDLE' },
};

// UMH blocks. Producing at lower speed stays PRODUCING (the loss shows in performance, not availability);
// unknown → OFFLINE (data gap); material, operator and unspecified stops → IDLE; process stops
// (changeover, cleaning, emptying, setting up) → CHANGEOVER (setup loss); operator break → PLANNED_STOP;
// no shift / no order → NO_ORDER; failures and interference → DOWN; preventive maintenance → PLANNED_STOP.
const UMH_BLOCKS: Record<number, { name: string; state: TMachineState }> = {
  10000: { name: 'ProducingAtFullSpeed', state: 'PRODUCING' },
  20000: { name: 'ProducingAtLowerThanFullSpeed', state: 'PRODUCING' },
  30000: { name: 'Unknown', state: 'OFFLINE' },
  40000: { name: 'UnspecifiedStop / Idle / OperatorInteraction', state: 'IDLE' },
  50000: { name: 'Microstop', state: 'IDLE' },
  60000: { name: 'InletJam', state: 'IDLE' },
  70000: { name: 'OutletJam', state: 'IDLE' },
  80000: { name: 'CongestionBypass', state: 'IDLE' },
  90000: { name: 'MaterialIssueOther', state: 'IDLE' },
  100000: { name: 'Changeover', state: 'CHANGEOVER' },
  110000: { name: 'Cleaning', state: 'CHANGEOVER' },
  120000: { name: 'Emptying', state: 'CHANGEOVER' },
  130000: { name: 'SettingUp', state: 'CHANGEOVER' },
  140000: { name: 'OperatorNotAtMachine', state: 'IDLE' },
  150000: { name: 'OperatorBreak', state: 'PLANNED_STOP' },
  160000: { name: 'NoShift', state: 'NO_ORDER' },
  170000: { name: 'NoOrder', state: 'NO_ORDER' },
  180000: { name: 'EquipmentFailure', state: 'DOWN' },
  190000: { name: 'ExternalFailure', state: 'DOWN' },
  200000: { name: 'ExternalInterference', state: 'DOWN' },
  210000: { name: 'PreventiveMaintenanceStop', state: 'PLANNED_STOP' },
  220000: { name: 'TechnicalOtherStop', state: 'DOWN' },
};

/** The Takt state for a reported state (Takt name, PackML number or UMH code), or null when unknown. */
export function mapStateCode(reported: TMachineState | number): MappedState | null {
  if (typeof reported === 'string') return { state: reported, sourceCode: null };
  const packml = PACKML_STATES[reported];
  if (packml) return { state: packml.state, sourceCode: `packml:${reported}` };
  const umh = UMH_BLOCKS[Math.floor(reported / 10_000) * 10_000];
  if (umh) return { state: umh.state, sourceCode: `umh:${reported}` };
  return null;
}

const TAKT_STATES: ReadonlySet<string> = new Set(MACHINE_STATES);

/** What a state signal reports: a Takt state name, a PackML/UMH code, or a code a value map translates. */
export type StateValueResult = { ok: true; state: TMachineState | number } | { ok: false; reason: string };

/**
 * A reported state value (string, number or boolean) as the `state` of an ingest event: through `valueMap` when
 * the signal mapping has one (then only its keys are accepted; a value may map to a Takt state or to a
 * PackML/UMH code), else as a Takt state name or a PackML/UMH code (the presets).
 */
export function mapStateValue(raw: string | number | boolean, valueMap: TValueMap | null): StateValueResult {
  const isKnown = (value: unknown): value is TMachineState | number =>
    typeof value === 'string'
      ? TAKT_STATES.has(value)
      : typeof value === 'number' && Number.isInteger(value) && value >= 0 && mapStateCode(value) !== null;
  if (valueMap) {
    const key = String(raw);
    if (!Object.hasOwn(valueMap, key)) {
      return { ok: false, reason: `state value ${JSON.stringify(raw)} is not in the value map of its signal mapping` };
    }
    const mapped = valueMap[key];
    if (!isKnown(mapped)) {
      return {
        ok: false,
        reason: `the value map turns state value ${JSON.stringify(raw)} into ${JSON.stringify(mapped)}, which is neither a Takt state nor a PackML (0–17) or UMH (10000–229999) code`,
      };
    }
    return { ok: true, state: mapped };
  }
  if (isKnown(raw)) return { ok: true, state: raw };
  return {
    ok: false,
    reason: `unknown state ${JSON.stringify(raw)}: neither a Takt state nor a PackML (0–17) or UMH (10000–229999) code (a value map on the signal mapping can translate it)`,
  };
}
