// The OPC UA source end to end against a real node-opcua server started by the test (loopback, OS-chosen
// port), with a recording sink standing where the @takt/ingest pipeline goes: monitored items → events,
// Int64 `[high, low]` values, bad values and unknown nodes → rejections, SignAndEncrypt, and the session
// re-created after a server restart (OPC UA Part 4 §6.7).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataType, StatusCodes } from 'node-opcua';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpcUaTestServer, type OpcUaTestServer } from '../testing/opcua-server.fixture.ts';
import { createRecordingSink, type RecordingSink } from '../testing/recording-sink.fixture.ts';
import type { OpcUaNodeMapping } from './opcua.decoder.ts';
import { simulatorOpcUaNodes } from './opcua.mapping.ts';
import { createOpcUaSource } from './opcua.source.ts';

const POLL = { timeout: 8_000, interval: 25 };
const logger = pino({ level: 'silent' });
const MACHINE = 'plant1/assembly/line1/press1';
const T0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;

const VARIABLES = {
  [`${MACHINE}.State`]: DataType.String,
  [`${MACHINE}.Product`]: DataType.String,
  [`${MACHINE}.GoodCount`]: DataType.Int64,
  [`${MACHINE}.RejectCount`]: DataType.Double, // a wrongly typed PLC tag, on purpose
};

async function startTestServer(dataDir: string, port: number): Promise<OpcUaTestServer> {
  return startOpcUaTestServer({ pkiDir: dataDir, port, variables: VARIABLES });
}

describe('OPC UA source', { timeout: 20_000 }, () => {
  let dataDir: string;
  let test: OpcUaTestServer;
  let port: number;
  const nodes: OpcUaNodeMapping[] = [
    ...simulatorOpcUaNodes([MACHINE]),
    { nodeId: `ns=1;s=${MACHINE}.NoSuchTag`, machinePath: MACHINE, signal: 'STATE' },
  ];
  const eventsOf = (sink: RecordingSink) =>
    sink.events.map((event) => {
      const { address: _address, machinePath: _path, ...rest } = event as Record<string, unknown>;
      return { ...rest, tsMs: event.tsMs - T0 };
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-opcua-'));
    test = await startTestServer(dataDir, 0);
    port = test.port;
  });

  afterAll(async () => {
    await test?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers monitored items as events (current values on connect stamped at connect), Int64 [high, low] converted, bad values and unknown nodes rejected', async () => {
    const sink = createRecordingSink();
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
      // The nodes' values before we connect, last changed ten minutes ago: the current values at connect.
      test.setValue(`${MACHINE}.State`, 'PRODUCING', T0);
      test.setValue(`${MACHINE}.Product`, 'P-100', T0);
      test.setValue(`${MACHINE}.GoodCount`, [2, 7], T0); // 2 · 2^32 + 7
      const connectingAtMs = Date.now();
      source.start(sink);
      await source.ready;
      await expect.poll(() => eventsOf(sink), POLL).toHaveLength(3);
      const atConnect = expect.any(Number);
      expect(eventsOf(sink)).toEqual(
        expect.arrayContaining([
          { type: 'state', tsMs: atConnect, state: 'PRODUCING' },
          { type: 'product', tsMs: atConnect, productCode: 'P-100' },
          { type: 'counter', tsMs: atConnect, counter: 'good', value: 2 * 2 ** 32 + 7 },
        ]),
      );
      for (const event of sink.events) expect(event.tsMs).toBeGreaterThanOrEqual(connectingAtMs);
      // Changes keep their source timestamps.
      test.setValue(`${MACHINE}.GoodCount`, [2, 9], T0 + 1_000);
      await expect
        .poll(() => eventsOf(sink).at(-1), POLL)
        .toEqual({ type: 'counter', tsMs: 1_000, counter: 'good', value: 2 * 2 ** 32 + 9 });
      test.setValue(`${MACHINE}.RejectCount`, 1.5, T0 + 2_000);
      test.setValue(`${MACHINE}.State`, 'DOWN', T0 + 3_000, StatusCodes.BadSensorFailure);
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
    const sink = createRecordingSink();
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
      test.setValue(`${MACHINE}.State`, 'IDLE', T0 + 10_000);
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
    const sink = createRecordingSink();
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
      await test.stop();
      const restartedAtMs = Date.now();
      test = await startTestServer(dataDir, port);
      test.setValue(`${MACHINE}.State`, 'CHANGEOVER', T0 + 20_000);
      // Once reconnected, every node is read again: its current value, at the time of reading.
      const isReadAfterRestart = (event: { type: string; state?: unknown; tsMs: number }) =>
        event.type === 'state' && event.state === 'CHANGEOVER' && event.tsMs >= restartedAtMs;
      await expect.poll(() => sink.events.some(isReadAfterRestart), { timeout: 15_000, interval: 50 }).toBe(true);
      expect(source.status().isConnected).toBe(true);
    } finally {
      await source.stop();
    }
  });
});
