// The order of a machine's timeline events and counter readings among themselves: by time, then by the sender's
// `seq`, then by arrival (logged rows by id, the batch's new events after all of them, in batch order).

export type Sortable = { tsMs: number; seq: number | null; order: number };

// Order of a new (not yet logged) event among logged ones with equal time and seq: after all of them.
export const NEW_EVENT_ORDER_BASE = 2 ** 52;

export const compareTimeline = (a: Sortable, b: Sortable): number =>
  a.tsMs - b.tsMs || (a.seq ?? -1) - (b.seq ?? -1) || a.order - b.order;
