// The ingest's queue: items in arrival order, prepared (validated and resolved) in chunks while the previous
// batch is being written, then written one batch at a time, so that per machine the order and the
// de-duplication are those of a serial writer.
//
// Batches are cut at `maxBatchItems` prepared items or `maxBatchDelayMs` after the oldest waiting item was
// queued, whichever comes first; a batch that had to wait for the previous write goes at once.
//
// Back-pressure: `pending` (items queued and not yet written or given up) is bounded. Once it reaches
// `pauseAtPendingItems`, waitForRoom() hands callers a promise that resolves when it is down to
// `resumeAtPendingItems`; the MQTT sources stop reading (and acknowledging) meanwhile, so that QoS 1 messages wait
// at the broker instead of in memory. Beyond `maxPendingItems` (callers that do not wait: HTTP ingest) push()
// refuses new items.

export type BatchQueueOptions<TItem, TPrepared> = {
  maxBatchItems: number;
  maxBatchDelayMs: number;
  maxPendingItems: number;
  pauseAtPendingItems: number;
  resumeAtPendingItems: number;
  /** Items prepared in one go: small enough not to hold up the event loop for long. */
  prepareChunkItems: number;
  /** Prepares a chunk, one prepared item per item, in order; never rejects. */
  prepare: (chunk: TItem[]) => Promise<TPrepared[]>;
  /** Writes one batch; resolves once every item of it is written or given up, never rejects. */
  write: (batch: TPrepared[]) => Promise<void>;
  itemOf: (prepared: TPrepared) => TItem;
  queuedAtMsOf: (item: TItem) => number;
  now: () => number;
};

export type BatchQueue<TItem> = {
  /** Queues an item; false (item refused) when `maxPendingItems` are pending or the queue is stopped. */
  push(item: TItem): boolean;
  /** Items queued and not yet written or given up. */
  pending(): number;
  /** null while there is room; from `pauseAtPendingItems` on, a promise resolved at `resumeAtPendingItems`. */
  waitForRoom(extraItems?: number): Promise<void> | null;
  /** Resolves when everything queued so far is written (or given up on). */
  flush(): Promise<void>;
  /**
   * Stops taking items and writes what is queued, waiting at most `timeoutMs`. On timeout, the items not written
   * by then are taken out and returned (a batch being written finishes on its own).
   */
  stop(timeoutMs: number): Promise<{ isFlushed: boolean; unwritten: TItem[] }>;
  isStopped(): boolean;
  stats(): { peakPending: number; pauses: number };
};

/** Creates the queue; it prepares and writes as items arrive. */
export function createBatchQueue<TItem, TPrepared>(options: BatchQueueOptions<TItem, TPrepared>): BatchQueue<TItem> {
  const { maxBatchItems, maxBatchDelayMs, maxPendingItems, pauseAtPendingItems, resumeAtPendingItems } = options;
  const { prepareChunkItems, prepare, write, itemOf, queuedAtMsOf, now } = options;

  // Arrival order: buffer (not yet prepared) → preparing (one chunk) → ready (prepared) → writing (one batch).
  let buffer: TItem[] = [];
  let preparingCount = 0;
  let ready: TPrepared[] = [];
  let writingCount = 0;
  const pendingCount = () => buffer.length + preparingCount + ready.length + writingCount;

  let timer: NodeJS.Timeout | null = null;
  let preparing: Promise<void> | null = null;
  let isPrepareScheduled = false;
  let writing: Promise<void> | null = null;
  let flushRequests = 0;
  let isStopping = false;
  let isStopped = false;
  let roomWaiters: (() => void)[] = [];
  let roomPromise: Promise<void> | null = null;
  let idleWaiters: (() => void)[] = [];
  let peakPending = 0;
  let pauses = 0;

  function releaseRoomWaiters(): void {
    const waiters = roomWaiters;
    roomWaiters = [];
    roomPromise = null;
    for (const resolve of waiters) resolve();
  }

  /** Called whenever items leave the queue: wakes paused callers and flush() callers. */
  function noteProgress(): void {
    const pending = pendingCount();
    if (roomWaiters.length > 0 && pending <= resumeAtPendingItems) releaseRoomWaiters();
    if (idleWaiters.length > 0 && pending === 0 && !writing) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function schedulePrepare(): void {
    if (preparing || isPrepareScheduled) return;
    isPrepareScheduled = true;
    // After the current turn of the event loop, so that a burst of pushes is prepared as one chunk.
    setImmediate(() => {
      isPrepareScheduled = false;
      preparing ??= prepareLoop().finally(() => {
        preparing = null;
        if (buffer.length > 0) schedulePrepare();
      });
    });
  }

  async function prepareLoop(): Promise<void> {
    while (buffer.length > 0) {
      const chunk = buffer.length <= prepareChunkItems ? buffer : buffer.slice(0, prepareChunkItems);
      buffer = chunk === buffer ? [] : buffer.slice(prepareChunkItems);
      preparingCount = chunk.length;
      const prepared = await prepare(chunk);
      preparingCount = 0;
      for (const each of prepared) ready.push(each);
      scheduleWrite();
    }
  }

  function scheduleWrite(): void {
    if (writing || ready.length === 0) return;
    const oldest = ready[0];
    const waitedMs = oldest === undefined ? 0 : now() - queuedAtMsOf(itemOf(oldest));
    const isDue = ready.length >= maxBatchItems || waitedMs >= maxBatchDelayMs || flushRequests > 0 || isStopping;
    if (!isDue) {
      timer ??= setTimeout(
        () => {
          timer = null;
          scheduleWrite();
        },
        Math.max(1, maxBatchDelayMs - waitedMs),
      );
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = ready.length <= maxBatchItems ? ready : ready.slice(0, maxBatchItems);
    ready = batch === ready ? [] : ready.slice(maxBatchItems);
    writingCount = batch.length;
    writing = write(batch).finally(() => {
      writingCount = 0;
      writing = null;
      noteProgress();
      scheduleWrite();
    });
  }

  async function flush(): Promise<void> {
    flushRequests += 1;
    try {
      scheduleWrite();
      while (pendingCount() > 0 || writing) {
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
        scheduleWrite();
      }
    } finally {
      flushRequests -= 1;
    }
  }

  return {
    push(item) {
      const pending = pendingCount();
      if (pending >= maxPendingItems || isStopped) return false;
      buffer.push(item);
      if (pending + 1 > peakPending) peakPending = pending + 1;
      schedulePrepare();
      return true;
    },
    pending: pendingCount,
    waitForRoom(extraItems = 0) {
      if (roomPromise) return roomPromise;
      if (pendingCount() + extraItems < pauseAtPendingItems || isStopped) return null;
      pauses += 1;
      roomPromise = new Promise<void>((resolve) => roomWaiters.push(resolve));
      return roomPromise;
    },
    flush,
    async stop(timeoutMs) {
      isStopping = true;
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([flush().then(() => 'flushed' as const), timedOut]);
      clearTimeout(deadline);
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const unwritten = outcome === 'timeout' ? [...ready.map(itemOf), ...buffer] : [];
      ready = [];
      buffer = [];
      // Callers still waiting for room must not wait for ever.
      releaseRoomWaiters();
      return { isFlushed: outcome === 'flushed', unwritten };
    },
    isStopped: () => isStopped,
    stats: () => ({ peakPending, pauses }),
  };
}
