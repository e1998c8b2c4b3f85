// Every page of the SPA with the least role that may open it. The navigation and the route guards both
// read this one table, so a link is never shown for a page that would bounce its user back to "/".
import type { TRole } from '@takt/contracts';

export type TNavigationGroup = 'production' | 'administration';

export type TAppPage = {
  path: string;
  label: string;
  minRole: TRole;
  group: TNavigationGroup;
};

export const loginPath = '/login';

export const appPages = {
  overview: { path: '/', label: 'Overview', minRole: 'VIEWER', group: 'production' },
  oee: { path: '/oee', label: 'OEE', minRole: 'VIEWER', group: 'production' },
  downtime: { path: '/downtime', label: 'Downtime', minRole: 'VIEWER', group: 'production' },
  workOrders: { path: '/work-orders', label: 'Work orders', minRole: 'VIEWER', group: 'production' },
  plant: { path: '/admin/plant', label: 'Plant configuration', minRole: 'ADMIN', group: 'administration' },
  dataSources: { path: '/admin/data-sources', label: 'Data sources', minRole: 'ADMIN', group: 'administration' },
  users: { path: '/admin/users', label: 'Users', minRole: 'ADMIN', group: 'administration' },
} as const satisfies Record<string, TAppPage>;

export type TAppPageId = keyof typeof appPages;
