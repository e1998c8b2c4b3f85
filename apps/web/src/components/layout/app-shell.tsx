// The frame around every signed-in page: dark top bar (product, user, role, sign out), the role's navigation
// on the left, the page, and a status bar. It only renders what it is given; app/ wires in the session.
import type { TUser } from '@takt/contracts';
import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import type { TAppPageId } from '../../config/paths.ts';
import { BrandMark } from '../ui/brand-mark.tsx';
import { Icon, type TIconName } from '../ui/icon.tsx';
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

export function AppShell({ user, onSignOut, isSigningOut, signOutError, statusBar, children }: TAppShellProps) {
  const sections = getNavigationSections(user.role);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <BrandMark />
          <span className="brand-name">Takt</span>
        </Link>
        <div className="topbar-session">
          {signOutError === undefined ? null : (
            <span className="topbar-error" role="alert">
              Sign-out failed: {signOutError}
            </span>
          )}
          <span className="visually-hidden">Signed in as</span>
          <span className="user-name" data-testid="current-user-name" title={user.username}>
            {user.displayName}
          </span>
          <RoleBadge role={user.role} testId="current-user-role" />
          <button type="button" className="button button-on-dark" onClick={onSignOut} disabled={isSigningOut}>
            <Icon name="sign-out" size={18} />
            <span>{isSigningOut ? 'Signing out…' : 'Sign out'}</span>
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Main">
        {sections.map((section) => (
          <div className="nav-section" key={section.group}>
            <h2 className="nav-section-title">{section.title}</h2>
            <ul className="nav-list">
              {section.items.map((item) => (
                <li key={item.id}>
                  <NavLink to={item.path} end={item.path === '/'} className="nav-link">
                    <Icon name={PAGE_ICONS[item.id]} />
                    <span>{item.label}</span>
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
