/**
 * Authentication and authorization middleware. The bearer hot path reads only the
 * `Authorization` header (no `Request` built, no body read, no storage touched); in browser
 * mode a request without one is authenticated by its session cookies.
 */
import type { Auth, Principal, RequestFacts, Requirement } from '@auth/core';
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
    authorization: req.headers.authorization,
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
 * browser mode and without an `Authorization` header, its session cookies
 * (`auth.authenticateRequest`: CSRF checks on unsafe methods, transparent refresh). The
 * cookies a refresh renews are appended to the response, one `Set-Cookie` header each.
 */
export function principalOf(
  auth: Auth,
  req: ExpressRequest,
  res: ExpressResponse,
): Promise<Principal> {
  const authorization = req.headers.authorization;
  if (authorization || !auth.browserMode) return auth.authenticate(authorization);
  return auth.authenticateRequest(requestFacts(req)).then((result) => {
    for (const cookie of result.setCookie) res.append('Set-Cookie', cookie);
    return result.principal;
  });
}

/**
 * Requires a valid bearer token — or, in browser mode, a valid session cookie — and sets
 * `req.auth`. Bearer tokens are verified with `auth.authenticate` (no body read, no storage
 * touched). In browser mode a request without an `Authorization` header is authenticated by
 * its cookies: a state-changing one must come from this origin and carry the CSRF token
 * (`X-CSRF-Token`, or a parsed form's `csrf_token`), and an expired access cookie is renewed
 * through the refresh cookie (the new cookies are set on the response). A failure is passed
 * to `next` as an `AuthError`; mount {@link authErrorHandler} to answer it.
 * @example
 * ```ts
 * app.get('/me', requireAuth(auth), (req, res) => res.json({ id: req.auth?.userId }));
 * ```
 */
export function requireAuth(auth: Auth): RequestHandler {
  return (req, res, next) => {
    const authorization = req.headers.authorization;
    if (authorization || !auth.browserMode) {
      // The hot path: a cached or synchronously verified token needs no promise.
      let principal: Principal | undefined;
      try {
        principal = auth.authenticateSync(authorization);
      } catch (error) {
        return next(error);
      }
      if (principal) {
        req.auth = principal;
        return next();
      }
    }
    principalOf(auth, req, res).then((principal) => {
      req.auth = principal;
      next();
    }, next);
  };
}

/**
 * Requires a bearer token (or, in browser mode, a session cookie) whose holder has one of
 * `roles` (directly or inherited). Authenticates first unless an earlier {@link requireAuth}
 * set `req.auth`. Failures (`unauthorized`, `invalid_token`, `insufficient_scope`,
 * `forbidden`) go to `next` as `AuthError`s.
 * @example
 * ```ts
 * app.get('/admin', requireRole(auth, 'admin'), handler);
 * ```
 */
export function requireRole(auth: Auth, ...roles: readonly string[]): RequestHandler {
  return guard(auth, { role: roles });
}

/**
 * Requires a bearer token (or, in browser mode, a session cookie) whose roles grant every
 * one of `permissions`. Authenticates first unless an earlier {@link requireAuth} set
 * `req.auth`.
 * @example
 * ```ts
 * app.delete('/posts/:id', requirePermission(auth, 'posts:delete'), handler);
 * ```
 */
export function requirePermission(auth: Auth, ...permissions: readonly string[]): RequestHandler {
  return guard(auth, { permission: permissions });
}

function guard(auth: Auth, requirement: Requirement): RequestHandler {
  const check = (req: ExpressRequest, next: (error?: unknown) => void) => {
    try {
      auth.authorize(req.auth!, requirement);
      next();
    } catch (error) {
      next(error);
    }
  };
  const authenticate = requireAuth(auth);
  return (req, res, next) => {
    if (req.auth) return check(req, next);
    authenticate(req, res, (error?: unknown) => (error ? next(error) : check(req, next)));
  };
}
