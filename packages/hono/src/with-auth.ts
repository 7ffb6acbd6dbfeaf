/**
 * `withAuth`: a protected route as one handler instead of middleware + handler. Hono runs a
 * route of a single handler directly, while a chain goes through its `compose` (an async
 * dispatcher and a promise per step), which alone costs about a tenth of a small route's
 * throughput. Same checks and answers as `requireAuth` / `requireRole` / `requirePermission`.
 */
import type { Auth, Requirement } from '@auth/core';
import type { Context, Env, Handler, Next } from 'hono';
import { hotPrincipal, slowGuard } from './middleware.js';
import type { AuthVariables } from './variables.js';

/** A route handler that reads `c.var.auth`, beside the app's own bindings and variables. */
export type AuthHandler<E extends Env = Env> = Handler<E & { Variables: AuthVariables }>;

/**
 * Wraps a route handler so that it runs only for an authenticated request, with its
 * principal in `c.var.auth` — `requireAuth(auth)` and the handler in one, without Hono's
 * middleware chain. With `requirement`, the principal must also meet it (a role of
 * `role`, every permission of `permission`), as `requireRole` / `requirePermission` check.
 * Failures throw the same `HTTPException`s (answered by `onAuthError`); in browser mode a
 * request without a bearer `Authorization` header is authenticated by its session cookies.
 * @example
 * ```ts
 * app.get('/protected', withAuth(auth, (c) => c.json({ user: c.var.auth.userId })));
 * app.get('/admin', withAuth(auth, (c) => c.json({ ok: true }), { role: 'admin' }));
 * ```
 */
export function withAuth<E extends Env = Env>(
  auth: Auth,
  handler: AuthHandler<E>,
  requirement?: Requirement,
): Handler<E> {
  const slow = slowGuard(auth, requirement);
  // The guard sets `c.var.auth` before the handler runs: the handler's context type says so.
  const run = handler as unknown as (c: Context<E>, next: Next) => ReturnType<AuthHandler<E>>;
  const viaMiddleware = async (c: Context<E>, next: Next) => {
    // As Hono's compose does: the handler's response becomes `c.res`, so the cookies a
    // transparent refresh renewed are appended to it.
    await slow(c as unknown as Parameters<typeof slow>[0], async () => {
      const response = await run(c, next);
      if (response) c.res = response;
    });
    return c.res;
  };
  return (c, next) => (hotPrincipal(auth, c, requirement) ? run(c, next) : viaMiddleware(c, next));
}
