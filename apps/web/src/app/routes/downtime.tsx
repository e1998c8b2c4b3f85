// /downtime — stops and their reasons.
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function DowntimeRoute() {
  return (
    <>
      <PageHeader title="Downtime" description="Every stop with its duration and reason: breakdowns, idle time, changeovers, planned stops." />
      <EmptyState icon="pause" title="No downtime recorded">
        <p>
          Stops are listed here once machines report their state. Supervisors can then classify each one with a reason from the plant&apos;s downtime
          reason tree.
        </p>
      </EmptyState>
    </>
  );
}
