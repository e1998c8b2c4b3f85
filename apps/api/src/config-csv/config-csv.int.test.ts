// CSV import/export of machines, products and reasons against a real PostgreSQL database: round trips,
// every bad row reported with its line, all-or-nothing writes, one audit entry per import.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlant } from '../test/plant-fixture.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { signInAs, type TestClient } from '../test/test-client.ts';

let t: TestApp;
let admin: TestClient;
let viewer: TestClient;

async function exportCsv(entity: string): Promise<string> {
  const res = await viewer.call('get', `/config/${entity}.csv`);
  expect(res.status).toBe(200);
  expect(res.type).toBe('text/csv');
  return res.text;
}

function importCsv(entity: string, csv: string, isDryRun: boolean, client: TestClient = admin) {
  return client.call('post', `/config/${entity}/import?dryRun=${isDryRun}`).set('content-type', 'text/csv').send(csv);
}

beforeAll(async () => {
  t = await createTestApp('config_csv');
  admin = await signInAs(t, 'ADMIN');
  viewer = await signInAs(t, 'VIEWER');
  const db = t.db.prisma;
  const plant = await buildPlant(db, {
    site: { code: 'plant1' },
    area: { code: 'assembly' },
    lines: [
      {
        code: 'line2',
        machines: [
          { code: 'press3', name: 'Press "big", 3', sequence: 1 },
          { code: 'oven', name: 'Oven\nwith note', sequence: 2 },
        ],
      },
      { code: 'line3' },
    ],
  });
  await db.product.create({
    data: {
      code: 'p-100',
      name: 'Widget',
      idealCycleTimes: {
        create: [
          { lineId: plant.lineIds.line2!, idealCycleTimeSec: 12.5 },
          { machineId: plant.machineIds.press3!, idealCycleTimeSec: 0.1 },
        ],
      },
    },
  });
  await db.product.create({ data: { code: 'p-200', name: 'Gadget' } });
  const mech = await db.downtimeReason.create({ data: { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED' } });
  await db.downtimeReason.create({ data: { code: 'MECH-JAM', name: 'Jam', kind: 'UNPLANNED', parentId: mech.id } });
  await db.downtimeReason.create({ data: { code: 'PLN', name: 'Planned, scheduled', kind: 'PLANNED' } });
});
afterAll(() => t.close());

describe('CSV export', () => {
  it('exports machines, products and reasons as RFC 4180 text/csv', async () => {
    expect(await exportCsv('machines')).toBe(
      'path,name,sequence\r\nplant1/assembly/line2/oven,"Oven\nwith note",2\r\nplant1/assembly/line2/press3,"Press ""big"", 3",1\r\n',
    );
    expect(await exportCsv('products')).toBe(
      'code,name,ideal_cycle_times\r\np-100,Widget,line:plant1/assembly/line2=12.5;machine:plant1/assembly/line2/press3=0.1\r\np-200,Gadget,\r\n',
    );
    expect(await exportCsv('reasons')).toBe(
      'code,name,kind,parent_code\r\nMECH,Mechanical,UNPLANNED,\r\nMECH-JAM,Jam,UNPLANNED,MECH\r\nPLN,"Planned, scheduled",PLANNED,\r\n',
    );
  });
});

describe('CSV round trip', () => {
  it.each(['machines', 'products', 'reasons'])('re-imports its own %s export without changes', async (entity) => {
    const csv = await exportCsv(entity);
    const dryRun = await importCsv(entity, csv, true);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ isValid: true, isDryRun: true, created: 0, updated: 0, errors: [] });
    expect(dryRun.body.unchanged).toBe(dryRun.body.rows);
    const real = await importCsv(entity, csv, false);
    expect(real.body).toMatchObject({ isValid: true, isDryRun: false, created: 0, updated: 0 });
    expect(await exportCsv(entity)).toBe(csv);
  });
});

describe('CSV import', () => {
  it('creates and updates machines, and writes one audit entry with the counts', async () => {
    const csv =
      'path,name,sequence\r\nplant1/assembly/line2/press3,Press 3,5\r\nplant1/assembly/line3/robot1,Robot 1,\r\n';
    const dryRun = await importCsv('machines', csv, true);
    expect(dryRun.body).toMatchObject({ isValid: true, rows: 2, created: 1, updated: 1 });
    expect(await t.db.prisma.machine.count()).toBe(2);
    const res = await importCsv('machines', csv, false);
    expect(res.body).toMatchObject({ isValid: true, rows: 2, created: 1, updated: 1, unchanged: 0 });
    const robot = await t.db.prisma.machine.findUniqueOrThrow({ where: { path: 'plant1/assembly/line3/robot1' } });
    expect(robot).toMatchObject({ code: 'robot1', name: 'Robot 1', sequence: 0 });
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: 'config.machines-imported' } });
    expect(audit.map((a) => a.after)).toContainEqual({ rows: 2, created: 1, updated: 1, unchanged: 0 });
  });

  it('reports every bad row with its line and writes nothing', async () => {
    const before = await t.db.prisma.machine.findMany({ orderBy: { path: 'asc' } });
    const auditBefore = await t.db.prisma.auditLog.count();
    const csv = [
      'path,name,sequence',
      'plant1/assembly/line2/new1,New 1,1', // line 2: valid
      'plant1/assembly/nowhere/m1,M1,1', // line 3: unknown line
      'plant1/assembly/line2/m2,M2,-4', // line 4: bad sequence
      '"plant1/assembly/line2/m3","Multi', // line 5–6: quoted name over two lines (valid)
      'line",3',
      'plant1/assembly/line2/new1,Again,2', // line 7: duplicate path
      'too/short,,x', // line 8: bad path, no name, bad sequence
      'plant1/assembly/line2/m4,"x"y,1', // line 9: stray quote
      'plant1/assembly/line2/m5,M5', // line 10: missing field
      '',
    ].join('\r\n');
    const res = await importCsv('machines', csv, false);
    expect(res.status).toBe(200);
    expect(res.body.isValid).toBe(false);
    expect(res.body.rows).toBe(8);
    expect(res.body.errors.map((e: { line: number; column?: string }) => [e.line, e.column ?? null])).toEqual([
      [3, 'path'],
      [4, 'sequence'],
      [7, 'path'],
      [8, 'path'],
      [8, 'name'],
      [8, 'sequence'],
      [9, null],
      [10, null],
    ]);
    expect(res.body.errors[0].message).toBe('Unknown line "plant1/assembly/nowhere"');
    expect(await t.db.prisma.machine.findMany({ orderBy: { path: 'asc' } })).toEqual(before);
    expect(await t.db.prisma.auditLog.count()).toBe(auditBefore);
  });

  it('rejects a file with a wrong header on line 1', async () => {
    const res = await importCsv('machines', 'path,label\r\na/b/c/d,x\r\n', true);
    expect(res.body.isValid).toBe(false);
    expect(res.body.errors).toEqual([
      { line: 1, message: expect.stringMatching(/missing column\(s\) name, sequence; unknown column\(s\) label/) },
    ]);
  });

  it('imports products with ideal cycle times and reports unknown lines and machines', async () => {
    const bad = await importCsv(
      'products',
      'code,name,ideal_cycle_times\r\np-300,Thing,line:plant1/assembly/line9=3;machine:plant1/assembly/line2/nope=2\r\np-400,Other,line:plant1/assembly/line2=0\r\n',
      false,
    );
    expect(bad.body.errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
      [2, 'Unknown line "plant1/assembly/line9"'],
      [2, 'Unknown machine "plant1/assembly/line2/nope"'],
      [3, expect.stringMatching(/must be a number of seconds > 0/)],
    ]);
    const ok = await importCsv(
      'products',
      'ideal_cycle_times,code,name\r\nline:plant1/assembly/line3=3,p-100,Widget 2\r\n',
      false,
    );
    expect(ok.body).toMatchObject({ isValid: true, created: 0, updated: 1 });
    const product = await t.db.prisma.product.findUniqueOrThrow({
      where: { code: 'p-100' },
      include: { idealCycleTimes: true },
    });
    expect(product.name).toBe('Widget 2');
    expect(product.idealCycleTimes.map((i) => i.idealCycleTimeSec)).toEqual([3]);
  });

  it('imports reasons under the tree rules (kind, two levels), categories before their reasons', async () => {
    const bad = await importCsv(
      'reasons',
      'code,name,kind,parent_code\r\nELEC-FUSE,Fuse,UNPLANNED,ELEC\r\nELEC,Electrical,UNPLANNED,\r\nJAM-SUB,Sub,UNPLANNED,MECH-JAM\r\nPLN-X,X,UNPLANNED,PLN\r\nQ,Q,MAYBE,\r\n',
      false,
    );
    expect(bad.body.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [4, 'parent_code'],
      [5, 'kind'],
      [6, 'kind'],
    ]);
    expect(await t.db.prisma.downtimeReason.count()).toBe(3);
    const ok = await importCsv(
      'reasons',
      'code,name,kind,parent_code\r\nELEC-FUSE,Fuse,UNPLANNED,ELEC\r\nELEC,Electrical,unplanned,\r\n',
      false,
    );
    expect(ok.body).toMatchObject({ isValid: true, created: 2 });
    const fuse = await t.db.prisma.downtimeReason.findUniqueOrThrow({
      where: { code: 'ELEC-FUSE' },
      include: { parent: true },
    });
    expect(fuse.parent?.code).toBe('ELEC');
  });

  it('needs ADMIN and a text/csv body', async () => {
    expect((await importCsv('machines', 'path,name,sequence\r\n', true, viewer)).status).toBe(403);
    const json = await admin.call('post', '/config/machines/import', { csv: 'x' });
    expect(json.status).toBe(415);
    expect((await request(t.app).get('/api/v1/config/machines.csv')).status).toBe(401);
  });
});

describe('CSV syntax and formula-like cells', () => {
  it('reads a byte order mark, CRLF and quoted line breaks, and reports an unclosed quote with its line', async () => {
    const before = await t.db.prisma.machine.count();
    const csv = [
      '\uFEFFpath,name,sequence',
      'plant1/assembly/line2/q1,"Two', // lines 2–3: a name over two lines (valid)
      'lines",1',
      'plant1/assembly/line2/q2,"open,2', // line 4: the quote never closes, to the end of the file
      'plant1/assembly/line2/q3,Q3,3',
      '',
    ].join('\r\n');
    const res = await importCsv('machines', csv, false);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ isValid: false, rows: 2, created: 1 });
    expect(res.body.errors).toEqual([{ line: 4, message: expect.stringMatching(/quoted field is not closed/) }]);
    expect(await t.db.prisma.machine.count()).toBe(before);
  });

  it("exports a formula-like name with a leading ' and re-imports the export unchanged", async () => {
    const created = await importCsv('machines', 'path,name,sequence\r\nplant1/assembly/line2/evil,=1+2,4\r\n', false);
    expect(created.body).toMatchObject({ isValid: true, created: 1 });
    const csv = await exportCsv('machines');
    expect(csv).toContain("\r\nplant1/assembly/line2/evil,'=1+2,4\r\n");
    const again = await importCsv('machines', csv, false);
    expect(again.body).toMatchObject({ isValid: true, created: 0, updated: 0 });
    const evil = await t.db.prisma.machine.findUniqueOrThrow({ where: { path: 'plant1/assembly/line2/evil' } });
    expect(evil.name).toBe('=1+2');
  });
});
