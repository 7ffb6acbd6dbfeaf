/** `authRouter`: serves the core's auth routes and JWKS route inside an Express app. */
import { type Auth, meantForAuth, pathsOutside } from '@auth/core';
import { type Request as ExpressRequest, Router } from 'express';
import { bodySpent, requestUrl, SPENT_BODY, toFetchRequest } from './request.js';
import { sendResponse } from './response.js';

/** Options of {@link authRouter}. */
export interface AuthRouterOptions {
  /**
   * The client's address, used to throttle failed logins per client. Default: the socket's
   * remote address, never a forwarded header. Override it only behind a proxy you trust,
   * e.g. `(req) => req.ip` with Express's `trust proxy` set.
   */
  clientAddress?: (req: ExpressRequest) => string | undefined;
}

/**
 * The error of a mount under `mount` (`app.use(mount, authRouter(auth))`) that hides some
 * of the core's paths: only requests under it reach the router.
 */
function hiddenUnder(auth: Auth, mount: string): Error | undefined {
  const hidden = pathsOutside(auth, mount);
  if (hidden.length === 0) return undefined;
  return new Error(
    `@auth/express: authRouter() is mounted at "${mount}", which hides ${hidden.join(', ')}. ` +
      `Mount it with app.use(authRouter(auth)), or set the core's basePath and jwksPath (and ` +
      `the browser and docs paths) under "${mount}".`,
  );
}

/**
 * An Express router that serves every route the core handles (`/auth/register`, `/login`,
 * `/token`, `/refresh`, `/logout`, `/me` under the core's `basePath`, and the JWKS route)
 * and passes every other request on.
 *
 * Mount it before any body parser, at the application root (the core matches its `basePath`
 * against the full path, so under a prefix set `basePath` and `jwksPath` to include it; a
 * mount that hides some of the core's paths fails every request meant for the auth routes,
 * with an error naming them, and passes the app's own routes on): it streams the body into the
 * core, which refuses bodies over its cap (413) without buffering them. Mounted after
 * `express.json()` or `express.urlencoded()`, it still works by re-serialising `req.body`,
 * but the parser will then have read the body under its own limits. A middleware that reads
 * the body without setting `req.body` leaves nothing to re-send: such a request fails with an
 * error saying so, rather than reaching the core as an empty body.
 *
 * @param auth - the auth instance whose `handler` answers
 * @param options - see {@link AuthRouterOptions}
 * @example
 * ```ts
 * const app = express();
 * app.use(authRouter(auth));
 * ```
 */
export function authRouter(auth: Auth, options: AuthRouterOptions = {}): Router {
  const clientAddress = options.clientAddress ?? ((req) => req.socket.remoteAddress);
  const router = Router();
  // Mount paths already checked: every route of the core must be reachable under them.
  const checked = new Set<string>(['']);
  router.use(async (req, res, next) => {
    const url = requestUrl(req);
    if (!url) return next();
    if (!checked.has(req.baseUrl)) {
      if (!meantForAuth(auth, url.pathname, req.baseUrl)) return next();
      const hidden = hiddenUnder(auth, req.baseUrl);
      if (hidden) return next(hidden);
      checked.add(req.baseUrl);
    }
    if (!auth.handles(url.pathname)) return next();
    if (bodySpent(req)) return next(new Error(SPENT_BODY));
    const request = toFetchRequest(req, url);
    const response = await auth.handler(request, { clientAddress: clientAddress(req) });
    await sendResponse(req, res, response);
  });
  return router;
}
