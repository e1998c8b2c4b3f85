// The scope's children (areas of a site, lines of an area, machines of a line), worst OEE first: where to look.
// Each row drills down; the name is a real link, so it can also be opened in a new tab.
import type { TKpiChild } from '@takt/contracts';
import { Link, useNavigate } from 'react-router';
import { formatCount, formatPercent, formatTimeAmount, sortWorstFirst } from './oee-format.ts';

const CHILD_WORDS: Record<TKpiChild['kind'], string> = {
  site: 'Site',
  area: 'Area',
  line: 'Line',
  machine: 'Machine',
};

export function OeeBreakdownTable({
  items,
  caption,
  hrefOf,
}: {
  items: TKpiChild[];
  caption: string;
  hrefOf: (child: TKpiChild) => string;
}) {
  const navigate = useNavigate();
  const rows = sortWorstFirst(items);
  const kind = rows[0]?.kind ?? 'machine';
  return (
    <div className="oee-table-scroll">
      <table className="data-table oee-breakdown">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{CHILD_WORDS[kind]}</th>
            <th scope="col" className="oee-breakdown-oee">
              OEE
            </th>
            <th scope="col" className="is-numeric">
              Availability
            </th>
            <th scope="col" className="is-numeric">
              Performance
            </th>
            <th scope="col" className="is-numeric">
              Quality
            </th>
            <th scope="col" className="is-numeric">
              Good
            </th>
            <th scope="col" className="is-numeric">
              Scrap
            </th>
            <th scope="col" className="is-numeric">
              Planned time
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((child) => {
            const href = hrefOf(child);
            const { kpis, components } = child;
            return (
              <tr
                key={child.id}
                className="is-clickable"
                onClick={(event) => {
                  // The link handles its own clicks (and ctrl-clicks); the rest of the row is a larger target.
                  if (!(event.target instanceof Element) || event.target.closest('a') === null) void navigate(href);
                }}
              >
                <th scope="row">
                  <Link to={href}>{child.name}</Link>
                </th>
                <td className="oee-breakdown-oee">
                  <div className="oee-breakdown-cell">
                    <span className="oee-inline-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, Math.max(0, (kpis.oee ?? 0) * 100))}%` }} />
                    </span>
                    <span className="oee-breakdown-value">{formatPercent(kpis.oee)}</span>
                  </div>
                </td>
                <td className="is-numeric">{formatPercent(kpis.availability)}</td>
                <td className={kpis.isPerformanceAboveIdeal ? 'is-numeric is-flagged' : 'is-numeric'}>
                  {formatPercent(kpis.performance)}
                  {kpis.isPerformanceAboveIdeal ? (
                    <span className="oee-flag" title="Above the ideal cycle time: check it">
                      {' '}
                      ⚠<span className="visually-hidden"> above ideal, check the ideal cycle time</span>
                    </span>
                  ) : null}
                </td>
                <td className="is-numeric">{formatPercent(kpis.quality)}</td>
                <td className="is-numeric">{formatCount(components.goodCount)}</td>
                <td className="is-numeric">{formatCount(components.rejectCount)}</td>
                <td className="is-numeric">{formatTimeAmount(components.plannedBusyTimeSec)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
