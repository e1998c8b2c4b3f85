// /stream: the live stream as Server-Sent Events (VIEWER), scoped by site/area/line/machine and
// resumable with Last-Event-ID (header, or `lastEventId` in the query for clients that cannot set it).
import { z } from 'zod';
import { ZStreamQuery } from '@takt/contracts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { AppError } from '../http/app-error.ts';
import type { LiveEventHub } from './live-event-hub.ts';

const ZEventId = z.string().regex(/^\d{1,18}$/, 'An event id as received');
const ZStreamRouteQuery = ZStreamQuery.extend({
  lastEventId: ZEventId.optional().meta({ description: 'Resume after this event id (as Last-Event-ID).' }),
});

export function streamRoutes(options: { hub: LiveEventHub | undefined }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/stream',
      access: 'VIEWER',
      summary:
        'Live events (text/event-stream): machine-state, count, work-order (with ids; resume with Last-Event-ID), ' +
        'kpi-tick every 10 s per line, reload when a resume is too old; heartbeat comments every 15 s.',
      tags: ['stream'],
      schemas: { query: ZStreamRouteQuery },
      async handler({ query, auth, req, res }) {
        const hub = options.hub;
        if (hub === undefined) {
          throw new AppError('SERVICE_UNAVAILABLE', 'Live stream unavailable', {
            detail: 'This server runs without the live-event hub.',
          });
        }
        const header = req.get('last-event-id');
        let lastEventId = query.lastEventId;
        if (header !== undefined && header.trim() !== '') {
          const parsed = ZEventId.safeParse(header.trim());
          if (!parsed.success) {
            throw new AppError('BAD_REQUEST', 'Invalid Last-Event-ID', { detail: 'Send an event id as received.' });
          }
          lastEventId = parsed.data;
        }
        const { lastEventId: _ignored, ...filter } = query;
        await hub.subscribe(req, res, auth.sessionId, filter, lastEventId);
        return undefined;
      },
    }),
  ];
}
