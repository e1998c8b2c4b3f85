// /admin/plant — the ISA-95 plant model (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';
import { useI18n } from '../../../lib/i18n/i18n.tsx';

export function PlantRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('page.plant')} description={t('plant.description')} />
      <EmptyState icon="factory" title={t('plant.emptyTitle')}>
        <p>{t('plant.emptyBody')}</p>
      </EmptyState>
    </>
  );
}
