// /downtime — stops and their reasons.
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function DowntimeRoute() {
  return (
    <>
      <PageHeader
        title="Downtime"
        description="Every stop with its duration and reason: breakdowns, idle time, changeovers, planned stops."
      />
      <EmptyState icon="pause" title="No downtime view yet">
        <p>
          The list of stops with their durations and reasons arrives with the KPI engine. Supervisors will classify
          unplanned stops here with a reason from the plant&apos;s downtime reason tree.
        </p>
      </EmptyState>
    </>
  );
}
