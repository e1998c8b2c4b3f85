// Every page of the SPA with the least role that may open it. The navigation and the route guards both
// read this one table, so a link is never shown for a page that would bounce its user back to "/".
import type { TRole } from '@takt/contracts';
import type { TPlainMessageKey } from '../lib/i18n/translate.ts';

export type TNavigationGroup = 'production' | 'administration';

export type TAppPage = {
  path: string;
  /** The page's name in the message catalogue: its menu entry and its heading. */
  labelKey: TPlainMessageKey;
  minRole: TRole;
  group: TNavigationGroup;
};

export const loginPath = '/login';

export const appPages = {
  overview: { path: '/', labelKey: 'page.overview', minRole: 'VIEWER', group: 'production' },
  oee: { path: '/oee', labelKey: 'page.oee', minRole: 'VIEWER', group: 'production' },
  downtime: { path: '/downtime', labelKey: 'page.downtime', minRole: 'VIEWER', group: 'production' },
  workOrders: { path: '/work-orders', labelKey: 'page.workOrders', minRole: 'VIEWER', group: 'production' },
  plant: { path: '/admin/plant', labelKey: 'page.plant', minRole: 'ADMIN', group: 'administration' },
  dataSources: { path: '/admin/data-sources', labelKey: 'page.dataSources', minRole: 'ADMIN', group: 'administration' },
  users: { path: '/admin/users', labelKey: 'page.users', minRole: 'ADMIN', group: 'administration' },
} as const satisfies Record<string, TAppPage>;

export type TAppPageId = keyof typeof appPages;
