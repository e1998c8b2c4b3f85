// /admin/plant — the ISA-95 plant model (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';

export function PlantRoute() {
  return (
    <>
      <PageHeader
        title="Plant configuration"
        description="Sites, areas, lines and machines (ISA-95), products with their ideal cycle times, shift calendars and downtime reasons."
      />
      <EmptyState icon="factory" title="No plant model editor yet">
        <p>
          Editing the site → area → line → machine hierarchy, shift calendars and downtime reasons arrives with the
          plant configuration module.
        </p>
      </EmptyState>
    </>
  );
}
