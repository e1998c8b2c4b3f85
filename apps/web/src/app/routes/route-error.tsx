// Shown when rendering a route throws: a way back instead of a blank monitor on the shop floor.
import { useRouteError } from 'react-router';
import { FullPageMessage } from '../../components/ui/full-page-message.tsx';

export function RouteError() {
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : 'An unexpected error stopped this page from rendering.';
  return (
    <FullPageMessage
      title="Something went wrong"
      detail={detail}
      action={
        <button type="button" className="button button-primary" onClick={() => window.location.assign('/')}>
          Reload Takt
        </button>
      }
    />
  );
}
