// Builds the Express app (no listening here, so that tests drive it with supertest).
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { PrismaClient } from '@takt/db';
import { authRoutes, type LoginRateLimits } from './auth/auth.routes.ts';
import type { SessionPolicy } from './auth/auth.service.ts';
import { sessionMiddleware } from './auth/session.middleware.ts';
import { createSessionCache } from './auth/session.cache.ts';
import { ingestTokenMiddleware } from './ingest/ingest-token.middleware.ts';
import { healthRoutes } from './health/health.routes.ts';
import { apiNotFound, errorMiddleware } from './http/error.middleware.ts';
import { requestContextMiddleware } from './http/request-context.middleware.ts';
import { mountRoutes, type RouteDefinition } from './http/route.ts';
import { renderDocsPage } from './openapi/docs.page.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/openapi.document.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { apiCompression } from './web/compression.middleware.ts';
import { spaRouter } from './web/spa.middleware.ts';
import { calendarRoutes } from './calendar/calendar.routes.ts';
import { reasonRoutes } from './reasons/reason.routes.ts';
import { dataSourceRoutes } from './data-sources/data-source.routes.ts';
import { configCsvRoutes } from './config-csv/config-csv.routes.ts';
import { plantRoutes } from './plant/plant.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { usersRoutes } from './users/users.routes.ts';
import { ingestTokensRoutes } from './ingest-tokens/ingest-tokens.routes.ts';
import type { LiveEventHub } from './stream/live-event-hub.ts';
import { streamRoutes } from './stream/stream.routes.ts';
import { kpiRoutes } from './kpi/kpi.routes.ts';
import { machinesRoutes } from './machines/machines.routes.ts';
import { ingestRoutes } from './ingest/ingest.routes.ts';
import { deadLetterRoutes } from './dead-letters/dead-letter.routes.ts';
import { workOrderRoutes } from './work-orders/work-order.routes.ts';
import { downtimeRoutes } from './downtime/downtime.routes.ts';

export const API_VERSION = '0.1.0';

export type AppOptions = {
  prisma: PrismaClient;
  logger: Logger;
  isBrokerConnected(): boolean;
  databaseMode: 'embedded' | 'external';
  brokerMode: 'embedded' | 'external';
  sessionPolicy: SessionPolicy;
  isCookieSecure: boolean;
  isBehindProxy: boolean;
  /** Directory of the built SPA, or undefined to serve the API only. */
  webDistDir?: string;
  loginRateLimit?: LoginRateLimits;
  /** The live-event fan-out behind GET /stream; without it the stream answers 503. */
  liveEvents?: LiveEventHub;
};

/** Every route of /api/v1, in one list: the authorisation matrix and OpenAPI read it. */
export function apiRoutes(options: AppOptions): RouteDefinition[] {
  const routes: RouteDefinition[] = [
    ...healthRoutes({
      prisma: options.prisma,
      isBrokerConnected: options.isBrokerConnected,
      databaseMode: options.databaseMode,
      brokerMode: options.brokerMode,
      version: API_VERSION,
      startedAtMs: Date.now(),
    }),
    ...authRoutes({
      prisma: options.prisma,
      policy: options.sessionPolicy,
      isCookieSecure: options.isCookieSecure,
      rateLimit: options.loginRateLimit,
    }),
    ...calendarRoutes({ prisma: options.prisma }),
    ...reasonRoutes({ prisma: options.prisma }),
    ...dataSourceRoutes({ prisma: options.prisma }),
    ...configCsvRoutes({ prisma: options.prisma }),
    ...usersRoutes({ prisma: options.prisma }),
    ...ingestTokensRoutes({ prisma: options.prisma }),
    ...streamRoutes({ hub: options.liveEvents }),
    ...plantRoutes({ prisma: options.prisma }),
    ...auditRoutes({ prisma: options.prisma }),
    ...kpiRoutes({ prisma: options.prisma }),
    ...machinesRoutes({ prisma: options.prisma }),
    ...ingestRoutes({ prisma: options.prisma, logger: options.logger }),
    ...deadLetterRoutes({ prisma: options.prisma }),
    ...workOrderRoutes({ prisma: options.prisma }),
    ...downtimeRoutes({ prisma: options.prisma }),
  ];
  let document: OpenApiDocument | undefined;
  const getDocument = (): OpenApiDocument => (document ??= buildOpenApiDocument(routes, API_VERSION));
  routes.push(...openApiRoutes(getDocument));
  return routes;
}

/** The /api/v1 router: JSON body, session, the declared routes, then 404 for anything else. */
export function buildApiRouter(options: AppOptions, routes: readonly RouteDefinition[]): Router {
  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(sessionMiddleware(options.prisma, options.sessionPolicy, createSessionCache()));
  api.use(ingestTokenMiddleware(options.prisma));
  mountRoutes(api, routes);
  api.use(apiNotFound);
  return api;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy, req.ip and req.secure come from X-Forwarded-* (login rate limit per IP).
  app.set('trust proxy', options.isBehindProxy ? 1 : false);

  const routes = apiRoutes(options);
  const docsPage = renderDocsPage(buildOpenApiDocument(routes, API_VERSION));

  app.use(requestContextMiddleware(options.logger));
  app.use('/api', apiCompression());
  app.use('/api/v1', buildApiRouter(options, routes));
  // Human-readable API docs: public, like the document they render.
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
  app.use('/api', apiNotFound);
  if (options.webDistDir !== undefined) app.use(spaRouter(options.webDistDir));
  app.use(errorMiddleware(options.logger));
  return app;
}
