// What the downtime page can be scoped to (sites and lines, from the shared plant tree), labelled by where each
// sits in the plant, with the time zone of its site (the page shows times on the plant's clock).
import type { TKpiScopeKind } from '@takt/contracts';
import { useQuery } from '@tanstack/react-query';
import { plantTreeQueryOptions, type TPlantTree } from '../../../lib/get-plant-tree.ts';

export type TPlantScope = { kind: TKpiScopeKind; id: string; label: string; timeZone: string };

/** Sites, then each site's lines as "Site · Area · Line", in code order. */
export function plantScopesOf({ sites, areas, lines }: TPlantTree): TPlantScope[] {
  const areaById = new Map(areas.map((area) => [area.id, area]));
  return sites.flatMap((site) => [
    { kind: 'site' as const, id: site.id, label: site.name, timeZone: site.timeZone },
    ...lines
      .filter((line) => areaById.get(line.areaId)?.siteId === site.id)
      .map((line) => ({
        kind: 'line' as const,
        id: line.id,
        label: `${site.name} · ${areaById.get(line.areaId)?.name ?? ''} · ${line.name}`,
        timeZone: site.timeZone,
      })),
  ]);
}

export function usePlantScopes() {
  return useQuery({ ...plantTreeQueryOptions(), select: plantScopesOf });
}
