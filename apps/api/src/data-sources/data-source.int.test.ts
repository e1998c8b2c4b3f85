// OT data sources (config validated per kind) and their signal mappings, against a real PostgreSQL database.
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let viewer: TestClient;
let machineId: string;

function errorPaths(res: request.Response): string[] {
  return (res.body.errors as { path: string }[]).map((e) => e.path);
}

beforeAll(async () => {
  t = await createTestApp('data_sources');
  admin = await signInAs(t, 'ADMIN');
  viewer = await signInAs(t, 'VIEWER');
  const plant = await buildPlant(t.db.prisma, {
    site: { code: 'plant1' },
    area: { code: 'assembly' },
    lines: [{ code: 'line2', machines: [{ code: 'press3' }] }],
  });
  machineId = plant.machineIds.press3!;
});
afterAll(() => t.close());

const OPCUA = {
  code: 'press-opcua',
  name: 'Press OPC UA',
  kind: 'OPCUA',
  config: {
    endpointUrl: 'opc.tcp://10.0.4.20:4840/UA',
    securityMode: 'SignAndEncrypt',
    securityPolicy: 'Basic256Sha256',
    samplingIntervalMs: 500,
  },
};

describe('data sources', () => {
  let sourceId: string;

  it('creates an OPC UA source (201, ETag, audit) and reads it', async () => {
    const res = await admin.call('post', '/data-sources').send(OPCUA);
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    sourceId = res.body.id;
    expect(res.body).toMatchObject({ ...OPCUA, isEnabled: true, version: 1 });
    const one = await viewer.call('get', `/data-sources/${sourceId}`);
    expect(one.body).toEqual(res.body);
    const list = await viewer.call('get', '/data-sources');
    expect(list.body).toMatchObject({ items: [{ id: sourceId }], nextCursor: null });
    expect(await t.db.prisma.auditLog.count({ where: { action: 'data-source.created', entityId: sourceId } })).toBe(1);
  });

  it.each([
    [
      'a non-opc.tcp OPC UA endpoint',
      { ...OPCUA, code: 'a', config: { ...OPCUA.config, endpointUrl: 'http://10.0.4.20' } },
      'body.config.endpointUrl',
    ],
    [
      'an OPC UA endpoint without host',
      { ...OPCUA, code: 'b', config: { ...OPCUA.config, endpointUrl: 'opc.tcp://' } },
      'body.config.endpointUrl',
    ],
    [
      'an unknown security mode',
      { ...OPCUA, code: 'c', config: { ...OPCUA.config, securityMode: 'Maybe' } },
      'body.config.securityMode',
    ],
    [
      'an MQTT topic prefix with a wildcard',
      { code: 'd', name: 'd', kind: 'MQTT_JSON', config: { topicPrefix: 'umh/#' } },
      'body.config.topicPrefix',
    ],
    [
      'an http:// broker URL',
      { code: 'e', name: 'e', kind: 'MQTT_SPARKPLUG', config: { brokerUrl: 'http://x', groupId: 'g' } },
      'body.config.brokerUrl',
    ],
    ['settings on an HTTP source', { code: 'f', name: 'f', kind: 'HTTP', config: { endpointUrl: 'x' } }, 'body.config'],
  ])('answers 400 for %s', async (_case, body, path) => {
    const res = await admin.call('post', '/data-sources').send(body);
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toContain(path);
  });

  it('accepts MQTT JSON, Sparkplug and HTTP sources, and answers 409 for a duplicate code', async () => {
    for (const body of [
      {
        code: 'uns',
        name: 'UNS',
        kind: 'MQTT_JSON',
        config: { brokerUrl: 'mqtts://broker.local:8883', topicPrefix: 'umh/v1' },
      },
      { code: 'spb', name: 'Sparkplug', kind: 'MQTT_SPARKPLUG', config: { groupId: 'plant1', edgeNodeId: 'edge1' } },
      { code: 'http', name: 'Gateways', kind: 'HTTP', config: {} },
    ]) {
      expect((await admin.call('post', '/data-sources').send(body)).status).toBe(201);
    }
    expect((await admin.call('post', '/data-sources').send(OPCUA)).status).toBe(409);
    expect((await viewer.call('post', '/data-sources').send({ ...OPCUA, code: 'v' })).status).toBe(403);
  });

  it('validates a new config against the source’s kind and honours If-Match', async () => {
    const bad = await admin.call('patch', `/data-sources/${sourceId}`).send({ config: { topicPrefix: 'x' } });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad)).toEqual(expect.arrayContaining(['body.config.endpointUrl']));
    const ok = await admin
      .call('patch', `/data-sources/${sourceId}`)
      .set('if-match', '"1"')
      .send({ isEnabled: false, config: { ...OPCUA.config, samplingIntervalMs: 1000 } });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ isEnabled: false, version: 2, config: { samplingIntervalMs: 1000 } });
    const stale = await admin.call('patch', `/data-sources/${sourceId}`).set('if-match', '"1"').send({ name: 'x' });
    expect(stale.status).toBe(412);
    expect((await admin.call('patch', `/data-sources/${randomUUID()}`).send({ name: 'x' })).status).toBe(404);
  });

  it('replaces the signal mappings as one list', async () => {
    const res = await admin.call('put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [
        { machineId, signal: 'STATE', address: 'ns=2;s=Press3.State', valueMap: { '6': 'PRODUCING', '11': 'DOWN' } },
        { machineId, signal: 'GOOD_COUNT', address: 'ns=2;s=Press3.Good' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[1]).toMatchObject({ machinePath: 'plant1/assembly/line2/press3', signal: 'STATE' });
    const replaced = await admin.call('put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [{ machineId, signal: 'HEARTBEAT', address: 'ns=2;s=Press3.Alive' }],
    });
    expect(replaced.body.items.map((m: { signal: string }) => m.signal)).toEqual(['HEARTBEAT']);
    const read = await viewer.call('get', `/data-sources/${sourceId}/mappings`);
    expect(read.body).toEqual(replaced.body);
    expect(read.headers.etag).toBe('"4"');
    expect(await t.db.prisma.auditLog.count({ where: { action: 'data-source.mappings-replaced' } })).toBe(2);
  });

  it('rejects mappings to unknown machines and duplicate addresses, naming the rows, and writes nothing', async () => {
    const res = await admin.call('put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [
        { machineId, signal: 'STATE', address: 'a' },
        { machineId: randomUUID(), signal: 'GOOD_COUNT', address: 'b' },
        { machineId, signal: 'REJECT_COUNT', address: 'a' },
      ],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body.mappings.1.machineId', 'body.mappings.2.address']);
    expect(res.body.errors[0].message).toMatch(/^Row 2: no machine/);
    expect(res.body.errors[1].message).toMatch(/already mapped in row 1/);
    expect(await t.db.prisma.signalMapping.count({ where: { dataSourceId: sourceId } })).toBe(1);
    const bad = await admin.call('put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [{ machineId, signal: 'TEMP', address: 'x' }],
    });
    expect(bad.status).toBe(400);
    expect((await admin.call('get', `/data-sources/${randomUUID()}/mappings`)).status).toBe(404);
  });

  it('deletes a source with its mappings', async () => {
    expect((await admin.call('delete', `/data-sources/${sourceId}`).set('if-match', '"1"')).status).toBe(412);
    expect((await admin.call('delete', `/data-sources/${sourceId}`)).status).toBe(204);
    expect(await t.db.prisma.signalMapping.count({ where: { dataSourceId: sourceId } })).toBe(0);
    expect((await admin.call('get', `/data-sources/${sourceId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'data-source.deleted', entityId: sourceId } })).toBe(1);
  });
});
