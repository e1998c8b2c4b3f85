// Any unknown path inside the app.
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { translateWithNodes, useI18n } from '../../lib/i18n/i18n.tsx';

export function NotFoundRoute() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('notFound.title')} description={t('notFound.description')} />
      <EmptyState icon="alert" title={t('notFound.emptyTitle')}>
        <p>{translateWithNodes(t, 'notFound.body', { overview: <Link to="/">{t('notFound.overviewLink')}</Link> })}</p>
      </EmptyState>
    </>
  );
}
