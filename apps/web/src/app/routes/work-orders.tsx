// /work-orders — release and dispatch of production orders and their progress against plan. Everyone reads;
// supervisors and admins create, release, dispatch, start, pause, complete, cancel and adjust counts.
import { canChangeWorkOrders } from '@takt/contracts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { NewWorkOrderButton, WorkOrdersView } from '../../features/work-orders/components/work-orders-view.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function WorkOrdersRoute() {
  const { t } = useI18n();
  const me = useMe();
  const canWrite = me.data ? canChangeWorkOrders(me.data.role) : false;
  return (
    <>
      <PageHeader
        title={t('page.workOrders')}
        description={t('workOrders.description')}
        actions={canWrite ? <NewWorkOrderButton /> : undefined}
      />
      {me.data ? <WorkOrdersView role={me.data.role} /> : null}
    </>
  );
}
