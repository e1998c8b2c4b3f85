// OT data sources (packages/ingest/README.md) and the mapping of their addresses to machine signals.
// `config` is validated per `kind` by a discriminated union.
import { z } from 'zod';
import { codeOrderCursor, listQuery } from './list.contract.ts';

export const DATA_SOURCE_KINDS = ['MQTT_SPARKPLUG', 'MQTT_JSON', 'OPCUA', 'HTTP'] as const;
export const ZDataSourceKind = z.enum(DATA_SOURCE_KINDS);
export type TDataSourceKind = z.infer<typeof ZDataSourceKind>;

export const SIGNAL_KINDS = [
  'STATE',
  'GOOD_COUNT',
  'REJECT_COUNT',
  'TOTAL_COUNT',
  'PRODUCT',
  'WORK_ORDER',
  'HEARTBEAT',
] as const;
export const ZSignalKind = z.enum(SIGNAL_KINDS);
export type TSignalKind = z.infer<typeof ZSignalKind>;

/** `new URL` accepts `opc.tcp://` with no host; a connection needs one. */
function hasHost(url: string): boolean {
  try {
    return new URL(url).hostname !== '';
  } catch {
    return false;
  }
}

const ZMqttUrl = z
  .url({ protocol: /^(mqtts?|wss?)$/, error: 'Must be an mqtt://, mqtts://, ws:// or wss:// URL' })
  .refine(hasHost, 'The URL needs a host')
  .meta({ description: 'Broker URL; absent: the broker Takt is configured with.' });
const ZMqttTopicPart = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^#+]+$/, 'No MQTT wildcards (# or +)');

/** A Sparkplug B sparkplug_host_id: the last level of `spBv1.0/STATE/{host_id}` (no MQTT wildcards, no `/`). */
export const ZSparkplugHostId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^#+/]+$/, 'No `/`, `#` or `+`');

export const ZMqttJsonConfig = z.strictObject({ brokerUrl: ZMqttUrl.optional(), topicPrefix: ZMqttTopicPart });
export const ZMqttSparkplugConfig = z.strictObject({
  brokerUrl: ZMqttUrl.optional(),
  groupId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^#+/]+$/, 'No `/`, `#` or `+`'),
  edgeNodeId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^#+/]+$/, 'No `/`, `#` or `+`')
    .optional(),
  hostApplicationId: ZSparkplugHostId.optional(),
});
export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const OPCUA_SECURITY_POLICIES = [
  'None',
  'Basic128Rsa15',
  'Basic256',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;
export const ZOpcUaConfig = z.strictObject({
  endpointUrl: z
    .url({ protocol: /^opc\.tcp$/, error: 'Must be an opc.tcp:// URL' })
    .refine(hasHost, 'The URL needs a host'),
  securityMode: z.enum(OPCUA_SECURITY_MODES),
  securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
  samplingIntervalMs: z.int().min(0).max(3_600_000),
});
export const ZHttpConfig = z.strictObject({});

/** The config schema of each kind, for validating a config whose kind is already known (PATCH). */
export const DATA_SOURCE_CONFIG_SCHEMAS = {
  MQTT_JSON: ZMqttJsonConfig,
  MQTT_SPARKPLUG: ZMqttSparkplugConfig,
  OPCUA: ZOpcUaConfig,
  HTTP: ZHttpConfig,
} as const satisfies Record<TDataSourceKind, z.ZodType>;

const ZDataSourceCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, `_`, `.` and `-` only');
const ZDataSourceBase = z.object({
  code: ZDataSourceCode,
  name: z.string().trim().min(1).max(200),
  isEnabled: z.boolean().default(true),
});

export const ZDataSourceCreateRequest = z
  .discriminatedUnion('kind', [
    ZDataSourceBase.extend({ kind: z.literal('MQTT_JSON'), config: ZMqttJsonConfig }),
    ZDataSourceBase.extend({ kind: z.literal('MQTT_SPARKPLUG'), config: ZMqttSparkplugConfig }),
    ZDataSourceBase.extend({ kind: z.literal('OPCUA'), config: ZOpcUaConfig }),
    ZDataSourceBase.extend({ kind: z.literal('HTTP'), config: ZHttpConfig }),
  ])
  .meta({
    examples: [
      {
        code: 'press-opcua',
        name: 'Press line OPC UA server',
        kind: 'OPCUA',
        config: { endpointUrl: 'opc.tcp://10.0.4.20:4840', securityMode: 'None', samplingIntervalMs: 500 },
      },
      { code: 'uns', name: 'Unified Namespace', kind: 'MQTT_JSON', config: { topicPrefix: 'umh/v1' } },
    ],
  });
export type TDataSourceCreateRequest = z.infer<typeof ZDataSourceCreateRequest>;

/** Partial update; `config` replaces the whole config and is validated against the source's (fixed) kind. */
export const ZDataSourceUpdateRequest = z
  .object({
    code: ZDataSourceCode.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    isEnabled: z.boolean().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ examples: [{ isEnabled: false }] });
export type TDataSourceUpdateRequest = z.infer<typeof ZDataSourceUpdateRequest>;

export const ZDataSource = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: ZDataSourceKind,
  config: z.record(z.string(), z.unknown()),
  isEnabled: z.boolean(),
  version: z.int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TDataSource = z.infer<typeof ZDataSource>;

export const ZDataSourceListQuery = listQuery(codeOrderCursor);
export type TDataSourceListQuery = z.infer<typeof ZDataSourceListQuery>;

export const ZValueMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({ description: 'Raw value → Takt value, e.g. PackML state codes to machine states.' });
export type TValueMap = z.infer<typeof ZValueMap>;

export const ZSignalMappingInput = z.object({
  machineId: z.uuid(),
  signal: ZSignalKind,
  address: z.string().trim().min(1).max(500).meta({ description: 'MQTT topic, Sparkplug metric or OPC UA node id.' }),
  valueMap: ZValueMap.nullish(),
});
export type TSignalMappingInput = z.infer<typeof ZSignalMappingInput>;

export const ZSignalMappingsReplaceRequest = z.object({ mappings: z.array(ZSignalMappingInput).max(5000) }).meta({
  examples: [
    {
      mappings: [
        {
          machineId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
          signal: 'STATE',
          address: 'ns=2;s=Press3.State',
          valueMap: { '6': 'PRODUCING', '11': 'DOWN' },
        },
        { machineId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', signal: 'GOOD_COUNT', address: 'ns=2;s=Press3.Good' },
      ],
    },
  ],
});
export type TSignalMappingsReplaceRequest = z.infer<typeof ZSignalMappingsReplaceRequest>;

export const ZSignalMapping = z.object({
  id: z.uuid(),
  machineId: z.uuid(),
  machinePath: z.string(),
  signal: ZSignalKind,
  address: z.string(),
  valueMap: ZValueMap.nullable(),
});
export type TSignalMapping = z.infer<typeof ZSignalMapping>;

export const ZSignalMappingList = z.object({ dataSourceVersion: z.int(), items: z.array(ZSignalMapping) });
export type TSignalMappingList = z.infer<typeof ZSignalMappingList>;
