// A short-lived, in-process cache of session rows by token hash, so that a dashboard's frequent reads do not each
// cost a session query (the plant overview is polled by every open screen). Why it stays safe:
// - an entry lives at most `ttlMs` (1 s by default): a change made by another API process (sign-out, a disabled
//   user, a new role) is seen within that time;
// - every session-authenticated write of this process (sign-out, password change, disabling a user, changing a
//   role, …) clears the whole cache when it finishes (see session.middleware.ts), and a read that started before
//   the clear never stores its possibly stale row (generation check);
// - unknown tokens are not cached, and the cache holds at most `maxEntries` rows (oldest evicted first).
import type { SessionRow } from './session.repository.ts';

export type SessionCache = {
  /** The cached row, or the loader's answer (stored unless the cache was cleared meanwhile). */
  load(tokenHash: string, nowMs: number, loader: () => Promise<SessionRow | null>): Promise<SessionRow | null>;
  /** Records a write of the row's last-seen time, so that the cached copy does not trigger it again. */
  touch(tokenHash: string, lastSeenAt: Date): void;
  delete(tokenHash: string): void;
  clear(): void;
};

export type SessionCacheOptions = { ttlMs?: number; maxEntries?: number };

export function createSessionCache(options: SessionCacheOptions = {}): SessionCache {
  const ttlMs = options.ttlMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { row: SessionRow; expiresAtMs: number }>();
  let generation = 0;
  return {
    async load(tokenHash, nowMs, loader) {
      const cached = entries.get(tokenHash);
      if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.row;
      entries.delete(tokenHash);
      const startedGeneration = generation;
      const row = await loader();
      if (row !== null && generation === startedGeneration) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? '');
        entries.set(tokenHash, { row, expiresAtMs: nowMs + ttlMs });
      }
      return row;
    },
    touch(tokenHash, lastSeenAt) {
      const cached = entries.get(tokenHash);
      if (cached !== undefined) cached.row = { ...cached.row, lastSeenAt };
    },
    delete(tokenHash) {
      entries.delete(tokenHash);
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}
