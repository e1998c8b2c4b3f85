// The OPC UA source end to end against a real node-opcua server started by the test (loopback, OS-chosen
// port), with a recording sink standing where the @takt/ingest pipeline goes: monitored items → events,
// Int64 `[high, low]` values, bad values and unknown nodes → rejections, SignAndEncrypt, and the session
// re-created after a server restart (OPC UA Part 4 §6.7).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TIngestEvent } from '@takt/contracts';
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  type UAVariable,
} from 'node-opcua';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcUaNodeMapping } from './opcua.decoder.ts';
import { simulatorOpcUaNodes } from './opcua.mapping.ts';
import { createOpcUaSource } from './opcua.source.ts';
import type { ConnectorSink } from './source.ts';

const POLL = { timeout: 8_000, interval: 25 };
const logger = pino({ level: 'silent' });
const MACHINE = 'plant1/assembly/line1/press1';
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

type Recorded = {
  events: (TIngestEvent & { address: string })[];
  rejections: { address: string; reason: string; payload: Uint8Array }[];
};

function recordingSink(): ConnectorSink & Recorded {
  const recorded: Recorded = { events: [], rejections: [] };
  return {
    ...recorded,
    async submit(inputs, source) {
      expect(source.kind).toBe('OPCUA');
      for (const input of inputs) recorded.events.push({ ...input.event, address: input.origin?.address ?? '' });
      return { results: inputs.map(() => ({ status: 'accepted' as const })) };
    },
    async reject(rejections) {
      for (const rejection of rejections) recorded.rejections.push(rejection);
      return { results: rejections.map(() => ({ status: 'rejected' as const, reason: 'recorded' })) };
    },
  };
}

type TestServer = { server: OPCUAServer; endpointUrl: string; variables: Map<string, UAVariable> };

async function startTestServer(dataDir: string, port: number): Promise<TestServer> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(dataDir, 'server-pki'),
    automaticallyAcceptUnknownCertificate: true,
  });
  await serverCertificateManager.initialize();
  const server = new OPCUAServer({
    port,
    hostname: '127.0.0.1',
    alternateHostname: ['127.0.0.1'],
    resourcePath: '/test',
    serverCertificateManager,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Takt' });
  const variables = new Map<string, UAVariable>();
  const types: Record<string, DataType> = {
    State: DataType.String,
    Product: DataType.String,
    GoodCount: DataType.Int64,
    RejectCount: DataType.Double, // a wrongly typed PLC tag, on purpose
  };
  for (const [name, dataType] of Object.entries(types)) {
    const variable = namespace.addVariable({
      componentOf: folder,
      browseName: name,
      nodeId: `s=${MACHINE}.${name}`,
      dataType,
      minimumSamplingInterval: 20,
    });
    variable.setValueFromSource(
      new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: null }),
      StatusCodes.BadWaitingForInitialData,
    );
    variables.set(name, variable);
  }
  await server.start();
  return { server, endpointUrl: server.getEndpointUrl(), variables };
}

function setValue(
  test: TestServer,
  name: string,
  dataType: DataType,
  value: unknown,
  tsMs: number,
  status = StatusCodes.Good,
) {
  test.variables
    .get(name)
    ?.setValueFromSource(new Variant({ dataType, arrayType: VariantArrayType.Scalar, value }), status, new Date(tsMs));
}

describe('OPC UA source', { timeout: 20_000 }, () => {
  let dataDir: string;
  let test: TestServer;
  let port: number;
  const nodes: OpcUaNodeMapping[] = [
    ...simulatorOpcUaNodes([MACHINE]),
    { nodeId: `ns=1;s=${MACHINE}.NoSuchTag`, machinePath: MACHINE, signal: 'STATE' },
  ];
  const eventsOf = (sink: Recorded) =>
    sink.events.map((event) => {
      const { address: _address, machinePath: _path, ...rest } = event as Record<string, unknown>;
      return { ...rest, tsMs: event.tsMs - T0 };
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-opcua-'));
    test = await startTestServer(dataDir, 0);
    port = Number(new URL(test.endpointUrl.replace(/^opc\.tcp:/, 'http:')).port);
  });

  afterAll(async () => {
    await test?.server.shutdown(0);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers monitored items as events, Int64 [high, low] converted, bad values and unknown nodes rejected', async () => {
    const sink = recordingSink();
    const source = createOpcUaSource({
      code: 'test-opcua',
      dataSourceId: null,
      endpointUrl: test.endpointUrl,
      nodes,
      logger,
      pkiDir: path.join(dataDir, 'client-pki'),
      samplingIntervalMs: 20,
      publishingIntervalMs: 50,
    });
    try {
      source.start(sink);
      await source.ready;
      setValue(test, 'State', DataType.String, 'PRODUCING', T0);
      setValue(test, 'Product', DataType.String, 'P-100', T0);
      setValue(test, 'GoodCount', DataType.Int64, [2, 7], T0 + 1_000); // 2 · 2^32 + 7
      await expect.poll(() => eventsOf(sink), POLL).toHaveLength(3);
      expect(eventsOf(sink)).toEqual(
        expect.arrayContaining([
          { type: 'state', tsMs: 0, state: 'PRODUCING' },
          { type: 'product', tsMs: 0, productCode: 'P-100' },
          { type: 'counter', tsMs: 1_000, counter: 'good', value: 2 * 2 ** 32 + 7 },
        ]),
      );
      setValue(test, 'RejectCount', DataType.Double, 1.5, T0 + 2_000);
      setValue(test, 'State', DataType.String, 'DOWN', T0 + 3_000, StatusCodes.BadSensorFailure);
      await expect.poll(() => sink.rejections.length, POLL).toBe(3);
      expect(sink.rejections.map((r) => [r.address, r.reason])).toEqual(
        expect.arrayContaining([
          [`ns=1;s=${MACHINE}.NoSuchTag`, 'cannot monitor node: BadNodeIdUnknown'],
          [`ns=1;s=${MACHINE}.RejectCount`, expect.stringMatching(/^type mismatch: a counter must be/)],
          [`ns=1;s=${MACHINE}.State`, 'bad value: status BadSensorFailure'],
        ]),
      );
      // The client certificate was created on first run under the PKI directory.
      expect(existsSync(path.join(dataDir, 'client-pki', 'own', 'certs'))).toBe(true);
    } finally {
      await source.stop();
    }
  });

  it('connects with SignAndEncrypt (Basic256Sha256)', async () => {
    const sink = recordingSink();
    const source = createOpcUaSource({
      code: 'test-opcua-secure',
      dataSourceId: null,
      endpointUrl: test.endpointUrl,
      nodes: simulatorOpcUaNodes([MACHINE]),
      logger,
      pkiDir: path.join(dataDir, 'client-pki'),
      securityMode: 'SignAndEncrypt',
      samplingIntervalMs: 20,
      publishingIntervalMs: 50,
    });
    try {
      source.start(sink);
      await source.ready;
      setValue(test, 'State', DataType.String, 'IDLE', T0 + 10_000);
      await expect
        .poll(() => eventsOf(sink), POLL)
        .toEqual(expect.arrayContaining([{ type: 'state', tsMs: 10_000, state: 'IDLE' }]));
      expect(source.status()).toMatchObject({ isConnected: true, sessionsCreated: 1 });
      expect((await readdir(path.join(dataDir, 'client-pki', 'own', 'certs'))).length).toBeGreaterThan(0);
    } finally {
      await source.stop();
    }
  });

  it('regression: after a server restart the session and subscription are re-created (Part 4 §6.7)', async () => {
    const sink = recordingSink();
    const source = createOpcUaSource({
      code: 'test-opcua-restart',
      dataSourceId: null,
      endpointUrl: test.endpointUrl,
      nodes: simulatorOpcUaNodes([MACHINE]),
      logger,
      pkiDir: path.join(dataDir, 'client-pki'),
      samplingIntervalMs: 20,
      publishingIntervalMs: 50,
      reconnectInitialDelayMs: 100,
      reconnectMaxDelayMs: 500,
    });
    try {
      source.start(sink);
      await source.ready;
      await test.server.shutdown(0);
      test = await startTestServer(dataDir, port);
      setValue(test, 'State', DataType.String, 'CHANGEOVER', T0 + 20_000);
      await expect
        .poll(() => eventsOf(sink), { timeout: 15_000, interval: 50 })
        .toEqual(expect.arrayContaining([{ type: 'state', tsMs: 20_000, state: 'CHANGEOVER' }]));
      expect(source.status().isConnected).toBe(true);
    } finally {
      await source.stop();
    }
  });
});
