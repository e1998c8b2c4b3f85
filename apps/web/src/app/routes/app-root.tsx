// The signed-in part of the SPA: checks the session, sends strangers to /login (remembering where they were
// going), and otherwise frames the page in the app shell with the sign-out action and the health status bar.
// Pages load as their own chunks; while one loads, the shell stays and the page area says so.
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { AppShell } from '../../components/layout/app-shell.tsx';
import { FullPageMessage } from '../../components/ui/full-page-message.tsx';
import { loginPath } from '../../config/paths.ts';
import { useMe } from '../../features/auth/api/get-me.ts';
import { useLogout } from '../../features/auth/api/logout.ts';
import { HealthStatusBar } from '../../features/health/components/health-status-bar.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';
import type { TLoginRedirectState } from '../redirect-target.ts';

export function AppRoot() {
  const { t, errorText } = useI18n();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout({
    onSuccess: () => {
      void navigate(loginPath, { replace: true });
    },
  });

  if (me.data) {
    return (
      <AppShell
        user={me.data}
        onSignOut={() => logout.mutate()}
        isSigningOut={logout.isPending}
        signOutError={logout.error === null ? undefined : errorText(logout.error)}
        statusBar={<HealthStatusBar />}
      >
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell>
    );
  }
  if (me.data === null) {
    const state: TLoginRedirectState = { from: `${location.pathname}${location.search}${location.hash}` };
    return <Navigate to={loginPath} replace state={state} />;
  }
  if (me.isError) {
    return (
      <FullPageMessage
        title={t('app.cannotReachServer')}
        detail={errorText(me.error)}
        action={
          <button type="button" className="button button-primary" onClick={() => void me.refetch()}>
            {t('common.tryAgain')}
          </button>
        }
      />
    );
  }
  return <FullPageMessage title={t('app.loading')} isBusy />;
}

/** What a page's place shows while its code loads. */
export function PageLoading() {
  const { t } = useI18n();
  return (
    <p className="page-loading" role="status">
      {t('common.loadingPage')}
    </p>
  );
}
