/**
 * `@auth/express`: Express 5 adapter for `@auth/core`. {@link authRouter} serves the auth
 * routes, {@link requireAuth}, {@link requireRole} and {@link requirePermission} guard your
 * routes and set `req.auth` ({@link withAuth}: the same as one route handler),
 * {@link authErrorHandler} answers their errors.
 * @packageDocumentation
 */
import './augment.js';

export { authErrorHandler } from './error-handler.js';
export { requireAuth, requirePermission, requireRole } from './middleware.js';
export { type AuthRouterOptions, authRouter } from './router.js';
export { withAuth } from './with-auth.js';
