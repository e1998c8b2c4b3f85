// The Sparkplug B host application's view of one group (Sparkplug B 3.0, ch. 5 "Operational Behavior",
// Host Application side): per edge node its bdSeq, the last `seq`, and per node/device the metric names and
// aliases of the last birth certificate. Pure (no I/O): the source feeds it decoded messages and carries out
// what it answers (events to ingest, dead letters, rebirth requests). Kept in memory only: after a bridge
// restart the first data message of an edge node we have no birth for triggers a rebirth request.
import type { TIngestEvent, TValueMap } from '@takt/contracts';
import { mapStateValue } from '@takt/ingest';
import {
  metricValueOf,
  type SparkplugDataType,
  type SparkplugMetric,
  type SparkplugPayload,
  type SparkplugTopic,
} from './sparkplug.decoder.ts';

export type SparkplugSignal = 'STATE' | 'GOOD_COUNT' | 'REJECT_COUNT' | 'PRODUCT';

/** One admin mapping (signal_mapping row): `{edge}/{device}/{metric}` → machine signal, with its value map. */
export type SparkplugMetricMapping = {
  address: string;
  machinePath: string;
  signal: SparkplugSignal;
  valueMap?: TValueMap | null;
};

/**
 * Default metric names the simulator (and any publisher following Takt's convention) uses when no mapping
 * names the device; the device id is then the machine path with `/` replaced by `:`.
 */
export const SPARKPLUG_DEFAULT_METRICS: Record<string, SparkplugSignal> = {
  State: 'STATE',
  GoodCount: 'GOOD_COUNT',
  RejectCount: 'REJECT_COUNT',
  Product: 'PRODUCT',
};
export const SPARKPLUG_DEVICE_PATH_SEPARATOR = ':';

/** The machine path a device id stands for by default (`plant1:assembly:line1:press1`). */
export function machinePathOfDeviceId(deviceId: string): string {
  return deviceId.split(SPARKPLUG_DEVICE_PATH_SEPARATOR).join('/');
}
/** The default device id of a machine path. */
export function deviceIdOfMachinePath(machinePath: string): string {
  return machinePath.split('/').join(SPARKPLUG_DEVICE_PATH_SEPARATOR);
}

export type SparkplugOutcome = {
  /** Normalized ingest events (@takt/contracts ingest.contract.ts); the source adds where they came from. */
  events: TIngestEvent[];
  /** Reasons this message (or metrics of it) cannot be ingested: each becomes a dead letter of the message. */
  problems: string[];
  /** Ask the edge node for a rebirth (publish NCMD `Node Control/Rebirth` = true). */
  isRebirthNeeded: boolean;
  /** Machines to put OFFLINE (NDEATH/DDEATH). */
  offlineMachinePaths: string[];
  /** Why the message was ignored without a dead letter (e.g. data while waiting for a birth), for logs. */
  ignoredBecause: string | null;
};

/** A metric of a birth certificate: its name and datatype (by which DATA messages without one are read). */
type MetricDefinition = { name: string; type: SparkplugDataType | null };

type DeviceSession = {
  definitions: Map<string, MetricDefinition>;
  /** alias → definition, from the device's DBIRTH. */
  aliases: Map<number, MetricDefinition>;
  isAlive: boolean;
  /** Machine path per signal of this device, resolved once per birth. */
  machinePaths: Set<string>;
  productCode: string | null;
};

type EdgeNodeSession = {
  bdSeq: number | null;
  lastSeq: number | null;
  /** Data is ignored until the next NBIRTH (after a gap, or when we never saw one). */
  isAwaitingBirth: boolean;
  devices: Map<string, DeviceSession>;
};

export type SparkplugHostStateOptions = {
  mappings?: readonly SparkplugMetricMapping[];
};

export type SparkplugHostState = {
  handle(topic: SparkplugTopic, payload: SparkplugPayload, receivedAtMs: number): SparkplugOutcome;
  /**
   * The host lost its MQTT connection: every metric of every edge node is STALE (ch. 5 "Host Application Session
   * Establishment"), so their machines go OFFLINE, and each node waits for a new birth. Returns those machines
   * and the edge nodes to ask for a rebirth once connected again.
   */
  markAllStale(): { offlineMachinePaths: string[]; edgeNodeIds: string[] };
  /** Machine paths of every device of every edge node currently born (for logs and tests). */
  liveDevices(): string[];
};

const SEQ_MODULUS = 256;

export function createSparkplugHostState(options: SparkplugHostStateOptions = {}): SparkplugHostState {
  const mappingByAddress = new Map((options.mappings ?? []).map((mapping) => [mapping.address, mapping]));
  const mappedDevices = new Set((options.mappings ?? []).map((m) => m.address.split('/').slice(0, 2).join('/')));
  const edgeNodes = new Map<string, EdgeNodeSession>();

  function resolve(edgeNodeId: string, deviceId: string, metricName: string) {
    const mapped = mappingByAddress.get(`${edgeNodeId}/${deviceId}/${metricName}`);
    if (mapped) return { machinePath: mapped.machinePath, signal: mapped.signal, valueMap: mapped.valueMap ?? null };
    // A device the admin mapped explicitly gets no defaults for its other metrics.
    if (mappedDevices.has(`${edgeNodeId}/${deviceId}`)) return null;
    const signal = SPARKPLUG_DEFAULT_METRICS[metricName];
    return signal ? { machinePath: machinePathOfDeviceId(deviceId), signal, valueMap: null } : null;
  }

  /** The bdSeq metric of an NBIRTH/NDEATH: an Int64 by ch. 5, UInt64 in Eclipse Tahu; any integer is taken. */
  function bdSeqOf(payload: SparkplugPayload): number | null {
    const metric = payload.metrics.find((each) => each.name === 'bdSeq');
    const value = metric ? metricValueOf(metric, metric.type ?? 'UInt64') : null;
    return typeof value === 'number' ? value : null;
  }

  const emptyOutcome = (): SparkplugOutcome => ({
    events: [],
    problems: [],
    isRebirthNeeded: false,
    offlineMachinePaths: [],
    ignoredBecause: null,
  });

  function devicePaths(edge: EdgeNodeSession, deviceId?: string): string[] {
    const paths: string[] = [];
    for (const [id, device] of edge.devices) {
      if (deviceId !== undefined && id !== deviceId) continue;
      if (device.isAlive) paths.push(...device.machinePaths);
    }
    return [...new Set(paths)];
  }

  /** Resolves a DATA/BIRTH metric to its definition: by name when present, else by the birth's alias. */
  function defineMetric(device: DeviceSession, metric: SparkplugMetric): MetricDefinition | null {
    if (metric.name !== null) return device.definitions.get(metric.name) ?? { name: metric.name, type: metric.type };
    if (metric.alias !== null) return device.aliases.get(metric.alias) ?? null;
    return null;
  }

  function applyMetrics(
    outcome: SparkplugOutcome,
    edgeNodeId: string,
    deviceId: string,
    device: DeviceSession,
    metrics: SparkplugMetric[],
    payloadTsMs: number,
  ): void {
    for (const metric of metrics) {
      const definition = defineMetric(device, metric);
      if (!definition) {
        outcome.problems.push(`unknown metric alias ${metric.alias ?? '(none)'} for device ${deviceId}`);
        continue;
      }
      const target = resolve(edgeNodeId, deviceId, definition.name);
      if (!target) continue; // metrics we do not map (diagnostics, properties) are not our business
      device.machinePaths.add(target.machinePath);
      const tsMs = metric.timestampMs ?? payloadTsMs;
      // DATA messages should leave the datatype out (tck-id-payloads-metric-datatype-not-req): the birth has it.
      const type = metric.type ?? definition.type;
      const value = metricValueOf(metric, type);
      if (value === undefined) {
        outcome.problems.push(
          type === null
            ? `metric ${definition.name}: no datatype, neither in the message nor in the birth certificate`
            : `metric ${definition.name}: the value does not fit its datatype ${type}`,
        );
        continue;
      }
      if (value === null) continue; // is_null: the value is unknown, not a change
      const machinePath = target.machinePath;
      switch (target.signal) {
        case 'STATE': {
          // The value map of the mapping, or a Takt state name / PackML / UMH code (the presets).
          const state = mapStateValue(value, target.valueMap);
          if (state.ok) outcome.events.push({ type: 'state', machinePath, tsMs, state: state.state });
          else outcome.problems.push(`metric ${definition.name}: ${state.reason}`);
          break;
        }
        case 'PRODUCT': {
          if (typeof value !== 'string' || value.trim() === '') {
            outcome.problems.push(`metric ${definition.name}: type mismatch, a product must be a non-empty String`);
          } else if (value !== device.productCode) {
            device.productCode = value;
            outcome.events.push({ type: 'product', machinePath, tsMs, productCode: value });
          }
          break;
        }
        case 'GOOD_COUNT':
        case 'REJECT_COUNT': {
          if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
            outcome.problems.push(
              `metric ${definition.name}: type mismatch, a counter must be a non-negative integer (got ${JSON.stringify(value)})`,
            );
            continue;
          }
          // Cumulative: the pipeline turns readings into deltas (with reset/rollover detection) and keeps the
          // last value in the database, so that neither a rebirth nor a bridge restart loses parts.
          const counter = target.signal === 'GOOD_COUNT' ? 'good' : 'reject';
          outcome.events.push({ type: 'counter', machinePath, tsMs, counter, value });
          break;
        }
      }
    }
  }

  /**
   * Sparkplug B 3.0 ch. 5 "Host Application" sequence rules: NBIRTH carries seq 0..255 and every further
   * message of the edge node (DBIRTH, NDATA, DDATA, DDEATH) the next value modulo 256. A gap means lost
   * messages: the host issues a rebirth request (NCMD `Node Control/Rebirth`) and ignores the node's data
   * until the new NBIRTH (tck-id-operational-behavior-host-reordering-rebirth).
   */
  function checkSeq(edge: EdgeNodeSession, seq: number | null): boolean {
    if (seq === null || edge.lastSeq === null) return false;
    const expected = (edge.lastSeq + 1) % SEQ_MODULUS;
    if (seq !== expected) return false;
    edge.lastSeq = seq;
    return true;
  }

  return {
    handle(topic, payload, receivedAtMs) {
      const outcome = emptyOutcome();
      const payloadTsMs = payload.timestampMs ?? receivedAtMs;
      const { edgeNodeId, deviceId, messageType } = topic;
      let edge = edgeNodes.get(edgeNodeId);

      switch (messageType) {
        case 'NBIRTH': {
          // A new birth replaces every definition of the node and its devices (ch. 5 "Edge Node Session
          // Establishment"): devices are born again by the DBIRTHs that follow.
          edge = {
            bdSeq: bdSeqOf(payload),
            lastSeq: payload.seq ?? 0,
            isAwaitingBirth: false,
            devices: new Map(),
          };
          edgeNodes.set(edgeNodeId, edge);
          return outcome;
        }
        case 'NDEATH': {
          if (!edge) return { ...outcome, ignoredBecause: 'death of an edge node we never saw born' };
          // tck-id-operational-behavior-host-application-ndeath-bdseq: a death whose bdSeq differs from the
          // current birth's belongs to an older session (the will of a connection already replaced).
          const bdSeq = bdSeqOf(payload);
          if (edge.bdSeq !== null && bdSeq !== null && bdSeq !== edge.bdSeq) {
            return { ...outcome, ignoredBecause: `stale NDEATH (bdSeq ${bdSeq}, current ${edge.bdSeq})` };
          }
          outcome.offlineMachinePaths.push(...devicePaths(edge));
          for (const device of edge.devices.values()) device.isAlive = false;
          edge.isAwaitingBirth = true;
          edge.lastSeq = null;
          return outcome;
        }
        case 'NCMD':
        case 'DCMD':
          return { ...outcome, ignoredBecause: 'command (ours or another host application’s)' };
        default:
          break;
      }

      // Everything else is numbered: no birth known, or a gap → rebirth, and ignore until the birth.
      if (!edge || edge.isAwaitingBirth) {
        if (!edge) edgeNodes.set(edgeNodeId, { bdSeq: null, lastSeq: null, isAwaitingBirth: true, devices: new Map() });
        return { ...outcome, isRebirthNeeded: true, ignoredBecause: 'no birth certificate for this edge node yet' };
      }
      if (!checkSeq(edge, payload.seq)) {
        const expected = ((edge.lastSeq ?? 0) + 1) % SEQ_MODULUS;
        edge.isAwaitingBirth = true;
        edge.lastSeq = null;
        return {
          ...outcome,
          isRebirthNeeded: true,
          ignoredBecause: `seq gap (got ${payload.seq ?? 'none'}, expected ${expected})`,
        };
      }

      if (messageType === 'NDATA') return outcome; // node-level metrics carry no machine signal
      if (deviceId === null) return outcome;

      if (messageType === 'DBIRTH') {
        const device: DeviceSession = {
          definitions: new Map(),
          aliases: new Map(),
          isAlive: true,
          machinePaths: new Set(),
          productCode: null,
        };
        for (const metric of payload.metrics) {
          if (metric.name === null) {
            outcome.problems.push(`DBIRTH metric without a name (alias ${metric.alias ?? 'none'})`);
            continue;
          }
          const definition = { name: metric.name, type: metric.type };
          device.definitions.set(metric.name, definition);
          if (metric.alias !== null) device.aliases.set(metric.alias, definition);
        }
        edge.devices.set(deviceId, device);
        // The birth carries current values: apply them (the same state again changes nothing downstream).
        applyMetrics(outcome, edgeNodeId, deviceId, device, payload.metrics, payloadTsMs);
        if (device.machinePaths.size === 0) outcome.problems.push(`unknown device ${edgeNodeId}/${deviceId}`);
        return outcome;
      }

      const device = edge.devices.get(deviceId);
      if (messageType === 'DDEATH') {
        if (device) {
          outcome.offlineMachinePaths.push(...devicePaths(edge, deviceId));
          device.isAlive = false;
        }
        return outcome;
      }
      // DDATA
      if (!device || !device.isAlive) {
        edge.isAwaitingBirth = true;
        edge.lastSeq = null;
        return { ...outcome, isRebirthNeeded: true, ignoredBecause: `DDATA of device ${deviceId} without DBIRTH` };
      }
      applyMetrics(outcome, edgeNodeId, deviceId, device, payload.metrics, payloadTsMs);
      if (device.machinePaths.size === 0) outcome.problems.push(`unknown device ${edgeNodeId}/${deviceId}`);
      return outcome;
    },
    markAllStale() {
      const offlineMachinePaths = new Set<string>();
      for (const edge of edgeNodes.values()) {
        for (const path of devicePaths(edge)) offlineMachinePaths.add(path);
        for (const device of edge.devices.values()) device.isAlive = false;
        edge.isAwaitingBirth = true;
        edge.lastSeq = null;
      }
      return { offlineMachinePaths: [...offlineMachinePaths], edgeNodeIds: [...edgeNodes.keys()] };
    },
    liveDevices() {
      const paths: string[] = [];
      for (const edge of edgeNodes.values()) paths.push(...devicePaths(edge));
      return paths.sort();
    },
  };
}
