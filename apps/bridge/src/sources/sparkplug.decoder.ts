// Sparkplug B 3.0 wire format for the bridge: topic parsing (ch. 4 "Topics and Messages":
// `spBv1.0/{group_id}/{message_type}/{edge_node_id}[/{device_id}]`) and protobuf payload decoding with the
// Eclipse Tahu schema (npm `sparkplug-payload`, namespace `spBv1.0`) into plain numbers, so that nothing
// downstream sees protobuf `Long`s.
import { get as getSparkplugCodec } from 'sparkplug-payload';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export const SPARKPLUG_MESSAGE_TYPES = [
  'NBIRTH',
  'NDATA',
  'NDEATH',
  'NCMD',
  'DBIRTH',
  'DDATA',
  'DDEATH',
  'DCMD',
] as const;
export type SparkplugMessageType = (typeof SPARKPLUG_MESSAGE_TYPES)[number];

export type SparkplugTopic = {
  groupId: string;
  messageType: SparkplugMessageType;
  edgeNodeId: string;
  /** null for node-level messages (N…). */
  deviceId: string | null;
};

export type SparkplugMetricValue = number | boolean | string | null;

export type SparkplugMetric = {
  name: string | null;
  alias: number | null;
  /** Sparkplug datatype name (`Int32`, `UInt64`, `String`, …); null when the message omits it (DATA may). */
  type: string | null;
  value: SparkplugMetricValue;
  timestampMs: number | null;
};

export type SparkplugPayload = {
  timestampMs: number | null;
  seq: number | null;
  metrics: SparkplugMetric[];
};

type LongLike = { toNumber(): number } | { low: number; high: number; unsigned?: boolean };

const codec = (() => {
  const namespaceCodec = getSparkplugCodec(SPARKPLUG_NAMESPACE);
  if (!namespaceCodec) throw new Error(`sparkplug-payload does not know namespace ${SPARKPLUG_NAMESPACE}`);
  return namespaceCodec;
})();

function isLongLike(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

/** A protobuf uint64/int64 as a JS number (exact below 2^53, which counters and timestamps stay under). */
function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (isLongLike(value)) {
    if ('toNumber' in value && typeof value.toNumber === 'function') return value.toNumber();
    const { low, high, unsigned } = value as { low: number; high: number; unsigned?: boolean };
    return (unsigned ? high >>> 0 : high) * 2 ** 32 + (low >>> 0);
  }
  return null;
}

/** Parses a Sparkplug B topic; null for anything else (including STATE and unknown message types). */
export function parseSparkplugTopic(topic: string): SparkplugTopic | null {
  const levels = topic.split('/');
  if (levels[0] !== SPARKPLUG_NAMESPACE || levels.length < 4 || levels.length > 5) return null;
  const [, groupId, messageType, edgeNodeId, deviceId] = levels;
  if (!groupId || !edgeNodeId || !SPARKPLUG_MESSAGE_TYPES.includes(messageType as SparkplugMessageType)) return null;
  const isDeviceMessage = messageType?.startsWith('D') ?? false;
  if (isDeviceMessage !== (deviceId !== undefined) || deviceId === '') return null;
  return { groupId, messageType: messageType as SparkplugMessageType, edgeNodeId, deviceId: deviceId ?? null };
}

/** Decodes a Sparkplug B protobuf payload; throws on bytes that are not one. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload {
  const decoded = codec.decodePayload(bytes);
  const metrics = (decoded.metrics ?? []).map((metric): SparkplugMetric => {
    const raw: unknown = metric.isNull ? null : metric.value;
    const value: SparkplugMetricValue =
      raw === null || raw === undefined
        ? null
        : typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'string'
          ? raw
          : isLongLike(raw)
            ? toNumber(raw)
            : null;
    return {
      name: metric.name ?? null,
      alias: toNumber(metric.alias),
      type: typeof metric.type === 'string' ? metric.type : null,
      value,
      timestampMs: toNumber(metric.timestamp),
    };
  });
  return { timestampMs: toNumber(decoded.timestamp), seq: toNumber(decoded.seq), metrics };
}

export type SparkplugMetricInput = {
  name?: string;
  alias?: number;
  type: 'Int32' | 'Int64' | 'UInt32' | 'UInt64' | 'Boolean' | 'String' | 'Double';
  value: number | boolean | string | null;
  timestampMs?: number;
};

/** Encodes a Sparkplug B payload (used by the bridge for NCMD and by the simulator for everything it sends). */
export function encodeSparkplugPayload(payload: {
  timestampMs: number;
  seq?: number;
  metrics: SparkplugMetricInput[];
}): Uint8Array {
  return codec.encodePayload({
    timestamp: payload.timestampMs,
    ...(payload.seq === undefined ? {} : { seq: payload.seq }),
    metrics: payload.metrics.map((metric) => ({
      ...(metric.name === undefined ? {} : { name: metric.name }),
      ...(metric.alias === undefined ? {} : { alias: metric.alias }),
      ...(metric.timestampMs === undefined ? {} : { timestamp: metric.timestampMs }),
      type: metric.type,
      ...(metric.value === null ? { isNull: true, value: null } : { value: metric.value }),
    })),
  });
}
