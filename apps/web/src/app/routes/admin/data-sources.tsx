// /admin/data-sources — OT connections (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';
import { useI18n } from '../../../lib/i18n/i18n.tsx';

export function DataSourcesRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('page.dataSources')} description={t('dataSources.description')} />
      <EmptyState icon="plug" title={t('dataSources.emptyTitle')}>
        <p>{t('dataSources.emptyBody')}</p>
      </EmptyState>
    </>
  );
}
