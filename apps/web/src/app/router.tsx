// The route table: /login outside the shell, every other page inside AppRoot behind its RoleGuard. Each page is
// its own chunk, loaded when first opened (React.lazy), so that the first screen does not wait for the charts
// of the OEE and downtime pages.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { appPages, loginPath, type TAppPage } from '../config/paths.ts';
import { AppRoot, PageLoading } from './routes/app-root.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { RoleGuard } from './routes/role-guard.tsx';
import { RouteError } from './routes/route-error.tsx';

/** A page module's named export as a lazily loaded component. */
function lazyPage<TModule>(load: () => Promise<TModule>, pick: (module: TModule) => ComponentType) {
  return lazy(async () => ({ default: pick(await load()) }));
}

const LoginRoute = lazyPage(
  () => import('./routes/login.tsx'),
  (m) => m.LoginRoute,
);
const OverviewRoute = lazyPage(
  () => import('./routes/overview.tsx'),
  (m) => m.OverviewRoute,
);
const OeeRoute = lazyPage(
  () => import('./routes/oee.tsx'),
  (m) => m.OeeRoute,
);
const DowntimeRoute = lazyPage(
  () => import('./routes/downtime.tsx'),
  (m) => m.DowntimeRoute,
);
const WorkOrdersRoute = lazyPage(
  () => import('./routes/work-orders.tsx'),
  (m) => m.WorkOrdersRoute,
);
const PlantRoute = lazyPage(
  () => import('./routes/admin/plant.tsx'),
  (m) => m.PlantRoute,
);
const DataSourcesRoute = lazyPage(
  () => import('./routes/admin/data-sources.tsx'),
  (m) => m.DataSourcesRoute,
);
const UsersRoute = lazyPage(
  () => import('./routes/admin/users.tsx'),
  (m) => m.UsersRoute,
);

function guarded(page: TAppPage, element: ReactNode): RouteObject {
  return { path: page.path, element: <RoleGuard minRole={page.minRole}>{element}</RoleGuard> };
}

const routes: RouteObject[] = [
  {
    path: loginPath,
    element: (
      <Suspense fallback={<PageLoading />}>
        <LoginRoute />
      </Suspense>
    ),
    errorElement: <RouteError />,
  },
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
