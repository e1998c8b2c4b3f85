// The live-event outbox writer against a real PostgreSQL: scope filled from the hierarchy, ids in order,
// validation, and the LISTEN wake-up at commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TLiveEventInput } from '@takt/contracts';
import { appendLiveEvents, listenForLiveEvents } from './live-events.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let db: TestDatabase;
const ids = { site: '', area: '', line: '', machine: '' };

beforeAll(async () => {
  db = await createTestDatabase('live_events');
  const enterprise = await db.prisma.enterprise.create({ data: { code: 'e', name: 'E' } });
  const site = await db.prisma.site.create({
    data: { enterpriseId: enterprise.id, code: 's', name: 'S', timeZone: 'UTC' },
  });
  const area = await db.prisma.area.create({ data: { siteId: site.id, code: 'a', name: 'A' } });
  const line = await db.prisma.line.create({ data: { areaId: area.id, code: 'l', name: 'L' } });
  const machine = await db.prisma.machine.create({ data: { lineId: line.id, code: 'm', path: 's/a/l/m', name: 'M' } });
  Object.assign(ids, { site: site.id, area: area.id, line: line.id, machine: machine.id });
});
afterAll(() => db.drop());

const state = (startedAtMs: number): TLiveEventInput => ({
  type: 'machine-state',
  machineId: ids.machine,
  payload: { machineId: ids.machine, state: 'PRODUCING', startedAtMs, reasonId: null, productId: null },
});

describe('appendLiveEvents', () => {
  it('appends in order with the scope filled from the plant hierarchy', async () => {
    const result = await db.prisma.$transaction((tx) =>
      appendLiveEvents(tx, [
        state(1),
        state(2),
        {
          type: 'work-order',
          lineId: ids.line,
          payload: { workOrderId: ids.machine, number: 'WO-1', status: 'DRAFT', lineId: ids.line, version: 1 },
        },
      ]),
    );
    expect(result.count).toBe(3);
    const rows = await db.prisma.liveEvent.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.id)).toEqual([result.firstId, result.firstId! + 1n, result.lastId]);
    expect(rows.map((r) => (r.payload as { startedAtMs?: number }).startedAtMs)).toEqual([1, 2, undefined]);
    expect(rows[0]).toMatchObject({ siteId: ids.site, areaId: ids.area, lineId: ids.line, machineId: ids.machine });
    expect(rows[2]).toMatchObject({ siteId: ids.site, areaId: ids.area, lineId: ids.line, machineId: null });
  });

  it('does nothing for no events and rejects an event that breaks the contract', async () => {
    expect(await db.prisma.$transaction((tx) => appendLiveEvents(tx, []))).toEqual({
      count: 0,
      firstId: null,
      lastId: null,
    });
    const bad = { type: 'machine-state', machineId: 'nope', payload: {} } as unknown as TLiveEventInput;
    await expect(db.prisma.$transaction((tx) => appendLiveEvents(tx, [bad]))).rejects.toThrow();
  });

  it('is invisible until the writer commits, and wakes LISTENers at commit', async () => {
    let wakeCount = 0;
    const listener = listenForLiveEvents(db.url, () => (wakeCount += 1));
    await new Promise((r) => setTimeout(r, 300)); // LISTEN is issued asynchronously
    const before = await db.prisma.liveEvent.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await appendLiveEvents(tx, [state(3)]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.prisma.liveEvent.count()).toBe(before);
    await db.prisma.$transaction((tx) => appendLiveEvents(tx, [state(4)]));
    const deadline = Date.now() + 3_000;
    while (wakeCount === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(wakeCount).toBe(1);
    await listener.close();
  });
});
