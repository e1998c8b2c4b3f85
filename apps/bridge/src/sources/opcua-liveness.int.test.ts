// OPC UA liveness and first values end to end: a node-opcua server the test starts (loopback, port 0), the OPC UA
// source, the real @takt/ingest pipeline with a short OFFLINE window, and PostgreSQL. OPC UA reports changes only:
// the session's keep-alives keep a machine alive, values read on connect set its current state, and a lost session
// (not a quiet machine) puts it OFFLINE.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { createIngestPipeline, type IngestPipeline } from '@takt/ingest';
import { DataType } from 'node-opcua';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpcUaTestServer, type OpcUaTestServer } from '../testing/opcua-server.fixture.ts';
import { createTestPlant, type TestPlant } from '../testing/test-plant.fixture.ts';
import { simulatorOpcUaNodes } from './opcua.mapping.ts';
import { createOpcUaSource } from './opcua.source.ts';

const logger = pino({ level: 'silent' });
const OFFLINE_AFTER_MS = 1_500;
const KEEP_ALIVE_MS = 300;
const POLL = { timeout: 10_000, interval: 50 };
const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OPC UA liveness and first values', { timeout: 40_000 }, () => {
  let db: TestDatabase;
  let plant: TestPlant;
  let pipeline: IngestPipeline;
  let dataDir: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('bridge_opcua_liveness');
    plant = await createTestPlant(db.prisma, {
      topicPrefix: 'unused',
      machineCodes: ['press1', 'press2', 'press3', 'press4'],
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-opcua-liveness-'));
    pipeline = createIngestPipeline({
      prisma: db.prisma,
      logger,
      maxBatchDelayMs: 10,
      statusIntervalMs: null,
      pruneIntervalMs: null,
      offlineAfterMs: OFFLINE_AFTER_MS,
      isWatchingUnheardMachines: false,
    });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  });

  afterAll(async () => {
    await pipeline?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function serve(machineCode: string, port = 0): Promise<OpcUaTestServer> {
    const machinePath = plant.pathOf(machineCode);
    const server = await startOpcUaTestServer({
      pkiDir: dataDir,
      port,
      variables: {
        [`${machinePath}.State`]: DataType.String,
        [`${machinePath}.Product`]: DataType.String,
        [`${machinePath}.GoodCount`]: DataType.Int64,
        [`${machinePath}.RejectCount`]: DataType.Int64,
      },
    });
    cleanups.push(() => server.stop());
    return server;
  }

  function monitor(machineCode: string, endpointUrl: string) {
    const source = createOpcUaSource({
      code: `opcua-${machineCode}`,
      dataSourceId: null,
      endpointUrl,
      nodes: simulatorOpcUaNodes([plant.pathOf(machineCode)]),
      logger,
      pkiDir: path.join(dataDir, 'client-pki'),
      samplingIntervalMs: 20,
      publishingIntervalMs: 100,
      keepAliveIntervalMs: KEEP_ALIVE_MS,
      reconnectInitialDelayMs: 100,
      reconnectMaxDelayMs: 300,
    });
    source.start(pipeline);
    cleanups.push(() => source.stop());
    return source;
  }

  async function intervalsOf(machineCode: string) {
    const rows = await db.prisma.machineStateInterval.findMany({
      where: { machineId: plant.machineIdByCode.get(machineCode) },
      orderBy: { startedAt: 'asc' },
    });
    return rows.map((row) => ({
      state: row.state,
      startedAtMs: row.startedAt.getTime(),
      isOpen: row.endedAt === null,
      sourceCode: row.sourceCode,
    }));
  }
  const statesOf = async (machineCode: string) => (await intervalsOf(machineCode)).map((each) => each.state);

  it('regression: a connected machine whose state never changes stays PRODUCING longer than the offline window', async () => {
    const server = await serve('press1');
    server.setValue(`${plant.pathOf('press1')}.State`, 'PRODUCING', Date.now() - 1_000);
    const source = monitor('press1', server.endpointUrl);
    await source.ready;
    await expect.poll(() => statesOf('press1'), POLL).toEqual(['PRODUCING']);
    // Three offline windows with no value change: only the server's keep-alives arrive.
    await sleep(3 * OFFLINE_AFTER_MS);
    await pipeline.flush();
    expect(await intervalsOf('press1')).toEqual([expect.objectContaining({ state: 'PRODUCING', isOpen: true })]);
  });

  it('regression: a server whose values last changed a day ago sets the state on connect, and the first counter value is the baseline of the parts counted after it', async () => {
    const server = await serve('press2');
    const machinePath = plant.pathOf('press2');
    const dayAgoMs = Date.now() - DAY_MS - 3_600_000;
    server.setValue(`${machinePath}.State`, 'DOWN', dayAgoMs);
    server.setValue(`${machinePath}.GoodCount`, [0, 1_000], dayAgoMs);
    const connectingAtMs = Date.now();
    const source = monitor('press2', server.endpointUrl);
    await source.ready;
    await expect.poll(() => statesOf('press2'), POLL).toEqual(['DOWN']);
    const [down] = await intervalsOf('press2');
    expect(down?.startedAtMs).toBeGreaterThanOrEqual(connectingAtMs);
    server.setValue(`${machinePath}.GoodCount`, [0, 1_003], Date.now());
    const machineId = plant.machineIdByCode.get('press2');
    await expect
      .poll(
        async () =>
          (await db.prisma.productionCount.aggregate({ where: { machineId }, _sum: { goodCount: true } }))._sum
            .goodCount,
        POLL,
      )
      .toBe(3);
    expect(await db.prisma.deadLetter.count({ where: { reason: { startsWith: 'too late' } } })).toBe(0);
  });

  it('regression: killing the server session puts the machine OFFLINE at once; the new session reads its state back', async () => {
    const server = await serve('press3');
    server.setValue(`${plant.pathOf('press3')}.State`, 'PRODUCING', Date.now() - 1_000);
    const source = monitor('press3', server.endpointUrl);
    await source.ready;
    await expect.poll(() => statesOf('press3'), POLL).toEqual(['PRODUCING']);
    const killedAtMs = Date.now();
    server.closeSessions();
    await expect.poll(() => statesOf('press3'), POLL).toEqual(['PRODUCING', 'OFFLINE', 'PRODUCING']);
    const [, offline, producing] = await intervalsOf('press3');
    // Not the liveness watchdog (its intervals are `bridge:no-data`): the lost session itself, OFFLINE from the
    // last Publish response the server sent.
    expect(offline?.sourceCode).toBeNull();
    expect(offline?.startedAtMs).toBeGreaterThanOrEqual(killedAtMs - KEEP_ALIVE_MS - 100);
    expect(offline?.startedAtMs).toBeLessThanOrEqual(killedAtMs);
    expect(producing?.isOpen).toBe(true);
  });

  it('regression: a server gone puts the machine OFFLINE after the offline window and keeps it so; back, its state is read again', async () => {
    let server = await serve('press4');
    const machinePath = plant.pathOf('press4');
    server.setValue(`${machinePath}.State`, 'PRODUCING', Date.now() - 1_000);
    const source = monitor('press4', server.endpointUrl);
    await source.ready;
    await expect.poll(() => statesOf('press4'), POLL).toEqual(['PRODUCING']);
    const { port } = server;
    const stoppedAtMs = Date.now();
    await server.stop();
    await expect.poll(() => statesOf('press4'), POLL).toEqual(['PRODUCING', 'OFFLINE']);
    expect((await intervalsOf('press4'))[1]?.startedAtMs).toBeLessThanOrEqual(stoppedAtMs + OFFLINE_AFTER_MS);
    await sleep(2 * OFFLINE_AFTER_MS);
    expect(await statesOf('press4')).toEqual(['PRODUCING', 'OFFLINE']);
    server = await serve('press4', port);
    server.setValue(`${machinePath}.State`, 'PRODUCING', Date.now() - 1_000);
    await expect
      .poll(() => statesOf('press4'), { ...POLL, timeout: 20_000 })
      .toEqual(['PRODUCING', 'OFFLINE', 'PRODUCING']);
  });
});
