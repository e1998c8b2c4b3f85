// /work-orders — release and dispatch of production orders (SUPERVISOR and up).
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function WorkOrdersRoute() {
  return (
    <>
      <PageHeader
        title="Work orders"
        description="Release orders, dispatch them to a line and follow their progress against plan."
      />
      <EmptyState icon="clipboard" title="No dispatch board yet">
        <p>
          Releasing orders, dispatching them to a line and following their good and scrap counts against plan arrive
          with the work-order module.
        </p>
      </EmptyState>
    </>
  );
}
