// / — the plant overview: a tile per machine in its current state, and the health of the system.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { SystemStatusPanel } from '../../features/health/components/system-status-panel.tsx';
import { PlantOverview } from '../../features/machine-status/components/plant-overview.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function OverviewRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('page.overview')} description={t('overview.description')} />
      <div className="page-grid">
        <PlantOverview />
        <SystemStatusPanel />
      </div>
    </>
  );
}
