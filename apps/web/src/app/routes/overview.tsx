// / — the plant overview: machine state tiles once machines report, and the health of the system now.
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { SystemStatusPanel } from '../../features/health/components/system-status-panel.tsx';

export function OverviewRoute() {
  return (
    <>
      <PageHeader title="Overview" description="Live state of every line and machine in the plant, shift by shift." />
      <div className="page-grid">
        <EmptyState icon="overview" title="No live plant view yet">
          <p>
            A tile per machine — producing, idle, down, changeover — arrives with the live machine-state stream. The
            system status panel shows whether the database and the MQTT broker that feed it are up.
          </p>
        </EmptyState>
        <SystemStatusPanel />
      </div>
    </>
  );
}
