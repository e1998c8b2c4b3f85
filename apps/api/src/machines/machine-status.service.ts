// The plant overview, shared by every viewer: the andon screens of a plant all ask the same question
// every few seconds, so one answer per filter is computed at most once per `maxAgeMs` and reused
// (concurrent requests share the in-flight query), serialised once (PreparedJson: the body is most of the cost
// of a request, and its ETag lets an unchanged plant answer 304). Live changes reach browsers through the stream.
import type { PrismaClient } from '@takt/db';
import type { TMachineStatusQuery, TMachineStatusResponse } from '@takt/contracts';
import { PreparedJson } from '../http/prepared-json.ts';
import { findMachineStatuses } from './machine-status.repository.ts';

export type MachineStatusReader = (filter: TMachineStatusQuery) => Promise<PreparedJson<TMachineStatusResponse>>;

/** Answers kept at most; beyond it, expired ones are dropped (each filter id is a key). */
const MAX_CACHED_FILTERS = 256;

/** A reader of machine statuses that reuses answers younger than `maxAgeMs`. */
export function createMachineStatusReader(options: { prisma: PrismaClient; maxAgeMs: number }): MachineStatusReader {
  const cache = new Map<string, { atMs: number; answer: Promise<PreparedJson<TMachineStatusResponse>> }>();
  return (filter) => {
    const key = JSON.stringify([filter.siteId, filter.areaId, filter.lineId]);
    const nowMs = Date.now();
    const cached = cache.get(key);
    if (cached !== undefined && nowMs - cached.atMs < options.maxAgeMs) return cached.answer;
    if (cache.size >= MAX_CACHED_FILTERS) {
      for (const [k, entry] of cache) if (nowMs - entry.atMs >= options.maxAgeMs) cache.delete(k);
    }
    const now = new Date(nowMs);
    const answer = findMachineStatuses(options.prisma, filter, now).then((machines) =>
      PreparedJson.of({ asOf: now.toISOString(), machines }),
    );
    // A failed read must not be served from the cache.
    answer.catch(() => cache.delete(key));
    cache.set(key, { atMs: nowMs, answer });
    return answer;
  };
}
