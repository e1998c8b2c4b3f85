// /health: always public, for load balancers and container health checks.
import { ZHealthResponse } from '@takt/contracts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { getHealth, type HealthOptions } from './health.service.ts';

export function healthRoutes(options: HealthOptions): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      access: 'public',
      summary: 'Liveness, and whether the database and the MQTT broker are reachable.',
      tags: ['health'],
      schemas: { response: ZHealthResponse },
      // 200 even when degraded: the API itself is alive and the body says what is down.
      handler: () => getHealth(options),
    }),
  ];
}
