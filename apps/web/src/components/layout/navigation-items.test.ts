// The role → navigation rule of the brief: VIEWER reads the production pages (work orders read-only), ADMIN adds
// the admin pages.
import { ROLES, hasRole } from '@takt/contracts';
import { describe, expect, it } from 'vitest';
import { appPages } from '../../config/paths.ts';
import { createI18n } from '../../lib/i18n/i18n.tsx';
import { getNavigationItems, getNavigationSections } from './navigation-items.ts';

const { t } = createI18n('en');
const labels = (role: (typeof ROLES)[number]) => getNavigationItems(role).map((item) => t(item.labelKey));

describe('getNavigationItems', () => {
  it('gives a viewer the production pages, work orders included (read-only there)', () => {
    expect(labels('VIEWER')).toEqual(['Overview', 'OEE', 'Downtime', 'Work orders']);
  });

  it('gives a supervisor the same pages as a viewer (the difference is what they may change)', () => {
    expect(labels('SUPERVISOR')).toEqual(labels('VIEWER'));
  });

  it('adds the administration pages for an admin', () => {
    expect(labels('ADMIN')).toEqual([
      'Overview',
      'OEE',
      'Downtime',
      'Work orders',
      'Plant configuration',
      'Data sources',
      'Users',
    ]);
  });

  it.each(ROLES)('never lists a page a %s would be redirected away from', (role) => {
    for (const item of getNavigationItems(role)) expect(hasRole(role, appPages[item.id].minRole)).toBe(true);
  });
});

describe('getNavigationSections', () => {
  it('leaves out a section with nothing visible in it', () => {
    expect(getNavigationSections('SUPERVISOR').map((section) => t(section.titleKey))).toEqual(['Production']);
    expect(getNavigationSections('ADMIN').map((section) => t(section.titleKey))).toEqual([
      'Production',
      'Administration',
    ]);
  });
});
