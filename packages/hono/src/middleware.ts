/**
 * Bearer, role and permission middleware. The hot path: the `Authorization` header string
 * goes to `auth.authenticate` (parse + verify, or a cache hit), the principal goes to
 * `c.var.auth`. No `Request` is built, no body read, no storage touched.
 */
import type { Auth, Principal, Requirement } from '@auth/core';
import type { MiddlewareHandler } from 'hono';
import { toHTTPException } from './errors.js';
import type { AuthVariables } from './variables.js';

/** A middleware that sets `c.var.auth`. */
export type AuthMiddleware = MiddlewareHandler<{ Variables: AuthVariables }>;

function guard(auth: Auth, requirement?: Requirement): AuthMiddleware {
  return async (c, next) => {
    try {
      // Reuse the principal of an earlier requireAuth/requireRole on the same request.
      const principal: Principal | undefined =
        c.get('auth') ?? (await auth.authenticate(c.req.header('authorization')));
      if (requirement) auth.authorize(principal, requirement);
      c.set('auth', principal);
    } catch (error) {
      throw toHTTPException(error, auth.realm);
    }
    await next();
  };
}

/**
 * Requires a valid bearer access token and sets its principal as `c.var.auth`.
 * Failures throw an `HTTPException` carrying the core's 401 (see `onAuthError`).
 * @example
 * ```ts
 * app.get('/protected', requireAuth(auth), (c) => c.json({ user: c.var.auth.userId }));
 * ```
 */
export function requireAuth(auth: Auth): AuthMiddleware {
  return guard(auth);
}

/**
 * Requires a valid bearer token whose roles include one of `roles` (directly or inherited);
 * otherwise the core's 403 `insufficient_scope`. Authenticates unless an earlier
 * middleware already did.
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
 * Requires a valid bearer token whose roles grant every one of `permissions`; otherwise
 * the core's 403 `insufficient_scope`. Authenticates unless an earlier middleware already did.
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
