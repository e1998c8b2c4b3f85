// The scope's children (areas of a site, lines of an area, machines of a line), worst OEE first: where to look.
// Each row drills down; the name is a real link, so it can also be opened in a new tab.
import type { TKpiChild } from '@takt/contracts';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { sortWorstFirst } from './oee-format.ts';

export function OeeBreakdownTable({
  items,
  caption,
  hrefOf,
}: {
  items: TKpiChild[];
  caption: string;
  hrefOf: (child: TKpiChild) => string;
}) {
  const { t, format } = useI18n();
  const navigate = useNavigate();
  const rows = sortWorstFirst(items);
  const kind = rows[0]?.kind ?? 'machine';
  return (
    <div className="oee-table-scroll">
      <table className="data-table oee-breakdown">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`oee.level.${kind}`)}</th>
            <th scope="col" className="oee-breakdown-oee">
              {t('kpi.oee')}
            </th>
            <th scope="col" className="is-numeric">
              {t('kpi.availability')}
            </th>
            <th scope="col" className="is-numeric">
              {t('kpi.performance')}
            </th>
            <th scope="col" className="is-numeric">
              {t('kpi.quality')}
            </th>
            <th scope="col" className="is-numeric">
              {t('common.good')}
            </th>
            <th scope="col" className="is-numeric">
              {t('common.scrap')}
            </th>
            <th scope="col" className="is-numeric">
              {t('oee.plannedTime')}
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
                  <Link to={href} translate="no">
                    {child.name}
                  </Link>
                </th>
                <td className="oee-breakdown-oee">
                  <div className="oee-breakdown-cell">
                    <span className="oee-inline-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, Math.max(0, (kpis.oee ?? 0) * 100))}%` }} />
                    </span>
                    <span className="oee-breakdown-value">{format.percent(kpis.oee)}</span>
                  </div>
                </td>
                <td className="is-numeric">{format.percent(kpis.availability)}</td>
                <td className={kpis.isPerformanceAboveIdeal ? 'is-numeric is-flagged' : 'is-numeric'}>
                  {format.percent(kpis.performance)}
                  {kpis.isPerformanceAboveIdeal ? (
                    <span className="oee-flag" title={t('oee.aboveIdealFlag')}>
                      {' '}
                      ⚠<span className="visually-hidden"> {t('oee.aboveIdealHidden')}</span>
                    </span>
                  ) : null}
                </td>
                <td className="is-numeric">{format.percent(kpis.quality)}</td>
                <td className="is-numeric">{format.count(components.goodCount)}</td>
                <td className="is-numeric">{format.count(components.rejectCount)}</td>
                <td className="is-numeric">{format.timeAmount(components.plannedBusyTimeSec)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
