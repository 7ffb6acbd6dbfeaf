/** The sub-app that hands the auth routes and the JWKS route to the core's Fetch handler. */
import { type Auth, meantForAuth, pathsOutside } from '@auth/core';
import { type Context, Hono } from 'hono';
import { baseRoutePath } from 'hono/route';
import { socketAddress } from './client-address.js';
import { rebuiltRequest } from './request-body.js';

/** Options of {@link authRoutes}. */
export interface AuthRoutesOptions {
  /**
   * The client address that login throttling counts by. Default: the socket's remote
   * address (`@hono/node-server`, Bun, Deno), never a forwarded header. Behind proxies
   * you trust, pass `(c) => clientAddress({ remoteAddress: socketAddress(c), forwardedFor:
   * c.req.header('x-forwarded-for'), trustedProxies })` (`clientAddress` of `@auth/core`).
   */
  clientAddress?: (c: Context) => string | undefined;
}

/**
 * Throws unless every path the core serves lies under `mount` (an `app.route` prefix or the
 * app's `basePath`): requests outside it never reach the sub-app.
 */
function assertReachable(auth: Auth, mount: string): void {
  const hidden = pathsOutside(auth, mount);
  if (hidden.length === 0) return;
  throw new Error(
    `@auth/hono: authRoutes() is reached only under "${mount}", which hides ${hidden.join(', ')}. ` +
      `Mount it with app.route('/', authRoutes(auth)) on an app without basePath, or set the ` +
      `core's basePath and jwksPath (and the browser and docs paths) under "${mount}".`,
  );
}

/**
 * The prefix the sub-app is reached under, or `undefined` when this copy of Hono can't tell:
 * an app built with another copy (its ES module build where this is the CommonJS one, or
 * the reverse) keeps its match result under its own symbol. The mount check is then
 * skipped; the routes are served all the same.
 */
function mountOf(c: Context): string | undefined {
  try {
    return baseRoutePath(c);
  } catch {
    return undefined;
  }
}

/**
 * A Hono sub-app serving `POST /auth/register|login|token|refresh|logout`, `GET /auth/me`
 * and `GET /.well-known/jwks.json` through `auth.handler`; other requests fall through to
 * your routes. Mount it at the root: the core's paths already carry their prefix (move them
 * with the core's `basePath` and `jwksPath` options). Reached only under a prefix (an
 * `app.route('/auth', …)` mount, or an app with `basePath('/api')`), it must find every
 * core path under that prefix: otherwise some would be hidden (the JWKS route, say), and
 * every request meant for the auth routes fails with an error naming them (the app's own
 * routes under the prefix are served as usual). A middleware before it may read the body
 * through `c.req` (`json()`, `parseBody()`, a validator): the core then gets the copy Hono
 * keeps.
 * @example
 * ```ts
 * app.route('/', authRoutes(auth));
 * ```
 */
export function authRoutes(auth: Auth, options: AuthRoutesOptions = {}): Hono {
  const clientAddress = options.clientAddress ?? socketAddress;
  const app = new Hono();
  // Mount paths already checked: every route of the core must be reachable under them.
  const checked = new Set<string>(['', '/']);
  app.all('*', (c, next) => {
    const mount = mountOf(c);
    if (mount !== undefined && !checked.has(mount)) {
      if (!meantForAuth(auth, c.req.path, mount)) return next();
      assertReachable(auth, mount);
      checked.add(mount);
    }
    if (!auth.handles(c.req.path)) return next();
    const options = { clientAddress: clientAddress(c) };
    // A body a middleware already read through `c.req` comes from Hono's copy.
    return c.req.raw.bodyUsed
      ? rebuiltRequest(c).then((request) => auth.handler(request, options))
      : auth.handler(c.req.raw, options);
  });
  return app;
}
