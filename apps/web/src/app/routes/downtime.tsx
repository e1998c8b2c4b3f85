// /downtime — stops and their reasons: the Pareto of unplanned down time, and classification by supervisors.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { DowntimeView } from '../../features/downtime/components/downtime-view.tsx';

export function DowntimeRoute() {
  const me = useMe();
  return (
    <>
      <PageHeader
        title="Downtime"
        description="Every stop with its duration and reason: breakdowns, idle time, changeovers, planned stops."
      />
      {me.data ? <DowntimeView role={me.data.role} /> : null}
    </>
  );
}
