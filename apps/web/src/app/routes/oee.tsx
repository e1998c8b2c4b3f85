// /oee — OEE per site, area, line and machine over days and shifts, following ISO 22400, with the losses behind it.
import { PageHeader } from '../../components/ui/page-header.tsx';
import { OeeView } from '../../features/oee/components/oee-view.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function OeeRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('page.oee')} description={t('oee.description')} />
      <OeeView />
    </>
  );
}
