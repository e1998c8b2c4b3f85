// The deferred PUBACKs of one MQTT connection: at least once from the broker to the database. A QoS 1 PUBLISH
// is acknowledged only once everything it carries is stored (committed, dead-lettered, or written and fsynced to
// the spool), so that a crash at any moment loses no acknowledged message: the broker still holds every
// unacknowledged one and sends it again on the next connection of the persistent session (MQTT 3.1.1 §4.4), and
// the ingest's de-duplication absorbs what had been stored already.
//
// Order: PUBACKs go out in the order the PUBLISH packets were received (MQTT 3.1.1 §4.6), so a message stored
// early waits for the ones received before it. A message that could not be stored ends the acknowledgements of
// its connection when the broker redelivers (persistent session): `onNotStored` is told (the session drops the
// connection so that the broker sends it again), and nothing after it is acknowledged on this connection. Without
// redelivery (clean session) nothing would ever send it again: it is acknowledged with the others and reported.
// PUBACKs that become due in the same turn of the event loop are written together, in one system call.

/** What became of everything a message carries. */
export type MessageOutcome = 'stored' | 'not-stored';

export type PubackQueueOptions = {
  /** Writes the PUBACKs of these packet identifiers, in this order, on the connection. */
  sendPubacks(messageIds: readonly number[]): void;
  /** Whether the broker sends unacknowledged messages again on the next connection (a persistent session). */
  isRedelivering: boolean;
  /** A message was not stored (redelivering: it and everything after it stay unacknowledged on this connection). */
  onNotStored(messageId: number): void;
};

export type PubackQueue = {
  /** A QoS 1 PUBLISH received on this connection, acknowledged once `outcome` says it is stored. */
  add(messageId: number, outcome: Promise<MessageOutcome>): void;
  /** Messages received and not yet acknowledged. */
  size(): number;
  /** Resolves once size() is at most `count` (immediately if it is), or the queue is closed. */
  whenAtMost(count: number): Promise<void>;
  /** The connection is gone: nothing more is sent, waiters are released. */
  close(): void;
};

type Entry = { messageId: number; outcome: MessageOutcome | null };

export function createPubackQueue(options: PubackQueueOptions): PubackQueue {
  // A FIFO with a moving head: shift() on a large array is O(n).
  let entries: Entry[] = [];
  let head = 0;
  let isClosed = false;
  let isReleaseScheduled = false;
  let waiters: { count: number; resolve: () => void }[] = [];

  const size = () => entries.length - head;

  function wakeWaiters(): void {
    if (waiters.length === 0) return;
    const still: typeof waiters = [];
    for (const waiter of waiters) {
      if (isClosed || size() <= waiter.count) waiter.resolve();
      else still.push(waiter);
    }
    waiters = still;
  }

  function release(): void {
    isReleaseScheduled = false;
    if (isClosed) return;
    const due: number[] = [];
    while (head < entries.length) {
      const entry = entries[head];
      if (!entry || entry.outcome === null) break;
      if (entry.outcome === 'not-stored' && options.isRedelivering) {
        isClosed = true;
        if (due.length > 0) options.sendPubacks(due);
        options.onNotStored(entry.messageId);
        wakeWaiters();
        return;
      }
      if (entry.outcome === 'not-stored') options.onNotStored(entry.messageId);
      due.push(entry.messageId);
      head += 1;
    }
    if (head > 1024 && head * 2 > entries.length) {
      entries = entries.slice(head);
      head = 0;
    }
    if (due.length > 0) options.sendPubacks(due);
    wakeWaiters();
  }

  return {
    add(messageId, outcome) {
      const entry: Entry = { messageId, outcome: null };
      entries.push(entry);
      const settle = (value: MessageOutcome) => {
        entry.outcome = value;
        if (isReleaseScheduled || isClosed) return;
        isReleaseScheduled = true;
        setImmediate(release);
      };
      outcome.then(settle, () => settle('not-stored'));
    },
    size,
    whenAtMost(count) {
      if (isClosed || size() <= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      isClosed = true;
      wakeWaiters();
    },
  };
}
