// The frame around every signed-in page: dark top bar (product, and the user menu with the language and sign
// out), the role's navigation on the left, the page, and a status bar. It only renders what it is given; app/
// wires in the session.
import type { TUser } from '@takt/contracts';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import type { TAppPageId } from '../../config/paths.ts';
import { useI18n } from '../../lib/i18n/i18n.tsx';
import { BrandMark } from '../ui/brand-mark.tsx';
import { Icon, type TIconName } from '../ui/icon.tsx';
import { LanguageSelect } from '../ui/language-select.tsx';
import { RoleBadge } from '../ui/role-badge.tsx';
import { getNavigationSections } from './navigation-items.ts';

const PAGE_ICONS: Record<TAppPageId, TIconName> = {
  overview: 'overview',
  oee: 'gauge',
  downtime: 'pause',
  workOrders: 'clipboard',
  plant: 'factory',
  dataSources: 'plug',
  users: 'users',
};

export type TAppShellProps = {
  user: TUser;
  onSignOut: () => void;
  isSigningOut: boolean;
  signOutError: string | undefined;
  statusBar: ReactNode;
  children: ReactNode;
};

/** Who is signed in, with what they may set for themselves: the language, and signing out. */
function UserMenu({ user, onSignOut, isSigningOut }: Pick<TAppShellProps, 'user' | 'onSignOut' | 'isSigningOut'>) {
  const { t } = useI18n();
  const id = useId();
  const menuRef = useRef<HTMLDetailsElement>(null);

  // Like any menu, it closes on a click elsewhere and on Escape (a bare <details> would stay open).
  useEffect(() => {
    const close = (event: Event) => {
      const menu = menuRef.current;
      if (menu === null || !menu.open) return;
      const isOutside = event instanceof PointerEvent && !menu.contains(event.target as Node);
      if (isOutside || (event instanceof KeyboardEvent && event.key === 'Escape')) menu.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  return (
    <details className="user-menu" ref={menuRef}>
      <summary className="user-menu-summary" aria-label={t('shell.userMenu')}>
        <span className="user-name" data-testid="current-user-name" title={user.username}>
          {user.displayName}
        </span>
        <RoleBadge role={user.role} testId="current-user-role" />
        <span className="user-menu-chevron" aria-hidden="true" />
      </summary>
      <div className="user-menu-panel">
        <p className="user-menu-who">{t('shell.signedInAs', { name: user.displayName, username: user.username })}</p>
        <LanguageSelect id={`${id}-language`} />
        <button type="button" className="button button-block" onClick={onSignOut} disabled={isSigningOut}>
          <Icon name="sign-out" size={18} />
          <span>{isSigningOut ? t('shell.signingOut') : t('shell.signOut')}</span>
        </button>
      </div>
    </details>
  );
}

export function AppShell({ user, onSignOut, isSigningOut, signOutError, statusBar, children }: TAppShellProps) {
  const { t } = useI18n();
  const sections = getNavigationSections(user.role);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <BrandMark />
          <span className="brand-name">Takt</span>
        </Link>
        <div className="topbar-session">
          {signOutError === undefined ? null : (
            <span className="topbar-error" role="alert">
              {t('shell.signOutFailed', { message: signOutError })}
            </span>
          )}
          <UserMenu user={user} onSignOut={onSignOut} isSigningOut={isSigningOut} />
        </div>
      </header>
      <nav className="sidebar" aria-label={t('shell.mainNavigation')}>
        {sections.map((section) => (
          <div className="nav-section" key={section.group}>
            <h2 className="nav-section-title">{t(section.titleKey)}</h2>
            <ul className="nav-list">
              {section.items.map((item) => (
                <li key={item.id}>
                  <NavLink to={item.path} end={item.path === '/'} className="nav-link">
                    <Icon name={PAGE_ICONS[item.id]} />
                    <span>{t(item.labelKey)}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="statusbar">{statusBar}</footer>
    </div>
  );
}
