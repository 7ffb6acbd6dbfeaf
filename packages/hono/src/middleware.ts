/**
 * Bearer, role and permission middleware. The hot path: the `Authorization` header string
 * goes to `auth.authenticate` (parse + verify, or a cache hit), the principal goes to
 * `c.var.auth`. No `Request` is built, no body read, no storage touched. In browser mode a
 * request without a bearer `Authorization` header is authenticated by its session cookies.
 */
import {
  type Auth,
  type AuthorizationFacts,
  assertGuard,
  isBearerScheme,
  authorizationHeader as nodeAuthorization,
  type Principal,
  type RequestAuthentication,
  type RequestFacts,
  type Requirement,
} from '@auth/core';
import type { Context, MiddlewareHandler } from 'hono';
import { toHTTPException } from './errors.js';
import type { AuthVariables } from './variables.js';

/** A middleware that sets `c.var.auth`. */
export type AuthMiddleware = MiddlewareHandler<{ Variables: AuthVariables }>;

/** The plain header strings `auth.authenticateRequest` reads. */
function requestFacts(c: Context): RequestFacts {
  return {
    method: c.req.method,
    authorization: c.req.header('authorization'),
    cookie: c.req.header('cookie'),
    origin: c.req.header('origin'),
    secFetchSite: c.req.header('sec-fetch-site'),
    host: new URL(c.req.url).host,
    csrfToken: c.req.header('x-csrf-token'),
  };
}

/**
 * The `Authorization` header (internal to the package). Under @hono/node-server it is read
 * from the Node request (`c.env.incoming`): `c.req.header()` first builds a Fetch `Headers`
 * of all the request's headers, which costs more than verifying a cached token. Repeated
 * `Authorization` headers are joined as `Headers` joins them (and so refused), as @auth/node
 * and @auth/express see them.
 */
export function authorizationHeader(c: Context): string | undefined {
  const env = c.env as { incoming?: AuthorizationFacts } | undefined;
  const incoming = env?.incoming;
  return incoming?.headers ? nodeAuthorization(incoming) : c.req.header('authorization');
}

/**
 * The principal an earlier guard of this same instance set on `c`; one set by another
 * instance (another issuer, other keys) does not count.
 */
function earlier(auth: Auth, c: Context): Principal | undefined {
  const principal: Principal | undefined = c.get('auth');
  return principal && auth.verified(principal) ? principal : undefined;
}

/**
 * The hot path shared by the middleware and `withAuth` (internal to the package): the
 * principal of an earlier guard, or of a bearer token that is cached or verifies
 * synchronously, checked against `requirement` and set as `c.var.auth`. `undefined` when
 * only the async path can decide (see `slowGuard`); failures throw the `HTTPException`.
 */
export function hotPrincipal(
  auth: Auth,
  c: Context,
  requirement: Requirement | undefined,
): Principal | undefined {
  try {
    const principal = earlier(auth, c) ?? auth.authenticateSync(authorizationHeader(c));
    if (!principal) return undefined;
    if (requirement) auth.authorize(principal, requirement);
    c.set('auth', principal);
    return principal;
  } catch (error) {
    throw toHTTPException(error, auth, c, []);
  }
}

function guard(auth: Auth, requirement?: Requirement): AuthMiddleware {
  const slow = slowGuard(auth, requirement);
  // Not an async function: the hot path costs no promise of its own.
  return (c, next) => (hotPrincipal(auth, c, requirement) ? next() : slow(c, next));
}

/** Every case: the async bearer verify, and in browser mode the session cookies. */
export function slowGuard(auth: Auth, requirement?: Requirement): AuthMiddleware {
  assertGuard(auth, requirement);
  return async (c, next) => {
    // What a transparent refresh renewed: the response must carry its cookies, error or not.
    let renewed: RequestAuthentication | undefined;
    try {
      // Reuse the principal of an earlier requireAuth/requireRole on the same request.
      let principal: Principal | undefined = earlier(auth, c);
      if (!principal) {
        const authorization = authorizationHeader(c);
        if (!auth.browserMode || isBearerScheme(authorization)) {
          principal = await auth.authenticate(authorization);
        } else {
          renewed = await auth.authenticateRequest(requestFacts(c));
          principal = renewed.principal;
        }
      }
      if (requirement) auth.authorize(principal, requirement);
      c.set('auth', principal);
    } catch (error) {
      throw toHTTPException(error, auth, c, renewed?.setCookie);
    }
    await next();
    for (const [name, value] of renewed?.headers ?? []) c.header(name, value, { append: true });
  };
}

/**
 * Requires a valid bearer access token — or, in browser mode, a valid session cookie — and
 * sets its principal as `c.var.auth`. In browser mode a request without a bearer `Authorization`
 * header is authenticated by its cookies: a state-changing one must come from this origin
 * and carry the CSRF token in `X-CSRF-Token`, and an expired access cookie is renewed
 * through the refresh cookie (the new cookies are appended to the response). Failures throw
 * an `HTTPException` carrying the core's answer (see `onAuthError`): a 401 for API clients,
 * a redirect to the login page for a browser's `GET`.
 * @example
 * ```ts
 * app.get('/protected', requireAuth(auth), (c) => c.json({ user: c.var.auth.userId }));
 * ```
 */
export function requireAuth(auth: Auth): AuthMiddleware {
  return guard(auth);
}

/**
 * Requires a valid bearer token (or, in browser mode, session cookie) whose roles include
 * one of `roles` (directly or inherited); otherwise the core's 403 `insufficient_scope`.
 * Authenticates unless an earlier middleware already did.
 * @throws Error when no role is given
 * @example
 * ```ts
 * app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ ok: true }));
 * ```
 */
export function requireRole(auth: Auth, ...roles: [string, ...string[]]): AuthMiddleware {
  if (roles.length === 0) throw new Error('requireRole(auth, ...roles) needs at least one role');
  return guard(auth, { role: roles });
}

/**
 * Requires a valid bearer token (or, in browser mode, session cookie) whose roles grant
 * every one of `permissions`; otherwise the core's 403 `insufficient_scope`. Authenticates
 * unless an earlier middleware already did.
 * @throws Error when no permission is given
 * @example
 * ```ts
 * app.delete('/users/:id', requirePermission(auth, 'users:write'), handler);
 * ```
 */
export function requirePermission(
  auth: Auth,
  ...permissions: [string, ...string[]]
): AuthMiddleware {
  if (permissions.length === 0) {
    throw new Error('requirePermission(auth, ...permissions) needs at least one permission');
  }
  return guard(auth, { permission: permissions });
}
