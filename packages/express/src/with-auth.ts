/**
 * `withAuth`: a protected route as one handler instead of middleware + handler. Express
 * dispatches every handler of a route as its own layer (a `next` step, a promise check);
 * one handler skips that step. Same checks and answers as `requireAuth` / `requireRole` /
 * `requirePermission`.
 */
import type { Auth, Principal, Requirement } from '@auth/core';
import type { RequestHandler } from 'express';
import { principalOf } from './middleware.js';

/**
 * Wraps a route handler so that it runs only for an authenticated request, with its
 * principal in `req.auth` — `requireAuth(auth)` and the handler in one. With
 * `requirement`, the principal must also meet it (a role of `role`, every permission of
 * `permission`). Failures go to `next` as `AuthError`s, answered by `authErrorHandler`; in
 * browser mode a request without an `Authorization` header is authenticated by its session
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
  return (req, res, next) => {
    let principal: Principal | undefined = req.auth;
    if (!principal) {
      const authorization = req.headers.authorization;
      if (authorization || !auth.browserMode) {
        try {
          principal = auth.authenticateSync(authorization);
        } catch (error) {
          return next(error);
        }
      }
    }
    if (!principal) {
      principalOf(auth, req, res)
        .then((verified) => {
          if (requirement) auth.authorize(verified, requirement);
          req.auth = verified;
          return handler(req, res, next);
        })
        .then(undefined, next);
      return;
    }
    try {
      if (requirement) auth.authorize(principal, requirement);
    } catch (error) {
      return next(error);
    }
    req.auth = principal;
    return handler(req, res, next);
  };
}
