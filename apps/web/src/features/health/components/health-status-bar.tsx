// The status bar at the bottom of the shell: API reachable, database and MQTT broker up or down. Text beside
// every dot, because red/green alone is unreadable for one operator in twelve.
import type { TDependencyStatus } from '@takt/contracts';
import { useHealth } from '../api/get-health.ts';

function DependencyIndicator({ name, dependency }: { name: string; dependency: TDependencyStatus }) {
  const isUp = dependency.status === 'up';
  const latency = dependency.latencyMs === undefined ? '' : ` · ${Math.round(dependency.latencyMs)} ms`;
  return (
    <span
      className="status-item"
      title={dependency.detail ?? `${name} ${dependency.status} (${dependency.mode})${latency}`}
    >
      <span className={`status-dot ${isUp ? 'status-dot-up' : 'status-dot-down'}`} aria-hidden="true" />
      {name} {isUp ? 'up' : 'down'}
      <span className="status-muted">
        {' '}
        ({dependency.mode}
        {latency})
      </span>
    </span>
  );
}

export function HealthStatusBar() {
  const health = useHealth();
  if (health.data === undefined) {
    return (
      <div className="status-row" data-testid="health-status">
        {health.isError ? (
          <span className="status-item">
            <span className="status-dot status-dot-down" aria-hidden="true" />
            API unreachable
          </span>
        ) : (
          <span className="status-item status-muted">Checking API status…</span>
        )}
      </div>
    );
  }
  const isApiReachable = !health.isError;
  return (
    <div className="status-row" data-testid="health-status">
      <span className="status-item">
        <span className={`status-dot ${isApiReachable ? 'status-dot-up' : 'status-dot-down'}`} aria-hidden="true" />
        {isApiReachable ? 'API online' : 'API unreachable'}
      </span>
      <DependencyIndicator name="Database" dependency={health.data.database} />
      <DependencyIndicator name="Broker" dependency={health.data.broker} />
      <span className="status-item status-muted status-version">Takt {health.data.version}</span>
    </div>
  );
}
