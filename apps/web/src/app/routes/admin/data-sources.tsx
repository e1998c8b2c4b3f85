// /admin/data-sources — OT connections (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';

export function DataSourcesRoute() {
  return (
    <>
      <PageHeader
        title="Data sources"
        description="Where machine data comes from: MQTT with Sparkplug B or UNS JSON, OPC UA servers, and HTTP gateways."
      />
      <EmptyState icon="plug" title="No data source editor yet">
        <p>
          Connecting brokers and OPC UA endpoints and mapping their metrics to machine signals arrives with the bridge
          administration screens.
        </p>
      </EmptyState>
    </>
  );
}
