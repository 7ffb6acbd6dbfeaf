/** Bearer authentication and authorization middleware: the hot path, no `Request` built. */
import type { Auth, Requirement } from '@auth/core';
import type { Request as ExpressRequest, RequestHandler } from 'express';

/**
 * Requires a valid bearer token: verifies the `Authorization` header with
 * `auth.authenticate` (no body read, no storage touched) and sets `req.auth`. A missing or
 * bad token is passed to `next` as an `AuthError`; mount {@link authErrorHandler} to answer it.
 * @example
 * ```ts
 * app.get('/me', requireAuth(auth), (req, res) => res.json({ id: req.auth?.userId }));
 * ```
 */
export function requireAuth(auth: Auth): RequestHandler {
  return (req, _res, next) => {
    auth.authenticate(req.headers.authorization).then((principal) => {
      req.auth = principal;
      next();
    }, next);
  };
}

/**
 * Requires a bearer token whose holder has one of `roles` (directly or inherited). Authenticates
 * first unless an earlier {@link requireAuth} set `req.auth`. Failures (`unauthorized`,
 * `invalid_token`, `insufficient_scope`) go to `next` as `AuthError`s.
 * @example
 * ```ts
 * app.get('/admin', requireRole(auth, 'admin'), handler);
 * ```
 */
export function requireRole(auth: Auth, ...roles: readonly string[]): RequestHandler {
  return guard(auth, { role: roles });
}

/**
 * Requires a bearer token whose roles grant every one of `permissions`. Authenticates first
 * unless an earlier {@link requireAuth} set `req.auth`.
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
