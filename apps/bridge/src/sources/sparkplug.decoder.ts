// Sparkplug B 3.0 wire format for the bridge: topic parsing (ch. 4 "Topics and Messages":
// `spBv1.0/{group_id}/{message_type}/{edge_node_id}[/{device_id}]`) and the protobuf payload (ch. 6, Eclipse
// Tahu schema from npm `sparkplug-payload`, used at the protobuf level).
//
// Decoding keeps each metric's value as it came on the wire (which field of the protobuf `value` oneof, raw),
// because the datatype that says how to read it may be absent: DATA and CMD messages SHOULD NOT carry it
// (tck-id-payloads-metric-datatype-not-req), the host takes it from the birth certificate. `metricValueOf`
// reads a wire value as a datatype, into plain numbers (nothing downstream sees protobuf `Long`s).
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

const { Payload } = sparkplugProto.org.eclipse.tahu.protobuf;

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

/** Sparkplug B 3.0 ch. 6 "Data Types": the datatype of enum value i is SPARKPLUG_DATATYPES[i]. */
export const SPARKPLUG_DATATYPES = [
  'Unknown',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
  'UUID',
  'DataSet',
  'Bytes',
  'File',
  'Template',
  'PropertySet',
  'PropertySetList',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Int64Array',
  'UInt8Array',
  'UInt16Array',
  'UInt32Array',
  'UInt64Array',
  'FloatArray',
  'DoubleArray',
  'BooleanArray',
  'StringArray',
  'DateTimeArray',
] as const;
export type SparkplugDataType = (typeof SPARKPLUG_DATATYPES)[number];

/** A metric value as read by its datatype; null = is_null (the value is unknown). */
export type SparkplugMetricValue = number | boolean | string | null;

/** The protobuf `value` oneof as received: which field, and its raw content (uint64 as bigint). */
export type SparkplugWireValue =
  | { field: 'int'; value: number }
  | { field: 'long'; value: bigint }
  | { field: 'float' | 'double'; value: number }
  | { field: 'boolean'; value: boolean }
  | { field: 'string'; value: string }
  /** bytes, DataSet, Template or an extension: nothing Takt maps onto a machine signal. */
  | { field: 'other' };

export type SparkplugMetric = {
  name: string | null;
  alias: number | null;
  /** Datatype as sent; null when the message omits it (DATA and CMD messages should). */
  type: SparkplugDataType | null;
  isNull: boolean;
  /** null when no value field is set (is_null, or a malformed metric). */
  wireValue: SparkplugWireValue | null;
  timestampMs: number | null;
};

export type SparkplugPayload = {
  timestampMs: number | null;
  seq: number | null;
  metrics: SparkplugMetric[];
};

type LongLike = { low: number; high: number };

function isLongLike(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

/** A protobuf uint64 (number or Long) as an unsigned bigint. */
function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (!isLongLike(value)) return null;
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** A protobuf uint64 as a JS number: exact below 2^53, which aliases, seq and timestamps stay under. */
function toNumber(value: unknown): number | null {
  const big = toBigInt(value);
  return big === null ? null : Number(big);
}

function safeNumber(value: bigint): number | undefined {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
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

type DecodedMetric = sparkplugProto.org.eclipse.tahu.protobuf.Payload.IMetric;

/** The set member of the `value` oneof (protobufjs leaves the others null). */
function wireValueOf(metric: DecodedMetric): SparkplugWireValue | null {
  if (metric.intValue != null) return { field: 'int', value: metric.intValue };
  if (metric.longValue != null) {
    const value = toBigInt(metric.longValue);
    return value === null ? null : { field: 'long', value };
  }
  if (metric.floatValue != null) return { field: 'float', value: metric.floatValue };
  if (metric.doubleValue != null) return { field: 'double', value: metric.doubleValue };
  if (metric.booleanValue != null) return { field: 'boolean', value: metric.booleanValue };
  if (metric.stringValue != null) return { field: 'string', value: metric.stringValue };
  const isOther =
    metric.bytesValue != null ||
    metric.datasetValue != null ||
    metric.templateValue != null ||
    metric.extensionValue != null;
  return isOther ? { field: 'other' } : null;
}

/** Decodes a Sparkplug B protobuf payload; throws on bytes that are not one. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload {
  const decoded = Payload.decode(bytes);
  const has = (message: object, field: string) => Object.prototype.hasOwnProperty.call(message, field);
  const metrics = decoded.metrics.map((metric): SparkplugMetric => ({
    name: has(metric, 'name') ? (metric.name ?? null) : null,
    alias: has(metric, 'alias') ? toNumber(metric.alias) : null,
    // 0 (Unknown) is no datatype at all, like an absent field.
    type: metric.datatype ? (SPARKPLUG_DATATYPES[metric.datatype] ?? null) : null,
    isNull: metric.isNull === true,
    wireValue: wireValueOf(metric),
    timestampMs: has(metric, 'timestamp') ? toNumber(metric.timestamp) : null,
  }));
  return {
    timestampMs: has(decoded, 'timestamp') ? toNumber(decoded.timestamp) : null,
    seq: has(decoded, 'seq') ? toNumber(decoded.seq) : null,
    metrics,
  };
}

/**
 * A wire value read as `type` (ch. 6 "Datatype Details": integers up to 32 bits in int_value, 64-bit ones and
 * DateTime in long_value; UInt32 in long_value is accepted too, as the Tahu JavaScript library sends it). Signed
 * types are two's complement. undefined when the wire value does not fit the type, when the type carries nothing
 * Takt maps (DataSet, Bytes, arrays, …) or when an integer lies beyond 2^53.
 */
export function readWireValue(
  type: SparkplugDataType,
  wire: SparkplugWireValue | null,
): SparkplugMetricValue | undefined {
  if (wire === null) return undefined;
  switch (type) {
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'Int64':
      if (wire.field === 'int') return wire.value | 0;
      return wire.field === 'long' ? safeNumber(BigInt.asIntN(64, wire.value)) : undefined;
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
    case 'UInt64':
    case 'DateTime':
      if (wire.field === 'int') return wire.value >>> 0;
      return wire.field === 'long' ? safeNumber(wire.value) : undefined;
    case 'Float':
    case 'Double':
      return wire.field === 'float' || wire.field === 'double' ? wire.value : undefined;
    case 'Boolean':
      return wire.field === 'boolean' ? wire.value : undefined;
    case 'String':
    case 'Text':
    case 'UUID':
      return wire.field === 'string' ? wire.value : undefined;
    default:
      return undefined;
  }
}

/** A metric's value read as `type` (default: its own datatype): null when is_null, undefined when unreadable. */
export function metricValueOf(
  metric: SparkplugMetric,
  type: SparkplugDataType | null = metric.type,
): SparkplugMetricValue | undefined {
  if (metric.isNull) return null;
  return type === null ? undefined : readWireValue(type, metric.wireValue);
}

export type SparkplugMetricInput = {
  name?: string;
  alias?: number;
  type: 'Int32' | 'Int64' | 'UInt32' | 'UInt64' | 'Boolean' | 'String' | 'Double';
  value: number | boolean | string | null;
  timestampMs?: number;
  /** Leave the datatype out, as DATA and CMD messages should (tck-id-payloads-metric-datatype-not-req). */
  isDatatypeOmitted?: boolean;
};

function valueFieldOf(input: SparkplugMetricInput): Record<string, number | boolean | string> {
  if (input.value === null) return {};
  switch (input.type) {
    case 'Int32':
    case 'UInt32':
      return { intValue: input.value as number };
    case 'Int64':
    case 'UInt64':
      return { longValue: input.value as number };
    case 'Double':
      return { doubleValue: input.value as number };
    case 'Boolean':
      return { booleanValue: input.value as boolean };
    case 'String':
      return { stringValue: input.value as string };
  }
}

/** Encodes a Sparkplug B payload (the bridge's NCMD; tests playing an edge node). */
export function encodeSparkplugPayload(payload: {
  timestampMs: number;
  seq?: number;
  metrics: SparkplugMetricInput[];
}): Uint8Array {
  const message = Payload.create({
    timestamp: payload.timestampMs,
    ...(payload.seq === undefined ? {} : { seq: payload.seq }),
    metrics: payload.metrics.map((metric) => ({
      ...(metric.name === undefined ? {} : { name: metric.name }),
      ...(metric.alias === undefined ? {} : { alias: metric.alias }),
      ...(metric.timestampMs === undefined ? {} : { timestamp: metric.timestampMs }),
      ...(metric.isDatatypeOmitted ? {} : { datatype: SPARKPLUG_DATATYPES.indexOf(metric.type) }),
      ...(metric.value === null ? { isNull: true } : valueFieldOf(metric)),
    })),
  });
  return Payload.encode(message).finish();
}
