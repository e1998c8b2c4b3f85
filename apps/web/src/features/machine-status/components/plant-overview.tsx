// The plant at a glance: one tile per machine, grouped by line, coloured by state (the andon view).
import type { TMachineStatus } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useMachineStatuses } from '../api/get-machine-statuses.ts';
import { groupByLine } from './group-by-line.ts';

function MachineTile({ machine, nowMs }: { machine: TMachineStatus; nowMs: number }) {
  const { t, format } = useI18n();
  const state = machine.state;
  const sinceSec = machine.since === null ? null : (nowMs - Date.parse(machine.since)) / 1000;
  const counts = { good: machine.goodCountLastHour, scrap: machine.rejectCountLastHour };
  return (
    <li className={`machine-tile machine-tile-${(state ?? 'unknown').toLowerCase().replace('_', '-')}`}>
      <div className="machine-tile-head">
        <span className="machine-tile-name" translate="no">
          {machine.name}
        </span>
        <span className="machine-tile-state">{state === null ? t('state.none') : t(`state.${state}`)}</span>
      </div>
      <div className="machine-tile-detail">
        {sinceSec === null
          ? t('overview.neverReported')
          : t('overview.since', { duration: format.duration(Math.max(0, sinceSec)) })}
        {machine.reason === null ? '' : ' · '}
        {machine.reason === null ? null : <span translate="no">{machine.reason.name}</span>}
      </div>
      <div className="machine-tile-detail">
        {machine.productCode === null ? t('common.noProduct') : <span translate="no">{machine.productCode}</span>}
        {' · '}
        {counts.scrap > 0 ? t('overview.lastHourWithScrap', counts) : t('overview.lastHour', counts)}
      </div>
    </li>
  );
}

export function PlantOverview() {
  const { t, errorText } = useI18n();
  const statuses = useMachineStatuses();
  if (statuses.data === undefined) {
    return (
      <section className="panel">
        <p className="panel-muted">
          {statuses.isError
            ? t('overview.couldNotLoad', { message: errorText(statuses.error) })
            : t('overview.loading')}
        </p>
      </section>
    );
  }
  const nowMs = Date.parse(statuses.data.asOf);
  const sites = groupByLine(statuses.data.machines);
  if (sites.length === 0) {
    return (
      <section className="panel">
        <p className="panel-muted">{t('overview.noMachines')}</p>
      </section>
    );
  }
  return (
    <div className="plant-overview">
      {sites.map((site) => (
        <section key={site.siteId} aria-label={site.title}>
          <h2 className="overview-site-title" translate="no">
            {site.title}
          </h2>
          {site.lines.map((line) => (
            <section key={line.lineId} className="overview-line" aria-label={line.title}>
              <h3 className="overview-line-title">
                <span translate="no">{line.title}</span>
                <span className="overview-line-summary">
                  {t('overview.lineProducing', {
                    producing: line.stateCounts.PRODUCING ?? 0,
                    total: line.machines.length,
                  })}
                  {(line.stateCounts.DOWN ?? 0) > 0
                    ? ` · ${t('overview.lineDown', { count: line.stateCounts.DOWN ?? 0 })}`
                    : ''}
                </span>
              </h3>
              <ul className="machine-tiles">
                {line.machines.map((machine) => (
                  <MachineTile key={machine.machineId} machine={machine} nowMs={nowMs} />
                ))}
              </ul>
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}
