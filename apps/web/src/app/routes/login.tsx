// /login: the sign-in page, with the language choice (before sign-in, it applies to this browser). Once the `me`
// query holds a user (just signed in, or already signed in) it forwards to the page the user originally asked for.
import { useId } from 'react';
import { Navigate, useLocation } from 'react-router';
import { BrandMark } from '../../components/ui/brand-mark.tsx';
import { LanguageSelect } from '../../components/ui/language-select.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { LoginForm } from '../../features/auth/components/login-form.tsx';
import { useI18n } from '../../lib/i18n/i18n.tsx';
import { redirectTargetFrom } from '../redirect-target.ts';

export function LoginRoute() {
  const { t } = useI18n();
  const id = useId();
  const me = useMe();
  const location = useLocation();
  if (me.data) return <Navigate to={redirectTargetFrom(location.state)} replace />;

  return (
    <div className="login-page">
      <title>{t('login.pageTitle')}</title>
      <main className="login-panel">
        <div className="login-brand">
          <BrandMark size={44} />
          <div>
            <p className="login-product">Takt</p>
            <p className="login-tagline">{t('login.tagline')}</p>
          </div>
        </div>
        <div className="login-card">
          <h1 className="login-title">{t('login.title')}</h1>
          <p className="login-subtitle">{t('login.subtitle')}</p>
          <LoginForm />
        </div>
      </main>
      <footer className="login-footer">
        <span>{t('login.footer')}</span>
        <LanguageSelect id={`${id}-language`} />
      </footer>
    </div>
  );
}
