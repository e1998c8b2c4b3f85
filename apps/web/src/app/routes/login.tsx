// /login: the sign-in page. Once the `me` query holds a user (just signed in, or already signed in) it
// forwards to the page the user originally asked for.
import { Navigate, useLocation } from 'react-router';
import { BrandMark } from '../../components/ui/brand-mark.tsx';
import { useMe } from '../../features/auth/api/get-me.ts';
import { LoginForm } from '../../features/auth/components/login-form.tsx';
import { redirectTargetFrom } from '../redirect-target.ts';

export function LoginRoute() {
  const me = useMe();
  const location = useLocation();
  if (me.data) return <Navigate to={redirectTargetFrom(location.state)} replace />;

  return (
    <div className="login-page">
      <title>Sign in · Takt</title>
      <main className="login-panel">
        <div className="login-brand">
          <BrandMark size={44} />
          <div>
            <p className="login-product">Takt</p>
            <p className="login-tagline">OEE and work-order dispatch for the plant floor</p>
          </div>
        </div>
        <div className="login-card">
          <h1 className="login-title">Sign in</h1>
          <p className="login-subtitle">Use the account your plant administrator gave you.</p>
          <LoginForm />
        </div>
      </main>
      <footer className="login-footer">Takt · open-source MES · Apache-2.0</footer>
    </div>
  );
}
