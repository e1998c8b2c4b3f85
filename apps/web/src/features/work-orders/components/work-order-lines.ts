// Lines as the work-order page sees them (pure): where each sits in the plant (site · area) and in which time zone,
// which order holds it now (a line runs one order at a time), which released orders wait for it, and whether it is
// set up for a product (it or one of its machines has an ideal cycle time for it). The dispatch picker and the
// line board are built from these.
import { holdsLine, type TIdealCycleTimes, type TWorkOrder } from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import type { TI18n } from '../../../lib/i18n/i18n.tsx';

export type TLinePlace = {
  id: string;
  name: string;
  siteName: string;
  areaName: string;
  timeZone: string;
};

/** Every active line with its site and area, in plant order (site, area, line by code). */
export function linePlacesOf(tree: TPlantTree): TLinePlace[] {
  const places: TLinePlace[] = [];
  const byCode = <T extends { code: string }>(a: T, b: T) => a.code.localeCompare(b.code);
  for (const site of [...tree.sites].sort(byCode)) {
    for (const area of tree.areas.filter((a) => a.siteId === site.id).sort(byCode)) {
      for (const line of tree.lines.filter((l) => l.areaId === area.id).sort(byCode)) {
        places.push({
          id: line.id,
          name: line.name,
          siteName: site.name,
          areaName: area.name,
          timeZone: site.timeZone,
        });
      }
    }
  }
  return places;
}

/**
 * The zone an order's times are shown in: its line's site; for an order without a line, the plant's zone when
 * all sites share one, else `fallbackZone` (the browser's).
 */
export function timeZoneOfOrder(lineId: string | null, places: readonly TLinePlace[], fallbackZone: string): string {
  const place = lineId === null ? undefined : places.find((p) => p.id === lineId);
  if (place !== undefined) return place.timeZone;
  const zones = new Set(places.map((p) => p.timeZone));
  return zones.size === 1 ? ([...zones][0] ?? fallbackZone) : fallbackZone;
}

/** Lines grouped by "site · area", in plant order, for a line <select> with <optgroup>s. */
export function lineGroupsOf(places: readonly TLinePlace[]): { label: string; lines: TLinePlace[] }[] {
  const groups: { label: string; lines: TLinePlace[] }[] = [];
  for (const place of places) {
    const label = `${place.siteName} · ${place.areaName}`;
    const group = groups.find((candidate) => candidate.label === label);
    if (group === undefined) groups.push({ label, lines: [place] });
    else group.lines.push(place);
  }
  return groups;
}

export type TZoneChoice = { timeZone: string; label: string };

/** The plant's distinct time zones, each labelled with its sites ("Plant 1 — Stuttgart (Europe/Berlin)"). */
export function zoneChoicesOf(places: readonly TLinePlace[]): TZoneChoice[] {
  const sitesByZone = new Map<string, string[]>();
  for (const place of places) {
    const sites = sitesByZone.get(place.timeZone) ?? [];
    if (!sites.includes(place.siteName)) sites.push(place.siteName);
    sitesByZone.set(place.timeZone, sites);
  }
  return [...sitesByZone].map(([timeZone, sites]) => ({ timeZone, label: `${sites.join(', ')} (${timeZone})` }));
}

/** The order holding each line (IN_PROGRESS or PAUSED). */
export function lineHoldersOf(openOrders: readonly TWorkOrder[]): Map<string, TWorkOrder> {
  const holders = new Map<string, TWorkOrder>();
  for (const order of openOrders) {
    if (order.lineId !== null && holdsLine(order.status)) holders.set(order.lineId, order);
  }
  return holders;
}

/** Released orders dispatched to each line, soonest due first: the line's queue. */
export function lineQueuesOf(openOrders: readonly TWorkOrder[]): Map<string, TWorkOrder[]> {
  const queues = new Map<string, TWorkOrder[]>();
  for (const order of openOrders) {
    if (order.lineId === null || order.status !== 'RELEASED') continue;
    queues.set(order.lineId, [...(queues.get(order.lineId) ?? []), order]);
  }
  const dueMs = (order: TWorkOrder) => (order.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(order.dueAt));
  for (const queue of queues.values()) queue.sort((a, b) => dueMs(a) - dueMs(b) || a.number.localeCompare(b.number));
  return queues;
}

/** The lines set up for a product: those with an ideal cycle time for it, on the line or on one of its machines. */
export function linesSetUpFor(cycleTimes: TIdealCycleTimes, tree: Pick<TPlantTree, 'machines'>): Set<string> {
  const lineIds = new Set<string>();
  const lineOfMachine = new Map(tree.machines.map((machine) => [machine.id, machine.lineId]));
  for (const item of cycleTimes.items) {
    if (item.lineId !== null) lineIds.add(item.lineId);
    const machineLine = item.machineId === null ? undefined : lineOfMachine.get(item.machineId);
    if (machineLine !== undefined) lineIds.add(machineLine);
  }
  return lineIds;
}

export type TLineChoice = TLinePlace & {
  /** Another order running or paused on the line: start will be refused until it is completed or cancelled. */
  holder: Pick<TWorkOrder, 'id' | 'number' | 'status'> | null;
  /** null while the product's cycle times are unknown. */
  isSetUp: boolean | null;
  /** The option text: the line and what a supervisor needs to know before choosing it. */
  label: string;
};

export type TLineChoiceGroup = { label: string; lines: TLineChoice[] };

/** The dispatch picker's lines grouped by "site · area", each with its holder and set-up for the order's product. */
export function dispatchChoicesOf(options: {
  places: readonly TLinePlace[];
  openOrders: readonly TWorkOrder[];
  setUpLineIds: ReadonlySet<string> | null;
  orderId: string;
  t: TI18n['t'];
}): TLineChoiceGroup[] {
  const { t } = options;
  const holders = lineHoldersOf(options.openOrders);
  const choiceOf = (place: TLinePlace): TLineChoice => {
    const holderOrder = holders.get(place.id);
    const holder = holderOrder === undefined || holderOrder.id === options.orderId ? null : holderOrder;
    const isSetUp = options.setUpLineIds === null ? null : options.setUpLineIds.has(place.id);
    const notes = [
      holder === null
        ? t('wo.line.free')
        : t(holder.status === 'PAUSED' ? 'wo.line.busyPaused' : 'wo.line.busyRunning', { number: holder.number }),
      ...(isSetUp === false ? [t('wo.line.notSetUp')] : []),
    ];
    return {
      ...place,
      holder: holder === null ? null : { id: holder.id, number: holder.number, status: holder.status },
      isSetUp,
      label: t('wo.line.option', { line: place.name, notes: notes.join(', ') }),
    };
  };
  return lineGroupsOf(options.places).map((group) => ({ label: group.label, lines: group.lines.map(choiceOf) }));
}

/** The line to preselect: the order's own; else the first free line set up for the product; else the first free. */
export function defaultDispatchLineOf(groups: readonly TLineChoiceGroup[], currentLineId: string | null): string {
  const lines = groups.flatMap((group) => group.lines);
  if (currentLineId !== null && lines.some((line) => line.id === currentLineId)) return currentLineId;
  const free = lines.filter((line) => line.holder === null);
  return (free.find((line) => line.isSetUp !== false) ?? free[0] ?? lines[0])?.id ?? '';
}

export type TLineCard = TLinePlace & {
  /** The order running or paused on the line, if any. */
  current: TWorkOrder | null;
  /** Released orders dispatched to it, soonest due first. */
  queue: TWorkOrder[];
};

/** One card per line for the line board, optionally only one line. */
export function lineCardsOf(
  places: readonly TLinePlace[],
  openOrders: readonly TWorkOrder[],
  onlyLineId: string | null,
): TLineCard[] {
  const holders = lineHoldersOf(openOrders);
  const queues = lineQueuesOf(openOrders);
  return places
    .filter((place) => onlyLineId === null || place.id === onlyLineId)
    .map((place) => ({ ...place, current: holders.get(place.id) ?? null, queue: queues.get(place.id) ?? [] }));
}
