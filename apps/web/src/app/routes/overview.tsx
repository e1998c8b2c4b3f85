// / — the plant overview: a tile per machine in its current state, and the health of the system.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { SystemStatusPanel } from '../../features/health/components/system-status-panel.tsx';
import { PlantOverview } from '../../features/machine-status/components/plant-overview.tsx';

export function OverviewRoute() {
  return (
    <>
      <PageHeader title="Overview" description="Live state of every line and machine in the plant." />
      <div className="page-grid">
        <PlantOverview />
        <SystemStatusPanel />
      </div>
    </>
  );
}
