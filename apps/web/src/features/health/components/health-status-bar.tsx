// The status bar at the bottom of the shell: API reachable, database and MQTT broker up or down. Text beside
// every dot, because red/green alone is unreadable for one operator in twelve.
import type { TDependencyStatus } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useHealth } from '../api/get-health.ts';

function DependencyIndicator({ name, dependency }: { name: string; dependency: TDependencyStatus }) {
  const { t, format } = useI18n();
  const isUp = dependency.status === 'up';
  const mode = dependency.mode === 'embedded' ? t('health.modeEmbedded') : t('health.modeExternal');
  const latency = dependency.latencyMs === undefined ? '' : ` · ${format.count(dependency.latencyMs)} ms`;
  const state = isUp ? t('health.dependencyUp', { name }) : t('health.dependencyDown', { name });
  return (
    <span className="status-item" title={dependency.detail ?? `${state} (${mode})${latency}`}>
      <span className={`status-dot ${isUp ? 'status-dot-up' : 'status-dot-down'}`} aria-hidden="true" />
      {state}
      <span className="status-muted">
        {' '}
        ({mode}
        {latency})
      </span>
    </span>
  );
}

export function HealthStatusBar() {
  const { t } = useI18n();
  const health = useHealth();
  if (health.data === undefined) {
    return (
      <div className="status-row" data-testid="health-status">
        {health.isError ? (
          <span className="status-item">
            <span className="status-dot status-dot-down" aria-hidden="true" />
            {t('health.apiUnreachable')}
          </span>
        ) : (
          <span className="status-item status-muted">{t('health.checkingApi')}</span>
        )}
      </div>
    );
  }
  const isApiReachable = !health.isError;
  return (
    <div className="status-row" data-testid="health-status">
      <span className="status-item">
        <span className={`status-dot ${isApiReachable ? 'status-dot-up' : 'status-dot-down'}`} aria-hidden="true" />
        {isApiReachable ? t('health.apiOnline') : t('health.apiUnreachable')}
      </span>
      <DependencyIndicator name={t('health.database')} dependency={health.data.database} />
      <DependencyIndicator name={t('health.broker')} dependency={health.data.broker} />
      <span className="status-item status-muted status-version">Takt {health.data.version}</span>
    </div>
  );
}
