// /work-orders — release and dispatch of production orders (SUPERVISOR and up).
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function WorkOrdersRoute() {
  return (
    <>
      <PageHeader title="Work orders" description="Release orders, dispatch them to a line and follow their progress against plan." />
      <EmptyState icon="clipboard" title="No work orders yet">
        <p>
          Orders move from draft to released, in progress and completed. Creating and dispatching them arrives with the work-order module; good and scrap
          counts will then come straight from the machines.
        </p>
      </EmptyState>
    </>
  );
}
