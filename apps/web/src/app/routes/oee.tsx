// /oee — OEE dashboards per machine, line and shift.
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function OeeRoute() {
  return (
    <>
      <PageHeader
        title="OEE"
        description="Availability × performance × quality per machine, line and shift, following ISO 22400."
      />
      <EmptyState icon="gauge" title="No dashboards yet">
        <p>
          OEE dashboards arrive with the KPI engine. Each figure will be explainable down to the state intervals and
          counts that produced it.
        </p>
      </EmptyState>
    </>
  );
}
