// Lines for dispatch and the line board: plant order and zones, which order holds a line (a paused order too),
// what waits for it, which lines are set up for a product, and the line preselected in the picker.
import { describe, expect, it } from 'vitest';
import type { TArea, TLine, TMachine, TSite, TWorkOrder, TWorkOrderStatus } from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import { createI18n } from '../../../lib/i18n/i18n.tsx';
import {
  defaultDispatchLineOf,
  dispatchChoicesOf,
  lineCardsOf,
  linePlacesOf,
  linesSetUpFor,
  timeZoneOfOrder,
  zoneChoicesOf,
} from './work-order-lines.ts';

const TIMES = {
  archivedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const site = (id: string, code: string, timeZone: string): TSite => ({
  id,
  enterpriseId: 'e',
  code,
  name: `Plant ${code}`,
  timeZone,
  ...TIMES,
});
const area = (id: string, siteId: string, code: string): TArea =>
  ({ id, siteId, code, name: `Area ${code}`, ...TIMES }) as TArea;
const line = (id: string, areaId: string, code: string): TLine => ({
  id,
  areaId,
  code,
  name: `Line ${code}`,
  shiftPatternId: null,
  ...TIMES,
});
const machine = (id: string, lineId: string): TMachine => ({ id, lineId, code: id, name: id, ...TIMES }) as TMachine;

const tree: TPlantTree = {
  sites: [site('s2', 'joliet', 'America/Chicago'), site('s1', 'stuttgart', 'Europe/Berlin')],
  areas: [area('a1', 's1', 'assembly'), area('a2', 's2', 'machining')],
  lines: [line('l2', 'a1', 'line2'), line('l1', 'a1', 'line1'), line('l3', 'a2', 'line1')],
  machines: [machine('m1', 'l1'), machine('m3', 'l3')],
};
const places = linePlacesOf(tree);
const { t } = createI18n('en');

function order(id: string, status: TWorkOrderStatus, lineId: string | null, dueAt: string | null = null): TWorkOrder {
  return { id, number: `WO-${id}`, status, lineId, dueAt } as TWorkOrder;
}

describe('linePlacesOf', () => {
  it('lists lines by site, area and line code, with their site zone', () => {
    expect(places.map((p) => [p.id, p.siteName, p.areaName, p.timeZone])).toEqual([
      ['l3', 'Plant joliet', 'Area machining', 'America/Chicago'],
      ['l1', 'Plant stuttgart', 'Area assembly', 'Europe/Berlin'],
      ['l2', 'Plant stuttgart', 'Area assembly', 'Europe/Berlin'],
    ]);
  });
});

describe('timeZoneOfOrder', () => {
  it("is the zone of the order's line", () => {
    expect(timeZoneOfOrder('l3', places, 'UTC')).toBe('America/Chicago');
  });

  it('is the browser zone for an order without a line when sites differ', () => {
    expect(timeZoneOfOrder(null, places, 'Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it("is the plant's zone for an order without a line when all sites share it", () => {
    const berlinOnly = places.filter((p) => p.timeZone === 'Europe/Berlin');
    expect(timeZoneOfOrder(null, berlinOnly, 'Asia/Tokyo')).toBe('Europe/Berlin');
  });
});

describe('zoneChoicesOf', () => {
  it('offers each zone once, labelled with its sites', () => {
    expect(zoneChoicesOf(places)).toEqual([
      { timeZone: 'America/Chicago', label: 'Plant joliet (America/Chicago)' },
      { timeZone: 'Europe/Berlin', label: 'Plant stuttgart (Europe/Berlin)' },
    ]);
  });
});

describe('dispatchChoicesOf', () => {
  const openOrders = [
    order('1', 'IN_PROGRESS', 'l1'),
    order('2', 'PAUSED', 'l3'),
    order('3', 'RELEASED', 'l2'),
    order('9', 'RELEASED', null),
  ];

  it('groups lines by site and area and names the order holding each busy line (paused holds too)', () => {
    const groups = dispatchChoicesOf({ places, openOrders, setUpLineIds: null, orderId: '9', t });
    expect(groups.map((g) => g.label)).toEqual(['Plant joliet · Area machining', 'Plant stuttgart · Area assembly']);
    expect(groups.flatMap((g) => g.lines.map((l) => l.label))).toEqual([
      'Line line1 (busy: WO-2 paused)',
      'Line line1 (busy: WO-1 running)',
      'Line line2 (free)',
    ]);
  });

  it('words the notes in the user’s language', () => {
    const german = createI18n('de');
    const groups = dispatchChoicesOf({ places, openOrders, setUpLineIds: new Set(['l1']), orderId: '9', t: german.t });
    expect(groups.flatMap((g) => g.lines.map((l) => l.label))).toEqual([
      'Line line1 (belegt: WO-2 unterbrochen, keine Taktzeit für dieses Produkt)',
      'Line line1 (belegt: WO-1 läuft)',
      'Line line2 (frei, keine Taktzeit für dieses Produkt)',
    ]);
  });

  it('marks lines without a cycle time for the product once those are known', () => {
    const groups = dispatchChoicesOf({ places, openOrders, setUpLineIds: new Set(['l1']), orderId: '9', t });
    const labels = groups.flatMap((g) => g.lines.map((l) => l.label));
    expect(labels).toContain('Line line2 (free, no cycle time for this product)');
    expect(labels).toContain('Line line1 (busy: WO-1 running)');
  });

  it('does not call a line busy with the order being dispatched itself', () => {
    const groups = dispatchChoicesOf({ places, openOrders, setUpLineIds: null, orderId: '1', t });
    expect(groups[1]?.lines[0]?.holder).toBeNull();
  });

  it('preselects the order’s own line, else a free line set up for the product, else any free line', () => {
    const setUp = dispatchChoicesOf({ places, openOrders, setUpLineIds: new Set(['l2']), orderId: '9', t });
    expect(defaultDispatchLineOf(setUp, 'l3')).toBe('l3');
    expect(defaultDispatchLineOf(setUp, null)).toBe('l2');
    const notSetUp = dispatchChoicesOf({ places, openOrders, setUpLineIds: new Set(), orderId: '9', t });
    expect(defaultDispatchLineOf(notSetUp, null)).toBe('l2');
  });

  it('preselects a busy line when all are busy (start will name the holder), and nothing without lines', () => {
    const allBusy = dispatchChoicesOf({
      places,
      openOrders: [...openOrders, order('4', 'IN_PROGRESS', 'l2')],
      setUpLineIds: null,
      orderId: '9',
      t,
    });
    expect(defaultDispatchLineOf(allBusy, null)).toBe('l3');
    expect(defaultDispatchLineOf([], null)).toBe('');
  });
});

describe('linesSetUpFor', () => {
  it('counts a line cycle time and a machine cycle time for the machine’s line', () => {
    const cycleTimes = {
      productId: 'p',
      items: [
        { id: 'c1', lineId: 'l2', machineId: null, idealCycleTimeSec: 20 },
        { id: 'c2', lineId: null, machineId: 'm3', idealCycleTimeSec: 45 },
        { id: 'c3', lineId: null, machineId: 'archived-machine', idealCycleTimeSec: 45 },
      ],
    };
    expect([...linesSetUpFor(cycleTimes, tree)].sort()).toEqual(['l2', 'l3']);
  });
});

describe('lineCardsOf', () => {
  it('gives each line its running or paused order and its queue of released orders, soonest due first', () => {
    const cards = lineCardsOf(
      places,
      [
        order('1', 'IN_PROGRESS', 'l1'),
        order('5', 'RELEASED', 'l1', '2026-12-02T00:00:00.000Z'),
        order('6', 'RELEASED', 'l1', '2026-12-01T00:00:00.000Z'),
        order('7', 'DRAFT', null),
      ],
      null,
    );
    const l1 = cards.find((card) => card.id === 'l1');
    expect(l1?.current?.number).toBe('WO-1');
    expect(l1?.queue.map((o) => o.number)).toEqual(['WO-6', 'WO-5']);
    expect(cards.find((card) => card.id === 'l2')).toMatchObject({ current: null, queue: [] });
  });

  it('shows only the filtered line', () => {
    expect(lineCardsOf(places, [], 'l2').map((card) => card.id)).toEqual(['l2']);
  });
});
