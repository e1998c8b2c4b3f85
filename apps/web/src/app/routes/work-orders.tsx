// /work-orders — release and dispatch of production orders and their progress against plan. Everyone reads;
// supervisors and admins create, release, dispatch, start, pause, complete, cancel and adjust counts.
import { canChangeWorkOrders } from '@takt/contracts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { NewWorkOrderButton, WorkOrdersView } from '../../features/work-orders/components/work-orders-view.tsx';

export function WorkOrdersRoute() {
  const me = useMe();
  const canWrite = me.data ? canChangeWorkOrders(me.data.role) : false;
  return (
    <>
      <PageHeader
        title="Work orders"
        description="What each line runs, how far it is against target and when it will finish; release and dispatch what comes next."
        actions={canWrite ? <NewWorkOrderButton /> : undefined}
      />
      {me.data ? <WorkOrdersView role={me.data.role} /> : null}
    </>
  );
}
