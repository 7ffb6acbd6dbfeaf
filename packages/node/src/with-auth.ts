/**
 * `withAuth`: a protected `node:http` route in one call — authentication, the optional role
 * or permission check, and the core's error answer — with no promise on the hot path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Auth,
  assertGuard,
  authorizationHeader,
  type Principal,
  type Requirement,
} from '@auth/core';
import { authenticate } from './authenticate.js';
import { sendAuthError } from './response.js';

/** A route handler given the request's verified principal. */
export type AuthRouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  principal: Principal,
) => void | Promise<void>;

/**
 * Wraps a route handler so that it runs only for an authenticated request meeting
 * `requirement` (a role of `role`, every permission of `permission`); any other request is
 * answered with `sendAuthError` (401 with the challenge, 403 `insufficient_scope`, and in
 * browser mode a redirect to the login page for a browser's `GET`). A cached or
 * synchronously verified bearer token runs the handler at once, in the same tick; in
 * browser mode a request without a bearer `Authorization` header is authenticated by its session
 * cookies, renewed ones appended to `res`. The handler's own errors are not caught: they are
 * thrown, or reject the returned promise.
 * @example
 * ```ts
 * const admin = withAuth(auth, (req, res, principal) => {
 *   res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(principal));
 * }, { role: 'admin' });
 * createServer((req, res) => (req.url === '/admin' ? admin(req, res) : notFound(res)));
 * ```
 */
export function withAuth(
  auth: Auth,
  handler: AuthRouteHandler,
  requirement?: Requirement,
): (req: IncomingMessage, res: ServerResponse) => void | Promise<void> {
  assertGuard(auth, requirement);
  const authorized = (req: IncomingMessage, res: ServerResponse, principal: Principal) => {
    try {
      if (requirement) auth.authorize(principal, requirement);
    } catch (error) {
      return sendAuthError(res, error, auth, req);
    }
    return handler(req, res, principal);
  };
  return (req, res) => {
    let principal: Principal | undefined;
    try {
      principal = auth.authenticateSync(authorizationHeader(req));
    } catch (error) {
      return sendAuthError(res, error, auth, req);
    }
    if (principal) return authorized(req, res, principal);
    return authenticate(auth, req, res).then(
      (principal) => authorized(req, res, principal),
      (error: unknown) => sendAuthError(res, error, auth, req),
    );
  };
}
