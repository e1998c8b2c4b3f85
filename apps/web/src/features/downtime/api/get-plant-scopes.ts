// GET /sites, /areas and /lines: what the downtime page can be scoped to, labelled by where it sits in the plant.
import { listOf, ZArea, ZLine, ZSite, type TKpiScopeKind } from '@takt/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export type TPlantScope = { kind: TKpiScopeKind; id: string; label: string };

export const plantScopesQueryKey = ['plant', 'scopes'] as const;

/** Sites, then each site's lines as "Site · Area · Line", in code order. */
export async function getPlantScopes(signal?: AbortSignal): Promise<TPlantScope[]> {
  const [sites, areas, lines] = await Promise.all([
    api.get('/sites?limit=500', listOf(ZSite), { signal }),
    api.get('/areas?limit=500', listOf(ZArea), { signal }),
    api.get('/lines?limit=500', listOf(ZLine), { signal }),
  ]);
  const areaById = new Map(areas.items.map((area) => [area.id, area]));
  return sites.items.flatMap((site) => [
    { kind: 'site' as const, id: site.id, label: site.name },
    ...lines.items
      .filter((line) => areaById.get(line.areaId)?.siteId === site.id)
      .map((line) => ({
        kind: 'line' as const,
        id: line.id,
        label: `${site.name} · ${areaById.get(line.areaId)?.name ?? ''} · ${line.name}`,
      })),
  ]);
}

export function usePlantScopes() {
  return useQuery(
    queryOptions({
      queryKey: plantScopesQueryKey,
      queryFn: ({ signal }) => getPlantScopes(signal),
      staleTime: 300_000,
    }),
  );
}
