// /admin/users — accounts and roles (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';
import { useI18n } from '../../../lib/i18n/i18n.tsx';

export function UsersRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('page.users')} description={t('users.description')} />
      <EmptyState icon="users" title={t('users.emptyTitle')}>
        <p>{t('users.emptyBody')}</p>
      </EmptyState>
    </>
  );
}
