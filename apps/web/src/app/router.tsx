// The route table: /login outside the shell, every other page inside AppRoot behind its RoleGuard.
import type { ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { appPages, loginPath, type TAppPage } from '../config/paths.ts';
import { DataSourcesRoute } from './routes/admin/data-sources.tsx';
import { PlantRoute } from './routes/admin/plant.tsx';
import { UsersRoute } from './routes/admin/users.tsx';
import { AppRoot } from './routes/app-root.tsx';
import { DowntimeRoute } from './routes/downtime.tsx';
import { LoginRoute } from './routes/login.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { OeeRoute } from './routes/oee.tsx';
import { OverviewRoute } from './routes/overview.tsx';
import { RoleGuard } from './routes/role-guard.tsx';
import { RouteError } from './routes/route-error.tsx';
import { WorkOrdersRoute } from './routes/work-orders.tsx';

function guarded(page: TAppPage, element: ReactNode): RouteObject {
  return { path: page.path, element: <RoleGuard minRole={page.minRole}>{element}</RoleGuard> };
}

const routes: RouteObject[] = [
  { path: loginPath, element: <LoginRoute />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <OverviewRoute /> },
      guarded(appPages.oee, <OeeRoute />),
      guarded(appPages.downtime, <DowntimeRoute />),
      guarded(appPages.workOrders, <WorkOrdersRoute />),
      guarded(appPages.plant, <PlantRoute />),
      guarded(appPages.dataSources, <DataSourcesRoute />),
      guarded(appPages.users, <UsersRoute />),
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
