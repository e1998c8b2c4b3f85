import { describe, expect, it } from 'vitest';
import { createPubackQueue, type MessageOutcome } from './mqtt-puback.queue.ts';

function deferred() {
  let resolve: (outcome: MessageOutcome) => void = () => {};
  const promise = new Promise<MessageOutcome>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

// The queue releases PUBACKs on the turn after an outcome settles: wait two turns.
const nextTurn = async () => {
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

function recordingQueue(isRedelivering = true) {
  const sent: number[][] = [];
  const notStored: number[] = [];
  const queue = createPubackQueue({
    isRedelivering,
    sendPubacks: (ids) => sent.push([...ids]),
    onNotStored: (id) => notStored.push(id),
  });
  return { queue, sent, notStored };
}

describe('PUBACK queue of one connection', () => {
  it('acknowledges nothing before the message is stored', async () => {
    const { queue, sent } = recordingQueue();
    const first = deferred();
    queue.add(1, first.promise);
    await nextTurn();
    expect(sent).toEqual([]);
    expect(queue.size()).toBe(1);
    first.resolve('stored');
    await nextTurn();
    expect(sent).toEqual([[1]]);
    expect(queue.size()).toBe(0);
  });

  it('acknowledges in the order received (MQTT 3.1.1 §4.6): a message stored early waits for earlier ones', async () => {
    const { queue, sent } = recordingQueue();
    const [a, b, c] = [deferred(), deferred(), deferred()];
    queue.add(10, a.promise);
    queue.add(11, b.promise);
    queue.add(12, c.promise);
    c.resolve('stored');
    b.resolve('stored');
    await nextTurn();
    expect(sent).toEqual([]);
    a.resolve('stored');
    await nextTurn();
    // Due together: one write.
    expect(sent).toEqual([[10, 11, 12]]);
  });

  it('stops at a message that was not stored and acknowledges nothing after it on this connection', async () => {
    const { queue, sent, notStored } = recordingQueue();
    const [a, b, c] = [deferred(), deferred(), deferred()];
    queue.add(1, a.promise);
    queue.add(2, b.promise);
    queue.add(3, c.promise);
    a.resolve('stored');
    b.resolve('not-stored');
    c.resolve('stored');
    await nextTurn();
    expect(sent).toEqual([[1]]);
    expect(notStored).toEqual([2]);
    const d = deferred();
    queue.add(4, d.promise);
    d.resolve('stored');
    await nextTurn();
    expect(sent).toEqual([[1]]);
  });

  it('acknowledges a message that was not stored when nothing would redeliver it (clean session)', async () => {
    const { queue, sent, notStored } = recordingQueue(false);
    const [a, b] = [deferred(), deferred()];
    queue.add(1, a.promise);
    queue.add(2, b.promise);
    a.resolve('not-stored');
    b.resolve('stored');
    await nextTurn();
    expect(notStored).toEqual([1]);
    expect(sent).toEqual([[1, 2]]);
  });

  it('treats a failed outcome as not stored', async () => {
    const { queue, sent, notStored } = recordingQueue();
    queue.add(7, Promise.reject(new Error('sink bug')));
    await nextTurn();
    expect(sent).toEqual([]);
    expect(notStored).toEqual([7]);
  });

  it('sends nothing once the connection is gone, and releases its waiters', async () => {
    const { queue, sent } = recordingQueue();
    const a = deferred();
    queue.add(1, a.promise);
    const waiting = queue.whenAtMost(0);
    queue.close();
    await waiting;
    a.resolve('stored');
    await nextTurn();
    expect(sent).toEqual([]);
  });

  it('tells a waiter when no more than its count are unacknowledged', async () => {
    const { queue } = recordingQueue();
    const outcomes = [deferred(), deferred(), deferred()];
    outcomes.forEach((outcome, index) => queue.add(index + 1, outcome.promise));
    let isResumed = false;
    void queue.whenAtMost(1).then(() => {
      isResumed = true;
    });
    outcomes[0]?.resolve('stored');
    await nextTurn();
    expect(isResumed).toBe(false);
    outcomes[1]?.resolve('stored');
    await nextTurn();
    expect(isResumed).toBe(true);
  });
});
