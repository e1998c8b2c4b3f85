// OT data sources (config validated per kind) and their signal mappings, against a real PostgreSQL database.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@takt/contracts';
import { createTestApp, createUser, type TestApp } from '../test/test-app.ts';

let t: TestApp;
let admin: Session;
let viewer: Session;
let machineId: string;

type Session = { cookie: string; csrf: string };

async function signIn(username: string, password: string): Promise<Session> {
  const res = await request(t.app).post('/api/v1/auth/login').send({ username, password });
  const setCookie = res.headers['set-cookie'] as unknown as string[];
  const pair = (name: string) => setCookie.find((c) => c.startsWith(`${name}=`))!.split(';')[0]!;
  return { cookie: `${pair(SESSION_COOKIE)}; ${pair(CSRF_COOKIE)}`, csrf: pair(CSRF_COOKIE).split('=')[1]! };
}

function call(session: Session, method: 'get' | 'post' | 'patch' | 'put' | 'delete', url: string) {
  const req = request(t.app)[method](`/api/v1${url}`).set('cookie', session.cookie);
  return method === 'get' ? req : req.set(CSRF_HEADER, session.csrf);
}

function errorPaths(res: request.Response): string[] {
  return (res.body.errors as { path: string }[]).map((e) => e.path);
}

beforeAll(async () => {
  t = await createTestApp('data_sources');
  await createUser(t.db, { username: 'admin', password: 'admin-secret-1', role: 'ADMIN' });
  await createUser(t.db, { username: 'viewer', password: 'viewer-secret-1', role: 'VIEWER' });
  admin = await signIn('admin', 'admin-secret-1');
  viewer = await signIn('viewer', 'viewer-secret-1');
  const enterprise = await t.db.prisma.enterprise.create({ data: { code: 'acme', name: 'Acme' } });
  const site = await t.db.prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 'plant1', name: 'Plant 1', timeZone: 'UTC' },
  });
  const area = await t.db.prisma.area.create({ data: { siteId: site.id, code: 'assembly', name: 'Assembly' } });
  const line = await t.db.prisma.line.create({ data: { areaId: area.id, code: 'line2', name: 'Line 2' } });
  machineId = (
    await t.db.prisma.machine.create({
      data: { lineId: line.id, code: 'press3', path: 'plant1/assembly/line2/press3', name: 'Press 3' },
    })
  ).id;
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
    const res = await call(admin, 'post', '/data-sources').send(OPCUA);
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    sourceId = res.body.id;
    expect(res.body).toMatchObject({ ...OPCUA, isEnabled: true, version: 1 });
    const one = await call(viewer, 'get', `/data-sources/${sourceId}`);
    expect(one.body).toEqual(res.body);
    const list = await call(viewer, 'get', '/data-sources');
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
    const res = await call(admin, 'post', '/data-sources').send(body);
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
      expect((await call(admin, 'post', '/data-sources').send(body)).status).toBe(201);
    }
    expect((await call(admin, 'post', '/data-sources').send(OPCUA)).status).toBe(409);
    expect((await call(viewer, 'post', '/data-sources').send({ ...OPCUA, code: 'v' })).status).toBe(403);
  });

  it('validates a new config against the source’s kind and honours If-Match', async () => {
    const bad = await call(admin, 'patch', `/data-sources/${sourceId}`).send({ config: { topicPrefix: 'x' } });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad)).toEqual(expect.arrayContaining(['body.config.endpointUrl']));
    const ok = await call(admin, 'patch', `/data-sources/${sourceId}`)
      .set('if-match', '"1"')
      .send({ isEnabled: false, config: { ...OPCUA.config, samplingIntervalMs: 1000 } });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ isEnabled: false, version: 2, config: { samplingIntervalMs: 1000 } });
    const stale = await call(admin, 'patch', `/data-sources/${sourceId}`).set('if-match', '"1"').send({ name: 'x' });
    expect(stale.status).toBe(412);
    expect((await call(admin, 'patch', `/data-sources/${randomUUID()}`).send({ name: 'x' })).status).toBe(404);
  });

  it('replaces the signal mappings as one list', async () => {
    const res = await call(admin, 'put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [
        { machineId, signal: 'STATE', address: 'ns=2;s=Press3.State', valueMap: { '6': 'PRODUCING', '11': 'DOWN' } },
        { machineId, signal: 'GOOD_COUNT', address: 'ns=2;s=Press3.Good' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[1]).toMatchObject({ machinePath: 'plant1/assembly/line2/press3', signal: 'STATE' });
    const replaced = await call(admin, 'put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [{ machineId, signal: 'HEARTBEAT', address: 'ns=2;s=Press3.Alive' }],
    });
    expect(replaced.body.items.map((m: { signal: string }) => m.signal)).toEqual(['HEARTBEAT']);
    const read = await call(viewer, 'get', `/data-sources/${sourceId}/mappings`);
    expect(read.body).toEqual(replaced.body);
    expect(read.headers.etag).toBe('"4"');
    expect(await t.db.prisma.auditLog.count({ where: { action: 'data-source.mappings-replaced' } })).toBe(2);
  });

  it('rejects mappings to unknown machines and duplicate addresses, naming the rows, and writes nothing', async () => {
    const res = await call(admin, 'put', `/data-sources/${sourceId}/mappings`).send({
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
    const bad = await call(admin, 'put', `/data-sources/${sourceId}/mappings`).send({
      mappings: [{ machineId, signal: 'TEMP', address: 'x' }],
    });
    expect(bad.status).toBe(400);
    expect((await call(admin, 'get', `/data-sources/${randomUUID()}/mappings`)).status).toBe(404);
  });

  it('deletes a source with its mappings', async () => {
    expect((await call(admin, 'delete', `/data-sources/${sourceId}`).set('if-match', '"1"')).status).toBe(412);
    expect((await call(admin, 'delete', `/data-sources/${sourceId}`)).status).toBe(204);
    expect(await t.db.prisma.signalMapping.count({ where: { dataSourceId: sourceId } })).toBe(0);
    expect((await call(admin, 'get', `/data-sources/${sourceId}`)).status).toBe(404);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'data-source.deleted', entityId: sourceId } })).toBe(1);
  });
});
