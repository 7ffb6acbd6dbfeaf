/** The sub-app that hands the auth routes and the JWKS route to the core's Fetch handler. */
import type { Auth } from '@auth/core';
import { type Context, Hono } from 'hono';
import { baseRoutePath } from 'hono/route';
import { socketAddress } from './client-address.js';

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions {
  /**
   * The client address that login throttling counts by. Default: the socket's remote
   * address (`@hono/node-server`, Bun, Deno), never a forwarded header. Override it only
   * behind a proxy you trust, e.g. `(c) => c.req.header('x-real-ip')`.
   */
  clientAddress?: (c: Context) => string | undefined;
}

/**
 * A Hono sub-app serving `POST /auth/register|login|token|refresh|logout`, `GET /auth/me`
 * and `GET /.well-known/jwks.json` through `auth.handler`; other requests fall through to
 * your routes. Mount it at the root: the core's paths already carry their prefix (move them
 * with the core's `basePath` and `jwksPath` options). Mounting it anywhere else, e.g.
 * `app.route('/auth', …)`, would hide the JWKS route, so every request reaching it then
 * fails with an error saying so.
 * @example
 * ```ts
 * app.route('/', authRoutes(auth));
 * ```
 */
export function authRoutes(auth: Auth, options: AuthRoutesOptions = {}): Hono {
  const clientAddress = options.clientAddress ?? socketAddress;
  const app = new Hono();
  app.all('*', (c, next) => {
    const mount = baseRoutePath(c);
    if (mount !== '/' && mount !== '') {
      throw new Error(
        `@auth/hono: mount authRoutes() with app.route('/', authRoutes(auth)), not at "${mount}": ` +
          `the core's routes already include their prefix (options basePath and jwksPath)`,
      );
    }
    if (!auth.handles(c.req.path)) return next();
    return auth.handler(c.req.raw, { clientAddress: clientAddress(c) });
  });
  return app;
}
