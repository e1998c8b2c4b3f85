// The plant at a glance: one tile per machine, grouped by line, coloured by state (the andon view).
import type { TMachineState, TMachineStatus } from '@takt/contracts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useMachineStatuses } from '../api/get-machine-statuses.ts';
import { groupByLine } from './group-by-line.ts';

const STATE_LABELS: Record<TMachineState, string> = {
  PRODUCING: 'Producing',
  IDLE: 'Idle',
  DOWN: 'Down',
  CHANGEOVER: 'Changeover',
  PLANNED_STOP: 'Planned stop',
  NO_ORDER: 'No order',
  OFFLINE: 'Offline',
};

function MachineTile({ machine, nowMs }: { machine: TMachineStatus; nowMs: number }) {
  const state = machine.state;
  const sinceSec = machine.since === null ? null : (nowMs - Date.parse(machine.since)) / 1000;
  return (
    <li className={`machine-tile machine-tile-${(state ?? 'unknown').toLowerCase().replace('_', '-')}`}>
      <div className="machine-tile-head">
        <span className="machine-tile-name">{machine.name}</span>
        <span className="machine-tile-state">{state === null ? 'No data' : STATE_LABELS[state]}</span>
      </div>
      <div className="machine-tile-detail">
        {sinceSec === null ? 'Never reported' : `for ${formatDuration(Math.max(0, sinceSec))}`}
        {machine.reason === null ? '' : ` · ${machine.reason.name}`}
      </div>
      <div className="machine-tile-detail">
        {machine.productCode ?? 'No product'} · {machine.goodCountLastHour} good
        {machine.rejectCountLastHour > 0 ? ` · ${machine.rejectCountLastHour} scrap` : ''} in the last hour
      </div>
    </li>
  );
}

export function PlantOverview() {
  const statuses = useMachineStatuses();
  if (statuses.data === undefined) {
    return (
      <section className="panel">
        <p className="panel-muted">
          {statuses.isError ? `Could not load the machines: ${statuses.error.message}` : 'Loading machines…'}
        </p>
      </section>
    );
  }
  const nowMs = Date.parse(statuses.data.asOf);
  const sites = groupByLine(statuses.data.machines);
  if (sites.length === 0) {
    return (
      <section className="panel">
        <p className="panel-muted">
          No machines are configured yet. An administrator adds them under Plant configuration.
        </p>
      </section>
    );
  }
  return (
    <div className="plant-overview">
      {sites.map((site) => (
        <section key={site.siteId} aria-label={site.title}>
          <h2 className="overview-site-title">{site.title}</h2>
          {site.lines.map((line) => (
            <section key={line.lineId} className="overview-line" aria-label={line.title}>
              <h3 className="overview-line-title">
                {line.title}
                <span className="overview-line-summary">
                  {line.stateCounts.PRODUCING ?? 0} of {line.machines.length} producing
                  {(line.stateCounts.DOWN ?? 0) > 0 ? ` · ${line.stateCounts.DOWN} down` : ''}
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
