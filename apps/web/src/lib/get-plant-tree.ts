// GET /sites, /areas, /lines and /machines: the active plant hierarchy (ISA-95 site → area → line → machine) that
// pages scope their figures to. Every page of each list is read, so a large plant is never cut off at one page.
import {
  listOf,
  ZArea,
  ZLine,
  ZMachine,
  ZSite,
  type TArea,
  type TLine,
  type TMachine,
  type TSite,
} from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './api-client.ts';

export type TPlantTree = { sites: TSite[]; areas: TArea[]; lines: TLine[]; machines: TMachine[] };

const PAGE_SIZE = 500;

export const plantTreeQueryKey = ['plant', 'tree'] as const;

async function listAll<T>(path: string, item: z.ZodType<T>, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor !== null) query.set('cursor', cursor);
    const page: { items: T[]; nextCursor: string | null } = await api.get(`${path}?${query.toString()}`, listOf(item), {
      signal,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

export async function getPlantTree(signal?: AbortSignal): Promise<TPlantTree> {
  const [sites, areas, lines, machines] = await Promise.all([
    listAll('/sites', ZSite, signal),
    listAll('/areas', ZArea, signal),
    listAll('/lines', ZLine, signal),
    listAll('/machines', ZMachine, signal),
  ]);
  return { sites, areas, lines, machines };
}

export function plantTreeQueryOptions() {
  return queryOptions({
    queryKey: plantTreeQueryKey,
    queryFn: ({ signal }) => getPlantTree(signal),
    // The plant's layout changes by administration, rarely; five minutes old is fine for navigation.
    staleTime: 300_000,
  });
}

export function usePlantTree() {
  return useQuery(plantTreeQueryOptions());
}
