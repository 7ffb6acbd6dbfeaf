/**
 * The typed context variable that the middleware sets. Importing this package also
 * augments Hono's `ContextVariableMap` (as `hono/jwt` does), so `c.get('auth')` is typed
 * in every handler of the app, with or without the `AuthVariables` generic.
 */
import type { Principal } from '@auth/core';

/**
 * The variables `requireAuth`, `requireRole` and `requirePermission` set.
 * @example
 * ```ts
 * const app = new Hono<{ Variables: AuthVariables }>();
 * app.get('/me', requireAuth(auth), (c) => c.json({ id: c.var.auth.userId }));
 * ```
 */
export type AuthVariables = {
  /** The verified identity of the request's bearer token. */
  auth: Principal;
};

declare module 'hono' {
  interface ContextVariableMap extends AuthVariables {}
}
