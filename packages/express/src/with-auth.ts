/**
 * `withAuth`: a protected route as one handler instead of middleware + handler. Express
 * dispatches every handler of a route as its own layer (a `next` step, a promise check);
 * one handler skips that step. Same checks and answers as `requireAuth` / `requireRole` /
 * `requirePermission`.
 */
import {
  type Auth,
  assertGuard,
  authorizationHeader,
  isBearerScheme,
  type Principal,
  type RequestFacts,
  type Requirement,
} from '@auth/core';
import type {
  Request as ExpressRequest,
  Response as ExpressResponse,
  RequestHandler,
} from 'express';

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The plain header strings `auth.authenticateRequest` reads. */
function requestFacts(req: ExpressRequest): RequestFacts {
  const body: unknown = req.body;
  const field =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>).csrf_token
      : undefined;
  return {
    method: req.method,
    authorization: authorizationHeader(req),
    cookie: req.headers.cookie,
    origin: req.headers.origin,
    secFetchSite: header(req.headers['sec-fetch-site']),
    // As Express sees it (X-Forwarded-Host only under `trust proxy`), like `authRouter`'s URL.
    host: req.host,
    csrfToken:
      header(req.headers['x-csrf-token']) ?? (typeof field === 'string' ? field : undefined),
  };
}

/**
 * The principal of a request: its bearer token (`auth.authenticate`, the hot path) or, in
 * browser mode and without a bearer `Authorization` header, its session cookies
 * (`auth.authenticateRequest`: CSRF checks on unsafe methods, transparent refresh). The
 * cookies a refresh renews are appended to the response, one `Set-Cookie` header each, with
 * `Cache-Control: no-store`.
 */
function principalOf(auth: Auth, req: ExpressRequest, res: ExpressResponse): Promise<Principal> {
  const authorization = authorizationHeader(req);
  if (!auth.browserMode || isBearerScheme(authorization)) return auth.authenticate(authorization);
  return auth.authenticateRequest(requestFacts(req)).then((result) => {
    for (const [name, value] of result.headers) res.append(name, value);
    return result.principal;
  });
}

/**
 * Wraps a route handler so that it runs only for an authenticated request, with its
 * principal in `req.auth` — `requireAuth(auth)` and the handler in one. With
 * `requirement`, the principal must also meet it (a role of `role`, every permission of
 * `permission`). Failures go to `next` as `AuthError`s, answered by `authErrorHandler`; in
 * browser mode a request without a bearer `Authorization` header is authenticated by its session
 * cookies. A handler's own returned promise is returned to Express as is.
 * @example
 * ```ts
 * app.get('/protected', withAuth(auth, (req, res) => res.json({ user: req.auth?.userId })));
 * app.get('/admin', withAuth(auth, (req, res) => res.json({ ok: true }), { role: 'admin' }));
 * ```
 */
export function withAuth(
  auth: Auth,
  handler: RequestHandler,
  requirement?: Requirement,
): RequestHandler {
  assertGuard(auth, requirement);
  return (req, res, next) => {
    let principal: Principal | undefined;
    try {
      // The principal of an earlier guard, if this same instance verified it.
      principal =
        (req.auth && auth.verified(req.auth) ? req.auth : undefined) ??
        auth.authenticateSync(authorizationHeader(req));
      if (principal && requirement) auth.authorize(principal, requirement);
    } catch (error) {
      return next(error);
    }
    if (principal) {
      req.auth = principal;
      return handler(req, res, next);
    }
    principalOf(auth, req, res)
      .then((verified) => {
        if (requirement) auth.authorize(verified, requirement);
        req.auth = verified;
        return handler(req, res, next);
      })
      .then(undefined, next);
  };
}
