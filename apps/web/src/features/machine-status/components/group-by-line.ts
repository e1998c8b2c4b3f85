// Groups overview machines by site and line, keeping the API's order (site, area, line, sequence).
import type { TMachineState, TMachineStatus } from '@takt/contracts';

export type LineGroup = {
  lineId: string;
  title: string;
  machines: TMachineStatus[];
  stateCounts: Partial<Record<TMachineState | 'UNKNOWN', number>>;
};

export type SiteGroup = { siteId: string; title: string; lines: LineGroup[] };

/** Sites → lines → machines, in the order the machines came. */
export function groupByLine(machines: readonly TMachineStatus[]): SiteGroup[] {
  const sites: SiteGroup[] = [];
  for (const machine of machines) {
    let site = sites.at(-1);
    if (site?.siteId !== machine.site.id) {
      site = { siteId: machine.site.id, title: machine.site.name, lines: [] };
      sites.push(site);
    }
    let line = site.lines.at(-1);
    if (line?.lineId !== machine.line.id) {
      line = {
        lineId: machine.line.id,
        title: `${machine.area.name} · ${machine.line.name}`,
        machines: [],
        stateCounts: {},
      };
      site.lines.push(line);
    }
    line.machines.push(machine);
    const state = machine.state ?? 'UNKNOWN';
    line.stateCounts[state] = (line.stateCounts[state] ?? 0) + 1;
  }
  return sites;
}
