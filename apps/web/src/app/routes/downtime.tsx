// /downtime — stops and their reasons: the Pareto of unplanned down time, and classification by supervisors.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { DowntimeView } from '../../features/downtime/components/downtime-view.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function DowntimeRoute() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('page.downtime')} description={t('downtime.description')} />
      {me.data ? <DowntimeView role={me.data.role} /> : null}
    </>
  );
}
