// The api-client's contract with the API: problem+json becomes a typed ApiError, writes carry the CSRF
// token, responses are checked against the zod contract.
import { CSRF_HEADER, ZSessionResponse } from '@takt/contracts';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, readCookie, serverProblemOf } from './api-client.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const sessionBody = {
  user: { id: '5f0c3b8e-6a43-4a55-9d1e-3f8f5f1b2a10', username: 'admin', displayName: 'Ada Admin', role: 'ADMIN' },
};

function jsonResponse(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': contentType },
  });
}

describe('serverProblemOf', () => {
  it('reads RFC 9457 problem details, including field errors', () => {
    const body = {
      type: 'https://takt.dev/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The request body is not valid.',
      requestId: 'req-7',
      errors: [{ path: 'body.username', message: 'Username is required' }],
    };
    expect(serverProblemOf(400, PROBLEM_JSON, JSON.stringify(body))).toEqual(body);
  });

  it('trusts the status line over a status in the body', () => {
    const body = { type: 'about:blank', title: 'Unauthorized', status: 400 };
    expect(serverProblemOf(401, PROBLEM_JSON, JSON.stringify(body))?.status).toBe(401);
  });

  it.each([
    ['an HTML page from a proxy', 'text/html', '<html><body>Bad Gateway</body></html>', 502],
    ['an empty body', null, '', 503],
    ['JSON that is not a problem', 'application/json', '{"message":"nope"}', 500],
    ['broken JSON', PROBLEM_JSON, '{"title":', 500],
  ])(
    'finds none in %s, and the client still throws one ApiError shape',
    async (_case, contentType, bodyText, status) => {
      expect(serverProblemOf(status, contentType, bodyText)).toBeNull();
      const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
      const client = createApiClient({
        baseUrl: '/api/v1',
        fetchFn: async () => new Response(bodyText, { status, headers }),
      });
      const error = await client.get('/health', ZSessionResponse).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, type: 'about:blank', isFromServer: false });
      expect((error as ApiError).title.length).toBeGreaterThan(0);
      expect((error as ApiError).detail).toContain(String(status));
    },
  );
});

describe('ApiError', () => {
  it('shows the detail when there is one, the title otherwise', () => {
    expect(
      new ApiError({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid username or password' })
        .message,
    ).toBe('Invalid username or password');
    expect(new ApiError({ type: 'about:blank', title: 'Unauthorized', status: 401 }).message).toBe('Unauthorized');
  });

  it('keys field messages by the last path segment, first message per field', () => {
    const error = new ApiError({
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      errors: [
        { path: 'body.username', message: 'Username is required' },
        { path: 'body.username', message: 'Too short' },
        { path: 'body.password', message: 'Password is required' },
      ],
    });
    expect(error.fieldMessages()).toEqual({ username: 'Username is required', password: 'Password is required' });
  });
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('theme=dark; takt_csrf=abc%3D%3D; other=1', 'takt_csrf')).toBe('abc==');
  });

  it('does not match a cookie whose name only ends with the wanted one', () => {
    expect(readCookie('x_takt_csrf=nope', 'takt_csrf')).toBeUndefined();
    expect(readCookie('', 'takt_csrf')).toBeUndefined();
  });
});

describe('createApiClient', () => {
  it('sends JSON writes with the CSRF token and parses the response with the contract', async () => {
    const fetchFn = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(200, sessionBody));
    const client = createApiClient({ baseUrl: '/api/v1', fetchFn, getCsrfToken: () => 'token-1' });

    const session = await client.post('/auth/login', { username: 'admin', password: 'takt-admin' }, ZSessionResponse);

    expect(session.user.displayName).toBe('Ada Admin');
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/auth/login');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"username":"admin","password":"takt-admin"}');
    const headers = new Headers(init?.headers);
    expect(headers.get(CSRF_HEADER)).toBe('token-1');
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('does not send the CSRF token on reads', async () => {
    const fetchFn = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(200, sessionBody));
    const client = createApiClient({ baseUrl: '/api/v1', fetchFn, getCsrfToken: () => 'token-1' });
    await client.get('/auth/me', ZSessionResponse);
    expect(new Headers(fetchFn.mock.calls[0]?.[1]?.headers).has(CSRF_HEADER)).toBe(false);
  });

  it('sends If-Match with the displayed version as a strong ETag, only when asked to', async () => {
    const fetchFn = vi.fn<typeof fetch>().mockImplementation(async () => jsonResponse(200, sessionBody));
    const client = createApiClient({ baseUrl: '/api/v1', fetchFn });
    await client.post('/work-orders/1/start', {}, ZSessionResponse, { ifMatchVersion: 7 });
    await client.post('/work-orders/1/start', {}, ZSessionResponse);
    await client.delete('/work-orders/1', undefined, { ifMatchVersion: 0 });
    const ifMatchOf = (call: number) => new Headers(fetchFn.mock.calls[call]?.[1]?.headers).get('if-match');
    expect(ifMatchOf(0)).toBe('"7"');
    expect(ifMatchOf(1)).toBeNull();
    expect(ifMatchOf(2)).toBe('"0"');
  });

  it('hands a 412 of a stale If-Match to the caller as an ApiError', async () => {
    const problem = {
      type: 'https://takt.dev/problems/precondition-failed',
      title: 'Changed by someone else',
      status: 412,
      detail: 'The work order is at version 5, not 4: reload it and apply your change again.',
    };
    const client = createApiClient({
      baseUrl: '/api/v1',
      fetchFn: async () => jsonResponse(412, problem, PROBLEM_JSON),
    });
    const error = await client
      .post('/work-orders/1/pause', {}, ZSessionResponse, { ifMatchVersion: 4 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 412, title: 'Changed by someone else' });
  });

  it('resolves a 204 to undefined', async () => {
    const client = createApiClient({ baseUrl: '/api/v1', fetchFn: async () => new Response(null, { status: 204 }) });
    await expect(client.post('/auth/logout')).resolves.toBeUndefined();
  });

  it('throws an ApiError carrying the problem of a 401', async () => {
    const problem = { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid username or password' };
    const client = createApiClient({
      baseUrl: '/api/v1',
      fetchFn: async () => jsonResponse(401, problem, PROBLEM_JSON),
    });
    const error = await client
      .post('/auth/login', { username: 'admin', password: 'wrong' }, ZSessionResponse)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, title: 'Unauthorized', message: 'Invalid username or password' });
  });

  it('accepts a listed non-2xx status as a regular response', async () => {
    const client = createApiClient({ baseUrl: '/api/v1', fetchFn: async () => jsonResponse(503, sessionBody) });
    await expect(client.get('/auth/me', ZSessionResponse, { okStatuses: [503] })).resolves.toEqual(sessionBody);
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    const client = createApiClient({
      baseUrl: '/api/v1',
      fetchFn: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await client.get('/health', ZSessionResponse).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isNetworkError).toBe(true);
  });

  it('rejects a response that breaks the contract instead of rendering it', async () => {
    const client = createApiClient({
      baseUrl: '/api/v1',
      fetchFn: async () => jsonResponse(200, { user: { id: 'not-a-uuid' } }),
    });
    await expect(client.get('/auth/me', ZSessionResponse)).rejects.toThrow(/does not match the contract/);
  });
});
