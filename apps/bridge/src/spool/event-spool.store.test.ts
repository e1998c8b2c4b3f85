import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventSpool } from './event-spool.store.ts';

type Rec = { n: number; pad?: string };

describe('event spool store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'takt-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const numbers = (count: number, from = 0): Rec[] => Array.from({ length: count }, (_, i) => ({ n: from + i }));

  it('reads back oldest first across segments and deletes segments once replayed', async () => {
    const spool = await openEventSpool<Rec>({ dir, segmentMaxBytes: 100 });
    for (let i = 0; i < 10; i += 1) expect(spool.append(numbers(5, i * 5))).toBe(true);
    expect(spool.depth().records).toBe(50);
    expect((await readdir(dir)).filter((name) => name.startsWith('segment-')).length).toBeGreaterThan(1);
    const seen: number[] = [];
    for (;;) {
      const entries = await spool.read(7);
      if (entries.length === 0) break;
      seen.push(...entries.map((entry) => entry.record.n));
      await spool.commit(entries.at(-1)!.position);
    }
    expect(seen).toEqual(numbers(50).map((r) => r.n));
    expect(spool.depth()).toEqual({ records: 0, bytes: 0 });
    expect((await readdir(dir)).filter((name) => name.startsWith('segment-'))).toEqual([]);
    spool.close();
  });

  it('survives a restart: a new instance resumes after the last commit, then appends after what is left', async () => {
    const first = await openEventSpool<Rec>({ dir, segmentMaxBytes: 64 });
    first.append(numbers(20));
    const head = await first.read(8);
    await first.commit(head.at(-1)!.position);
    first.close();

    const second = await openEventSpool<Rec>({ dir, segmentMaxBytes: 64 });
    expect(second.depth().records).toBe(12);
    second.append(numbers(3, 100));
    const rest = await second.read(1_000);
    expect(rest.map((entry) => entry.record.n)).toEqual([...numbers(12, 8).map((r) => r.n), 100, 101, 102]);
    second.close();
  });

  it('regression: a line torn by a crash mid-write is dropped at open, not replayed or blocking', async () => {
    const first = await openEventSpool<Rec>({ dir });
    first.append(numbers(3));
    first.close();
    const segment = (await readdir(dir)).find((name) => name.startsWith('segment-'))!;
    await appendFile(path.join(dir, segment), '{"n":3,"pa');
    const second = await openEventSpool<Rec>({ dir });
    expect(second.depth().records).toBe(3);
    const entries = await second.read(10);
    expect(entries.map((entry) => entry.record.n)).toEqual([0, 1, 2]);
    await second.commit(entries.at(-1)!.position);
    expect(second.depth().records).toBe(0);
    second.close();
  });

  it('refuses (and counts) appends beyond maxBytes, keeping what is stored', async () => {
    const spool = await openEventSpool<Rec>({ dir, maxBytes: 200 });
    expect(spool.append([{ n: 1, pad: 'x'.repeat(100) }])).toBe(true);
    expect(spool.append([{ n: 2, pad: 'x'.repeat(100) }, { n: 3 }])).toBe(false);
    expect(spool.takeRefused()).toBe(2);
    expect(spool.takeRefused()).toBe(0);
    expect((await spool.read(10)).map((entry) => entry.record.n)).toEqual([1]);
    spool.close();
  });
});
