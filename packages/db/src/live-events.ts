// The live-event outbox (table `live_event`): writers append rows inside the transaction of the change;
// the API's LiveEventHub polls them by id and streams them as Server-Sent Events (GET /api/v1/stream).
// An outbox rather than NOTIFY alone, because a NOTIFY is lost while no one listens (a reconnecting API)
// and because rows give every event a durable id to resume from (Last-Event-ID).
import pg from 'pg';
import { ZLiveEventInput, type TLiveEventInput, TAKT_EVENTS_CHANNEL } from '@takt/contracts';
import type { Prisma } from './generated/prisma/client.ts';

/** Channel notified (payload empty) on every append; the API listens on it and on TAKT_EVENTS_CHANNEL. */
export const LIVE_EVENT_CHANNEL = 'takt_live_event';

/**
 * Transaction-scoped advisory lock taken by every append: appends are serialised until their commit, so
 * ids become visible in id order and a reader that advances by `id > lastId` never skips a row that an
 * older, slower transaction commits later. Keep the append near the end of the writer's transaction.
 */
const APPEND_LOCK_KEY = 1_952_541_556; // 'takt' as a 32-bit integer

export type AppendedLiveEvents = { count: number; firstId: bigint | null; lastId: bigint | null };

/**
 * Appends `events` to the outbox in the writer's transaction `tx` (they become visible at its commit),
 * filling each event's line/area/site from the plant hierarchy so that the stream can filter by scope.
 */
export async function appendLiveEvents(
  tx: Prisma.TransactionClient,
  events: readonly TLiveEventInput[],
): Promise<AppendedLiveEvents> {
  if (events.length === 0) return { count: 0, firstId: null, lastId: null };
  const rows = events.map((event) => {
    const parsed = ZLiveEventInput.parse(event);
    return {
      type: parsed.type,
      machine_id: 'machineId' in parsed ? parsed.machineId : null,
      line_id: 'lineId' in parsed ? parsed.lineId : null,
      payload: parsed.payload,
    };
  });
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', APPEND_LOCK_KEY);
  const inserted = await tx.$queryRawUnsafe<{ id: bigint }[]>(
    `INSERT INTO live_event (type, site_id, area_id, line_id, machine_id, payload)
     SELECT e.type, a.site_id, l.area_id, l.id, e.machine_id, e.payload
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (type text, machine_id uuid, line_id uuid, payload jsonb))
          WITH ORDINALITY AS e(type, machine_id, line_id, payload, ord)
     LEFT JOIN machine m ON m.id = e.machine_id
     LEFT JOIN line l ON l.id = COALESCE(m.line_id, e.line_id)
     LEFT JOIN area a ON a.id = l.area_id
     ORDER BY e.ord
     RETURNING id`,
    JSON.stringify(rows),
  );
  await tx.$executeRawUnsafe(`SELECT pg_notify('${LIVE_EVENT_CHANNEL}', '')`);
  const ids = inserted.map((row) => row.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { count: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null };
}

export type LiveEventListener = { close(): Promise<void> };

/**
 * LISTENs on the live-event channels of `databaseUrl` and calls `onWake` on each notification, so that
 * the hub polls at once instead of at its next tick. Best effort: reconnects after errors; polling
 * covers the gaps.
 */
export function listenForLiveEvents(
  databaseUrl: string,
  onWake: () => void,
  onError: (error: unknown) => void = () => {},
): LiveEventListener {
  const RECONNECT_MS = 5_000;
  let client: pg.Client | null = null;
  let isClosed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    next.on('notification', () => onWake());
    next.on('error', (error) => {
      onError(error);
      scheduleReconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${LIVE_EVENT_CHANNEL}`);
      await next.query(`LISTEN ${TAKT_EVENTS_CHANNEL}`);
      if (isClosed) await next.end();
    } catch (error) {
      onError(error);
      scheduleReconnect(next);
    }
  };
  const scheduleReconnect = (failed: pg.Client): void => {
    if (isClosed || client !== failed || retry !== undefined) return;
    client = null;
    void failed.end().catch(() => {});
    retry = setTimeout(() => {
      retry = undefined;
      if (!isClosed) void connect();
    }, RECONNECT_MS);
    retry.unref();
  };
  void connect();
  return {
    async close() {
      isClosed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
