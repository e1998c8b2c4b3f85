// The overview's "System status" card: the same GET /health figures as the status bar, spelled out.
import type { TDependencyStatus } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useHealth } from '../api/get-health.ts';

function DependencyRow({ name, role, dependency }: { name: string; role: string; dependency: TDependencyStatus }) {
  const { t, format } = useI18n();
  const isUp = dependency.status === 'up';
  return (
    <div className="system-status-row">
      <dt>
        <span className="system-status-name">{name}</span>
        <span className="system-status-role" translate="no">
          {role}
        </span>
      </dt>
      <dd>
        <span className={`pill ${isUp ? 'pill-up' : 'pill-down'}`}>{isUp ? t('health.up') : t('health.down')}</span>
        <span className="system-status-detail">
          {dependency.mode === 'embedded' ? t('health.embedded') : t('health.external')}
          {dependency.latencyMs === undefined ? '' : ` · ${format.count(dependency.latencyMs)} ms`}
          {dependency.detail === undefined ? '' : ` · ${dependency.detail}`}
        </span>
      </dd>
    </div>
  );
}

export function SystemStatusPanel() {
  const { t, format, errorText } = useI18n();
  const health = useHealth();
  return (
    <section className="panel" aria-labelledby="system-status-title">
      <h2 id="system-status-title" className="panel-title">
        {t('health.systemStatus')}
      </h2>
      {health.data === undefined ? (
        <p className="panel-muted">
          {health.isError ? t('health.apiDidNotAnswer', { message: errorText(health.error) }) : t('health.checking')}
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
                {health.data.status === 'ok' ? t('health.ok') : t('health.degraded')}
              </span>
              <span className="system-status-detail">
                {t('health.upFor', { duration: format.duration(health.data.uptimeSec) })}
              </span>
            </dd>
          </div>
          <DependencyRow name={t('health.database')} role="PostgreSQL" dependency={health.data.database} />
          <DependencyRow name={t('health.broker')} role="MQTT" dependency={health.data.broker} />
        </dl>
      )}
    </section>
  );
}
