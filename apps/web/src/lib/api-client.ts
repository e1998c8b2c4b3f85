// The one way the SPA talks to the Takt API: JSON in and out, the CSRF double-submit header on every write,
// If-Match with the displayed version on writes that ask for it,
// responses checked against the zod contract, and every failure turned into a typed ApiError built from the
// API's RFC 9457 problem+json (or from whatever a proxy in between answered instead).
import { CSRF_COOKIE, CSRF_HEADER, ZProblem, type TFieldError, type TProblem } from '@takt/contracts';
import type { z } from 'zod';
import { env } from '../config/env.ts';

/**
 * A failed API call. `message` is the problem's `detail`, else its `title`: the server's words when it answered
 * problem+json (`isFromServer`), else this client's English fallback, which the UI replaces with the user's
 * language (lib/i18n's errorText).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: readonly TFieldError[];
  readonly requestId: string | undefined;
  /** The problem came from the Takt API itself, not from this client (network failure, a proxy's HTML page). */
  readonly isFromServer: boolean;

  constructor(problem: TProblem, options: { cause?: unknown; isFromServer?: boolean } = {}) {
    super(problem.detail ?? problem.title, { cause: options.cause });
    this.isFromServer = options.isFromServer ?? true;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /**
   * Field messages keyed by the last segment of their path (`body.username` → `username`), so a form can
   * show each next to its input. The first message per field wins, like the form's own validation.
   */
  fieldMessages(): Record<string, string> {
    const messages: Record<string, string> = {};
    for (const { path, message } of this.fieldErrors) {
      const field = path.split('.').at(-1) ?? path;
      messages[field] ??= message;
    }
    return messages;
  }
}

/** The problem details the server wrote in a failed response, or null when the body is not problem+json. */
export function serverProblemOf(status: number, contentType: string | null, bodyText: string): TProblem | null {
  if (contentType === null || !/[/+]json\b/i.test(contentType) || bodyText.trim() === '') return null;
  try {
    const parsed = ZProblem.safeParse(JSON.parse(bodyText));
    // The status line is the truth; a body that disagrees with it was written by something else.
    return parsed.success ? { ...parsed.data, status } : null;
  } catch {
    return null;
  }
}

/**
 * The problem of a failed response whose body is not problem+json (an HTML page from a reverse proxy, an empty
 * 502), so that callers only ever deal with one error shape. Its English words are for logs; the UI says it in
 * the user's language from the status (lib/i18n's errorText).
 */
function fallbackProblemOf(status: number): TProblem {
  return {
    type: 'about:blank',
    title: status >= 500 ? 'The Takt server failed to answer' : 'The request failed',
    status,
    detail: `The server answered HTTP ${status}.`,
  };
}

/** The value of cookie `name` in a `document.cookie`-style string, or undefined. */
export function readCookie(cookieString: string, name: string): string | undefined {
  for (const part of cookieString.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    const raw = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

type THttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type TRequestOptions = {
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses whose body is still a regular response, e.g. 503 from GET /health when degraded. */
  okStatuses?: readonly number[];
  /**
   * The version of the resource as displayed, sent as `If-Match: "<version>"` (the API's ETag), so that a write
   * to something changed in the meantime fails with 412 instead of overwriting the other change.
   */
  ifMatchVersion?: number | undefined;
};

export type TApiClientOptions = {
  baseUrl: string;
  fetchFn?: typeof fetch;
  /** The CSRF token to echo on writes; the browser client reads it from the `takt_csrf` cookie. */
  getCsrfToken?: () => string | undefined;
};

export type TApiClient = ReturnType<typeof createApiClient>;

export function createApiClient({ baseUrl, fetchFn = (...args) => fetch(...args), getCsrfToken }: TApiClientOptions) {
  async function request<T>(
    method: THttpMethod,
    path: string,
    body: unknown,
    schema: z.ZodType<T> | undefined,
    options: TRequestOptions = {},
  ): Promise<T> {
    const headers = new Headers({ accept: 'application/json, application/problem+json' });
    if (body !== undefined) headers.set('content-type', 'application/json');
    if (method !== 'GET') {
      const csrfToken = getCsrfToken?.();
      if (csrfToken !== undefined) headers.set(CSRF_HEADER, csrfToken);
    }
    if (options.ifMatchVersion !== undefined) headers.set('if-match', `"${options.ifMatchVersion}"`);

    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'same-origin',
        signal: options.signal ?? null,
      });
    } catch (error) {
      // An abort is the caller's own decision (TanStack Query cancelling a query), not a failure to report.
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(
        {
          type: 'about:blank',
          title: 'Cannot reach the Takt server',
          status: 0,
          detail: 'Cannot reach the Takt server. Check the network connection and try again.',
        },
        { cause: error, isFromServer: false },
      );
    }

    const bodyText = await response.text();
    const isOk = response.ok || (options.okStatuses?.includes(response.status) ?? false);
    if (!isOk) {
      const problem = serverProblemOf(response.status, response.headers.get('content-type'), bodyText);
      throw new ApiError(problem ?? fallbackProblemOf(response.status), { isFromServer: problem !== null });
    }
    if (schema === undefined) return undefined as T;

    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch (error) {
      throw new Error(`${method} ${path} answered HTTP ${response.status} with a body that is not JSON`, {
        cause: error,
      });
    }
    const parsed = schema.safeParse(json);
    // A response that breaks the shared contract means the API and the SPA were built from different
    // versions; say so instead of rendering half-valid data.
    if (!parsed.success)
      throw new Error(`${method} ${path} answered with data that does not match the contract`, { cause: parsed.error });
    return parsed.data;
  }

  return {
    get: <T>(path: string, schema: z.ZodType<T>, options?: TRequestOptions) =>
      request('GET', path, undefined, schema, options),
    post: <T = undefined>(path: string, body?: unknown, schema?: z.ZodType<T>, options?: TRequestOptions) =>
      request('POST', path, body, schema, options),
    put: <T = undefined>(path: string, body?: unknown, schema?: z.ZodType<T>, options?: TRequestOptions) =>
      request('PUT', path, body, schema, options),
    patch: <T = undefined>(path: string, body?: unknown, schema?: z.ZodType<T>, options?: TRequestOptions) =>
      request('PATCH', path, body, schema, options),
    delete: <T = undefined>(path: string, schema?: z.ZodType<T>, options?: TRequestOptions) =>
      request('DELETE', path, undefined, schema, options),
  };
}

/** The browser's client: same-origin API under `env.apiUrl`, CSRF token from the readable cookie. */
export const api = createApiClient({
  baseUrl: env.apiUrl,
  getCsrfToken: () => (typeof document === 'undefined' ? undefined : readCookie(document.cookie, CSRF_COOKIE)),
});
