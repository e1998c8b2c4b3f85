// Shown when rendering a route throws: a way back instead of a blank monitor on the shop floor.
import { useRouteError } from 'react-router';
import { FullPageMessage } from '../../components/ui/full-page-message.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : t('app.unexpectedRenderError');
  return (
    <FullPageMessage
      title={t('app.somethingWentWrong')}
      detail={detail}
      action={
        <button type="button" className="button button-primary" onClick={() => window.location.assign('/')}>
          {t('app.reload')}
        </button>
      }
    />
  );
}
