// Prepares queued items for the batch writer (the CPU part of ingest, overlapped with the previous batch's
// commit): every event is validated and resolved (event-resolution.ts) against the plant directory, loaded once
// per chunk, and once more when signals map to machines it does not know yet; what cannot be applied becomes a
// dead letter with its reason, and so does every message a source could not decode.
import type { TIngestEvent } from '@takt/contracts';
import {
  addLookupNames,
  emptyLookupNames,
  parseIngestEvent,
  resolveEvent,
  translateSignal,
  type ArrivalWindow,
} from './event-resolution.ts';
import { deadLetterOfEvent, deadLetterOfRejection, type PendingItem, type PreparedItem } from './ingest-item.ts';
import type { PlantDirectory } from './plant-directory.cache.ts';

/** Outcome reason of a replayed message older than the reorder window (answered as a duplicate). */
export const STALE_REPLAY_REASON = 'stale replay';

export type PrepareItemsOptions = { directory: PlantDirectory; window: ArrivalWindow };

/** Validates and resolves `items` (in order); rejected events carry their dead letter. Throws when the directory cannot load. */
export async function prepareItems(
  items: readonly PendingItem[],
  options: PrepareItemsOptions,
): Promise<PreparedItem[]> {
  const { directory, window } = options;
  const prepared = items.map((item): PreparedItem => ({ item, event: null, outcome: null, deadLetters: null }));
  const reject = (slot: PreparedItem, reason: string): void => {
    if (slot.item.kind !== 'event') return;
    slot.outcome = { status: 'rejected', reason };
    (slot.deadLetters ??= []).push(deadLetterOfEvent(slot.item, reason));
  };

  const parsed: (TIngestEvent | undefined)[] = new Array(items.length);
  const names = emptyLookupNames();
  prepared.forEach((slot, position) => {
    const { item } = slot;
    if (item.kind === 'rejection') {
      slot.deadLetters = [deadLetterOfRejection(item)];
      return;
    }
    if (item.internal) return;
    const result = parseIngestEvent(item.input);
    if (!result.ok) return reject(slot, result.reason);
    parsed[position] = result.event;
    addLookupNames(names, result.event, item.source);
  });
  let lookup = await directory.lookup(names);

  // Signal values become the events their mappings stand for; a mapped machine may be new since the last load.
  const events: (Exclude<TIngestEvent, { type: 'signal' }> | undefined)[] = new Array(items.length);
  const mappedMachineIds = new Set<string>();
  prepared.forEach((slot, position) => {
    const event = parsed[position];
    if (!event) return;
    if (event.type !== 'signal') {
      events[position] = event;
      return;
    }
    const translated = translateSignal(event, slot.item.source, lookup);
    if (!translated.ok) return reject(slot, translated.reason);
    events[position] = translated.event;
    if (translated.event.machineId !== undefined) mappedMachineIds.add(translated.event.machineId);
  });
  if (mappedMachineIds.size > 0) lookup = await directory.lookup({ machineIds: mappedMachineIds });

  prepared.forEach((slot, position) => {
    const { item } = slot;
    if (item.kind !== 'event') return;
    if (item.internal) {
      slot.event = { ...item.internal };
      return;
    }
    const event = events[position];
    if (!event) return;
    const arrival = { source: item.source, receivedAtMs: item.receivedAtMs, isReplay: item.origin.isReplay === true };
    const resolution = resolveEvent(event, arrival, lookup, window);
    if (resolution.kind === 'rejected') return reject(slot, resolution.reason);
    if (resolution.kind === 'stale') {
      slot.outcome = { status: 'duplicate', reason: STALE_REPLAY_REASON };
      return;
    }
    slot.event = resolution.event;
    for (const warning of resolution.warnings) (slot.deadLetters ??= []).push(deadLetterOfEvent(item, warning));
  });
  return prepared;
}
