// The overview's "System status" card: the same GET /health figures as the status bar, spelled out.
import type { TDependencyStatus } from '@takt/contracts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useHealth } from '../api/get-health.ts';

function DependencyRow({ name, role, dependency }: { name: string; role: string; dependency: TDependencyStatus }) {
  const isUp = dependency.status === 'up';
  return (
    <div className="system-status-row">
      <dt>
        <span className="system-status-name">{name}</span>
        <span className="system-status-role">{role}</span>
      </dt>
      <dd>
        <span className={`pill ${isUp ? 'pill-up' : 'pill-down'}`}>{isUp ? 'Up' : 'Down'}</span>
        <span className="system-status-detail">
          {dependency.mode === 'embedded' ? 'Embedded' : 'External'}
          {dependency.latencyMs === undefined ? '' : ` · ${Math.round(dependency.latencyMs)} ms`}
          {dependency.detail === undefined ? '' : ` · ${dependency.detail}`}
        </span>
      </dd>
    </div>
  );
}

export function SystemStatusPanel() {
  const health = useHealth();
  return (
    <section className="panel" aria-labelledby="system-status-title">
      <h2 id="system-status-title" className="panel-title">
        System status
      </h2>
      {health.data === undefined ? (
        <p className="panel-muted">
          {health.isError ? `The API did not answer: ${health.error.message}` : 'Checking…'}
        </p>
      ) : (
        <dl className="system-status">
          <div className="system-status-row">
            <dt>
              <span className="system-status-name">API</span>
              <span className="system-status-role">Takt {health.data.version}</span>
            </dt>
            <dd>
              <span className={`pill ${health.data.status === 'ok' ? 'pill-up' : 'pill-warn'}`}>
                {health.data.status === 'ok' ? 'OK' : 'Degraded'}
              </span>
              <span className="system-status-detail">Up for {formatDuration(health.data.uptimeSec)}</span>
            </dd>
          </div>
          <DependencyRow name="Database" role="PostgreSQL" dependency={health.data.database} />
          <DependencyRow name="Broker" role="MQTT" dependency={health.data.broker} />
        </dl>
      )}
    </section>
  );
}
