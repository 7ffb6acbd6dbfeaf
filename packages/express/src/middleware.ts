/**
 * Authentication and authorization middleware. The bearer hot path reads only the
 * `Authorization` header (no `Request` built, no body read, no storage touched); in browser
 * mode a request without one is authenticated by its session cookies. Each is `withAuth`
 * with a handler that passes on to the route's next one.
 */
import type { Auth } from '@auth/core';
import type { RequestHandler } from 'express';
import { withAuth } from './with-auth.js';

/**
 * Requires a valid bearer token — or, in browser mode, a valid session cookie — and sets
 * `req.auth`. Bearer tokens are verified with `auth.authenticate` (no body read, no storage
 * touched). In browser mode a request without a bearer `Authorization` header is authenticated by
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
  return withAuth(auth, passOn);
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
export function requireRole(auth: Auth, ...roles: [string, ...string[]]): RequestHandler {
  // No role would let everyone through (`requireRole(auth, ...[])` from an empty list).
  if (roles.length === 0) throw new Error('requireRole(auth, ...roles) needs at least one role');
  return withAuth(auth, passOn, { role: roles });
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
export function requirePermission(
  auth: Auth,
  ...permissions: [string, ...string[]]
): RequestHandler {
  if (permissions.length === 0) {
    throw new Error('requirePermission(auth, ...permissions) needs at least one permission');
  }
  return withAuth(auth, passOn, { permission: permissions });
}

/** The handler of the middleware forms: on to the route's next handler. */
const passOn: RequestHandler = (_req, _res, next) => next();
