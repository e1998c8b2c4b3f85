// Builds the Express app (no listening here, so that tests drive it with supertest).
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { PrismaClient } from '@takt/db';
import { authRoutes, type LoginRateLimits } from './auth/auth.routes.ts';
import type { SessionPolicy } from './auth/auth.service.ts';
import { sessionMiddleware } from './auth/session.middleware.ts';
import { healthRoutes } from './health/health.routes.ts';
import { apiNotFound, errorMiddleware } from './http/error.middleware.ts';
import { requestContextMiddleware } from './http/request-context.middleware.ts';
import { mountRoutes, type RouteDefinition } from './http/route.ts';
import { spaRouter } from './web/spa.middleware.ts';

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
};

/** Every route of /api/v1, in one list: the authorisation matrix and OpenAPI read it. */
export function apiRoutes(options: AppOptions): RouteDefinition[] {
  return [
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
  ];
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy, req.ip and req.secure come from X-Forwarded-* (login rate limit per IP).
  app.set('trust proxy', options.isBehindProxy ? 1 : false);

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(sessionMiddleware(options.prisma, options.sessionPolicy));
  mountRoutes(api, apiRoutes(options));
  api.use(apiNotFound);

  app.use(requestContextMiddleware(options.logger));
  app.use('/api/v1', api);
  app.use('/api', apiNotFound);
  if (options.webDistDir !== undefined) app.use(spaRouter(options.webDistDir));
  app.use(errorMiddleware(options.logger));
  return app;
}
