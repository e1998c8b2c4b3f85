// The live stream (GET /stream, Server-Sent Events) for React: one EventSource per subscription, every message
// checked against the contract before a handler sees it. EventSource reconnects by itself (after the server's
// `retry:` of 3 s) and resumes with Last-Event-ID, so events missed during a short outage are replayed; when
// they cannot be, the server sends `reload` and the page refetches. Handlers update the TanStack Query cache
// (docs/conventions.md rule 6): the stream is a reason to refetch, never a second store.
import { useEffect, useEffectEvent, useState } from 'react';
import { ZLiveEventMessage, type TLiveEventMessage, type TLiveEventType, type TStreamQuery } from '@takt/contracts';
import { env } from '../config/env.ts';

/** connecting: opening or reconnecting; open: events flow; closed: given up (signed out, stream unavailable). */
export type TLiveConnection = 'connecting' | 'open' | 'closed';

/** The stream's URL under the API base, with the scope filter (only the ids given). */
export function liveStreamUrl(baseUrl: string, query: TStreamQuery = {}): string {
  const search = new URLSearchParams();
  for (const key of ['siteId', 'areaId', 'lineId', 'machineId'] as const) {
    const value = query[key];
    if (value !== undefined) search.set(key, value);
  }
  const text = search.toString();
  return text === '' ? `${baseUrl}/stream` : `${baseUrl}/stream?${text}`;
}

/**
 * The message of one SSE `data:` line of event `type`, or null when it is not JSON, breaks the contract or
 * claims another type than the SSE `event:` it came with (a message is never half-trusted).
 */
export function parseLiveEventMessage(type: TLiveEventType, data: string): TLiveEventMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = ZLiveEventMessage.safeParse(json);
  if (!parsed.success || parsed.data.type !== type) return null;
  return parsed.data;
}

/** EventSource.CLOSED, spelled out so that this module loads where EventSource is not defined (unit tests). */
const EVENT_SOURCE_CLOSED = 2;

/** The state after an EventSource error: the browser retries unless the server refused the stream outright. */
export function connectionAfterError(readyState: number): TLiveConnection {
  return readyState === EVENT_SOURCE_CLOSED ? 'closed' : 'connecting';
}

/**
 * Calls `onEvent` with every valid message of the given types while the component is mounted; answers the
 * connection state for a "live" indicator. `types` is compared by value, so an inline array does not reconnect.
 */
export function useLiveEvents(
  types: readonly TLiveEventType[],
  onEvent: (message: TLiveEventMessage) => void,
  query: TStreamQuery = {},
): TLiveConnection {
  const [connection, setConnection] = useState<TLiveConnection>('connecting');
  const handle = useEffectEvent(onEvent);
  const url = liveStreamUrl(env.apiUrl, query);
  const typesKey = [...types].sort().join(',');

  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource(url, { withCredentials: true });
    const listeners = typesKey.split(',').map((type) => {
      const listener = (event: MessageEvent<string>) => {
        const message = parseLiveEventMessage(type as TLiveEventType, event.data);
        if (message !== null) handle(message);
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    source.onopen = () => setConnection('open');
    source.onerror = () => setConnection(connectionAfterError(source.readyState));
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.close();
    };
  }, [url, typesKey]);

  return connection;
}
