// Declarative routes: every route states who may call it (`access`), the zod schemas of its params, query, body
// and response, and for versioned resources its precondition (If-Match) and ETag. One mechanism mounts them,
// authorises, validates, writes the parsed values, the If-Match version and the change context (who, which request)
// into the handler's context, and sends the answer with its ETag; the same definitions feed the OpenAPI document.
import type { NextFunction, Request, Response, Router } from 'express';
import { type z } from 'zod';
import { hasRole, type TRole } from '@takt/contracts';
import { AppError } from './app-error.ts';
import { etagOf, parseIfMatch, type Versioned } from './precondition.ts';
import { PreparedJson } from './prepared-json.ts';
import { userActor, type ChangeContext } from '../audit/audit.service.ts';
import type { AuthContext } from '../auth/auth-context.ts';
import type { IngestTokenContext } from '../ingest/ingest-token.middleware.ts';
import { assertCsrf } from '../auth/csrf.ts';

/**
 * `public`: anyone; a role: a signed-in user with at least that role; `INGEST`: an ingest API token
 * (machine-to-machine, never a user session).
 */
export type Access = 'public' | TRole | 'INGEST';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type RouteSchemas = {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
};

/** `if-match`: the handler gets the version an If-Match header names (RFC 9110 §13.1.1), or undefined without one. */
export type Precondition = 'if-match';
/** `version`: the handler answers `Versioned`; its version goes out as the strong ETag, its item as the body. */
export type EtagSource = 'version';

type Parsed<S extends RouteSchemas, K extends keyof RouteSchemas> = S[K] extends z.ZodType ? z.output<S[K]> : undefined;

export type RouteContext<
  S extends RouteSchemas,
  A extends Access = Access,
  P extends Precondition | undefined = Precondition | undefined,
> = {
  params: Parsed<S, 'params'>;
  query: Parsed<S, 'query'>;
  body: Parsed<S, 'body'>;
  /** The signed-in caller; never null on a route that needs a role. */
  auth: A extends TRole ? AuthContext : AuthContext | null;
  /** The ingest token; never null on an INGEST route. */
  ingestToken: A extends 'INGEST' ? IngestTokenContext : IngestTokenContext | null;
  /** Who changes what through this request (the signed-in user, the request id): on routes that need a role. */
  change: A extends TRole ? ChangeContext : null;
  /** The If-Match version on a route with `precondition: 'if-match'`; undefined when the client sent none. */
  expectedVersion: P extends Precondition ? number | undefined : undefined;
  req: Request;
  res: Response;
};

type Answer<S extends RouteSchemas, E extends EtagSource | undefined> = E extends EtagSource
  ? Versioned<Parsed<S, 'response'>>
  : Parsed<S, 'response'> | PreparedJson<Parsed<S, 'response'>>;

export type RouteDefinition<
  S extends RouteSchemas = RouteSchemas,
  A extends Access = Access,
  P extends Precondition | undefined = Precondition | undefined,
  E extends EtagSource | undefined = EtagSource | undefined,
> = {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/auth/login`. */
  path: string;
  access: A;
  summary: string;
  tags: string[];
  schemas: S;
  /**
   * Non-JSON bodies, for the OpenAPI document only: the handler reads or writes them itself (e.g. CSV
   * import/export), the mechanism still authorises and validates params and query.
   */
  media?: { requestBody?: 'text/csv'; response?: 'text/csv' };
  /** Status of a successful answer; 204 sends no body. */
  successStatus?: 200 | 201 | 202 | 204;
  precondition?: P;
  etag?: E;
  /**
   * The response value, or the same already serialised (PreparedJson) when many requests share it; with
   * `etag: 'version'`, the value with its version.
   */
  handler(context: RouteContext<S, A, P>): Promise<Answer<S, E>>;
};

/** Identity function that gives a route definition its types; the result joins a route list. */
export function defineRoute<
  S extends RouteSchemas,
  A extends Access,
  P extends Precondition | undefined = undefined,
  E extends EtagSource | undefined = undefined,
>(definition: RouteDefinition<S, A, P, E>): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

function fieldErrors(location: string, error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: [location, ...issue.path].join('.'), message: issue.message }));
}

function parsePart(location: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new AppError('BAD_REQUEST', 'Invalid request', {
      detail: `The request ${location} is not valid.`,
      errors: fieldErrors(location, result.error),
    });
  }
  return result.data;
}

function authorise(access: Access, auth: AuthContext | null, ingestToken: IngestTokenContext | null): void {
  if (access === 'public') return;
  if (access === 'INGEST') {
    if (ingestToken === null) {
      throw new AppError('UNAUTHENTICATED', 'Ingest token required', {
        detail: 'Send a valid, unrevoked ingest API token as `Authorization: Bearer takt_ing_…`.',
      });
    }
    return;
  }
  if (auth === null)
    throw new AppError('UNAUTHENTICATED', 'Not signed in', { detail: 'Sign in to use this resource.' });
  if (!hasRole(auth.user.role, access)) {
    throw new AppError('FORBIDDEN', 'Forbidden', { detail: `This action needs the ${access} role.` });
  }
}

const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['get']);

function changeContextOf(auth: AuthContext, requestId: string): ChangeContext {
  return { actor: userActor(auth), requestId };
}

/** Mounts the routes on `router`: authorise → CSRF → validate → handler → JSON response. */
export function mountRoutes(router: Router, routes: readonly RouteDefinition[]): void {
  // Literal paths before parameterised ones, so `/machines/status` is never taken for `/machines/:id`.
  const paramCount = (route: RouteDefinition): number => route.path.split('/').filter((p) => p.startsWith(':')).length;
  const ordered = [...routes].sort((a, b) => paramCount(a) - paramCount(b));
  for (const route of ordered) {
    router[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const auth = res.locals.auth ?? null;
        const ingestToken = res.locals.ingestToken ?? null;
        authorise(route.access, auth, ingestToken);
        // Writes on behalf of a session need its CSRF token; public and token routes act for no session.
        const isSessionRoute = route.access !== 'public' && route.access !== 'INGEST';
        if (isSessionRoute && auth !== null && !SAFE_METHODS.has(route.method)) assertCsrf(req, auth);
        if (
          route.schemas.body !== undefined &&
          req.method !== 'GET' &&
          !req.is('application/json') &&
          req.body === undefined
        ) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', {
            detail: 'Send the request body as application/json.',
          });
        }
        const context = {
          params: parsePart('params', route.schemas.params, req.params),
          query: parsePart('query', route.schemas.query, req.query),
          body: parsePart('body', route.schemas.body, req.body),
          auth,
          ingestToken,
          change: isSessionRoute && auth !== null ? changeContextOf(auth, res.locals.requestId) : null,
          expectedVersion: route.precondition === 'if-match' ? parseIfMatch(req.get('if-match')) : undefined,
          req,
          res,
        } as RouteContext<RouteSchemas>;
        // authorise() above guarantees the `auth` and `change` promised by RouteContext for this route's access.
        const answer = await route.handler(context);
        if (res.headersSent) return;
        let result: unknown = answer;
        if (route.etag === 'version') {
          const { item, version } = answer as Versioned<unknown>;
          if (version !== null) res.setHeader('ETag', etagOf(version));
          result = item;
        }
        const status = route.successStatus ?? 200;
        if (status === 204) res.status(204).end();
        else if (result instanceof PreparedJson) {
          // res.send answers 304 when the request's If-None-Match matches the ETag.
          res.status(status).type('json').set('ETag', result.etag).send(result.body);
        } else res.status(status).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
}
