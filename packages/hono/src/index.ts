/**
 * `@auth/hono`: the Hono 4 adapter of `@auth/core`. A sub-app for the auth routes, typed
 * bearer/role/permission middleware, and an `onError` handler. Statuses, bodies and
 * challenges all come from the core.
 * @example
 * ```ts
 * const app = new Hono();
 * app.route('/', authRoutes(auth));
 * app.get('/protected', requireAuth(auth), (c) => c.json({ user: c.var.auth.userId }));
 * app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ ok: true }));
 * app.get('/fast', withAuth(auth, (c) => c.json({ user: c.var.auth.userId }))); // one handler
 * app.onError(onAuthError(auth));
 * // JSON 400 for requests @hono/node-server can't read (a malformed Host, say):
 * createServer(getRequestListener(app.fetch, { errorHandler: requestErrorHandler(auth) }));
 * ```
 * @packageDocumentation
 */
export { socketAddress } from './client-address.js';
export { authErrorOf, onAuthError } from './errors.js';
export { type AuthMiddleware, requireAuth, requirePermission, requireRole } from './middleware.js';
export { requestErrorHandler } from './request-errors.js';
export { type AuthRoutesOptions, authRoutes } from './routes.js';
export type { AuthVariables } from './variables.js';
export { type AuthHandler, withAuth } from './with-auth.js';
