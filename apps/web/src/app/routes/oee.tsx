// /oee — OEE per site, area, line and machine over days and shifts, following ISO 22400, with the losses behind it.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { OeeView } from '../../features/oee/components/oee-view.tsx';

export function OeeRoute() {
  return (
    <>
      <PageHeader
        title="OEE"
        description="Availability × performance × quality of a site, area, line or machine, following ISO 22400."
      />
      <OeeView />
    </>
  );
}
