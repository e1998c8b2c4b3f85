// The role → navigation rule of the brief: VIEWER reads, SUPERVISOR adds work orders, ADMIN adds the admin pages.
import { ROLES, hasRole } from '@takt/contracts';
import { describe, expect, it } from 'vitest';
import { appPages } from '../../config/paths.ts';
import { getNavigationItems, getNavigationSections } from './navigation-items.ts';

const labels = (role: (typeof ROLES)[number]) => getNavigationItems(role).map((item) => item.label);

describe('getNavigationItems', () => {
  it('gives a viewer the read-only production pages', () => {
    expect(labels('VIEWER')).toEqual(['Overview', 'OEE', 'Downtime']);
  });

  it('adds work orders for a supervisor', () => {
    expect(labels('SUPERVISOR')).toEqual(['Overview', 'OEE', 'Downtime', 'Work orders']);
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
    expect(getNavigationSections('SUPERVISOR').map((section) => section.title)).toEqual(['Production']);
    expect(getNavigationSections('ADMIN').map((section) => section.title)).toEqual(['Production', 'Administration']);
  });
});
