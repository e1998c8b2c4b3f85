import { describe, expect, it } from 'vitest';
import { createSessionCache } from './session.cache.ts';
import type { SessionRow } from './session.repository.ts';

const row = (id: string): SessionRow => ({
  id,
  csrfToken: 'csrf',
  lastSeenAt: new Date(0),
  expiresAt: new Date(10_000_000),
  user: { id: 'u', username: 'ann', displayName: 'Ann', role: 'VIEWER', disabledAt: null },
});

describe('createSessionCache', () => {
  it('answers from the cache until the entry is ttlMs old, then reads again', async () => {
    const cache = createSessionCache({ ttlMs: 1_000 });
    let reads = 0;
    const loader = async () => {
      reads += 1;
      return row(`s${reads}`);
    };
    expect((await cache.load('h', 0, loader))?.id).toBe('s1');
    expect((await cache.load('h', 999, loader))?.id).toBe('s1');
    expect((await cache.load('h', 1_000, loader))?.id).toBe('s2');
    expect(reads).toBe(2);
  });

  it('does not cache unknown tokens', async () => {
    const cache = createSessionCache();
    let reads = 0;
    const loader = async () => {
      reads += 1;
      return null;
    };
    await cache.load('h', 0, loader);
    await cache.load('h', 1, loader);
    expect(reads).toBe(2);
  });

  it('forgets everything on clear, and does not store a row read before the clear', async () => {
    const cache = createSessionCache();
    await cache.load('a', 0, async () => row('old'));
    let releaseRead: (value: SessionRow) => void = () => {};
    const slowRead = cache.load('b', 0, () => new Promise<SessionRow>((resolve) => (releaseRead = resolve)));
    cache.clear();
    releaseRead(row('stale'));
    expect((await slowRead)?.id).toBe('stale');
    expect((await cache.load('a', 1, async () => row('new-a')))?.id).toBe('new-a');
    expect((await cache.load('b', 1, async () => row('new-b')))?.id).toBe('new-b');
  });

  it('deletes one entry, records a touch, and evicts the oldest beyond maxEntries', async () => {
    const cache = createSessionCache({ maxEntries: 2 });
    await cache.load('a', 0, async () => row('a'));
    cache.touch('a', new Date(500));
    expect((await cache.load('a', 1, async () => row('a2')))?.lastSeenAt).toEqual(new Date(500));
    cache.delete('a');
    expect((await cache.load('a', 2, async () => row('a3')))?.id).toBe('a3');
    await cache.load('b', 2, async () => row('b'));
    await cache.load('c', 2, async () => row('c'));
    expect((await cache.load('a', 3, async () => row('a4')))?.id).toBe('a4');
    expect((await cache.load('c', 3, async () => row('c2')))?.id).toBe('c');
  });
});
