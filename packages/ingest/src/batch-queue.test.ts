// The batch queue with a writer the test releases batch by batch, on fake timers (batch delays are timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchQueue, type BatchQueueOptions } from './batch-queue.ts';

type Item = { n: number; queuedAtMs: number };
type Prepared = { item: Item };

/** A queue whose writes wait until the test releases them; `written` lists the batches as they start. */
function queueWith(options: Partial<BatchQueueOptions<Item, Prepared>> = {}) {
  const written: number[][] = [];
  const releases: (() => void)[] = [];
  const queue = createBatchQueue<Item, Prepared>({
    maxBatchItems: 3,
    maxBatchDelayMs: 1_000,
    maxPendingItems: 100,
    pauseAtPendingItems: 50,
    resumeAtPendingItems: 25,
    prepareChunkItems: 1_000,
    prepare: async (chunk) => chunk.map((item) => ({ item })),
    write: (batch) => {
      written.push(batch.map(({ item }) => item.n));
      return new Promise<void>((resolve) => releases.push(resolve));
    },
    itemOf: (prepared) => prepared.item,
    queuedAtMsOf: (item) => item.queuedAtMs,
    now: () => Date.now(),
    ...options,
  });
  const push = (...numbers: number[]) => numbers.map((n) => queue.push({ n, queuedAtMs: Date.now() }));
  /** Lets the running write finish, then the queue move on. */
  const release = async () => {
    releases.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { queue, written, push, release };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('batch queue', () => {
  it('cuts batches at maxBatchItems and writes one at a time, in arrival order', async () => {
    const { queue, written, push, release } = queueWith();
    push(1, 2, 3, 4, 5, 6, 7);
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([[1, 2, 3]]);
    expect(queue.pending()).toBe(7);
    await release();
    expect(written).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await release();
    // The rest is short of a batch: it waits for maxBatchDelayMs after it was queued.
    expect(written).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(written).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    await release();
    expect(queue.pending()).toBe(0);
  });

  it('refuses items beyond maxPendingItems and asks callers to pause until it is down to resumeAtPendingItems', async () => {
    const { queue, push, release } = queueWith({
      maxBatchItems: 2,
      maxPendingItems: 5,
      pauseAtPendingItems: 4,
      resumeAtPendingItems: 1,
    });
    push(1, 2, 3);
    expect(queue.waitForRoom()).toBeNull();
    const wait = queue.waitForRoom(1); // the caller holds one more item
    expect(wait).not.toBeNull();
    expect(queue.waitForRoom()).toBe(wait);
    expect(push(4, 5, 6)).toEqual([true, true, false]);
    let isResumed = false;
    void wait?.then(() => {
      isResumed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    await release(); // [1, 2] written: 3 pending
    expect(isResumed).toBe(false);
    await release(); // [3, 4] written: 1 pending
    expect(isResumed).toBe(true);
    expect(queue.stats()).toEqual({ peakPending: 5, pauses: 1 });
  });

  it('flush() writes what waits at once and resolves when everything queued is written', async () => {
    const { queue, written, push, release } = queueWith();
    push(1);
    let isFlushed = false;
    void queue.flush().then(() => {
      isFlushed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([[1]]);
    expect(isFlushed).toBe(false);
    await release();
    expect(isFlushed).toBe(true);
  });

  it('stop() writes what is queued; on timeout it hands back what was not written and refuses new items', async () => {
    const { queue, written, push, release } = queueWith();
    push(1, 2, 3, 4);
    await vi.advanceTimersByTimeAsync(0);
    const stopping = queue.stop(500);
    await vi.advanceTimersByTimeAsync(500);
    // [1, 2, 3] is still being written (it finishes on its own); [4] was never started.
    expect(await stopping).toEqual({ isFlushed: false, unwritten: [{ n: 4, queuedAtMs: expect.any(Number) }] });
    expect(queue.isStopped()).toBe(true);
    expect(push(5)).toEqual([false]);
    await release();
    expect(written).toEqual([[1, 2, 3]]);

    const other = queueWith();
    other.push(1);
    const stopped = other.queue.stop(500);
    await vi.advanceTimersByTimeAsync(0);
    await other.release();
    expect(await stopped).toEqual({ isFlushed: true, unwritten: [] });
  });
});
