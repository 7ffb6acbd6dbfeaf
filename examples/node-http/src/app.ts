/**
 * The example app on plain `node:http`: the auth routes from `@auth/node` (in browser mode
 * also the pages, with docs /openapi.json and /docs), plus three routes of its own in a
 * small table; `HEAD` is served wherever `GET` is, and another method gets a 405.
 * `createApp(auth)` returns the request listener, so a test can serve it in-process with
 * `createServer(createApp(auth))`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  type Auth,
  AuthError,
  appRoute,
  hostHeaderProblem,
  isAuthError,
  type OpenApiDocument,
  requestTarget,
} from '@auth/core';
import { authenticate, createAuthHandler, sendAuthError } from '@auth/node';

/** A route answers with the JSON body of a 200, or throws (an `AuthError` for a 4xx). */
type Route = (req: IncomingMessage, res: ServerResponse) => unknown | Promise<unknown>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/**
 * The path a request target names, as a URL resolves it: dot segments resolved and a
 * backslash read as a slash (`/./ping` and `/x\..\ping` are `/ping`, RFC 3986 §5.2.4),
 * percent-encodings kept as sent (`/p%69ng` is another path). `undefined` for `*`.
 */
function routePath(target: string): string | undefined {
  const path = requestTarget(target)?.path;
  if (path === undefined) return undefined;
  // Most paths have nothing to resolve; only those go through the URL parser.
  if (!/\/\.|\\|%2e/i.test(path)) return path.split('?', 1)[0];
  return new URL(path, 'http://localhost').pathname;
}

/** Builds the app's request listener around an auth instance. */
export function createApp(auth: Auth): RequestListener {
  const authRoutes = createAuthHandler(auth); // /auth/* and /.well-known/jwks.json

  const routes: Record<string, Route> = {
    'GET /ping': () => ({ ping: 'pong' }),
    'GET /protected': async (req, res) => {
      // A bearer token, or a browser's session cookie (renewed cookies are set on `res`).
      await authenticate(auth, req, res); // 401 without either
      return { message: 'protected resource' };
    },
    'GET /admin': async (req, res) => {
      const principal = await authenticate(auth, req, res);
      auth.authorize(principal, { role: 'admin' }); // 403 without the role
      return { message: 'admin only content' };
    },
  };

  return async (req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    try {
      // One valid Host header, or 400 (RFC 9112 §3.2).
      const problem = hostHeaderProblem(req);
      if (problem) throw new AuthError('invalid_request', { description: problem });
      if (await authRoutes(req, res)) return;
      // Origin-form `/ping`, or absolute-form `http://host/ping` (RFC 9112 §3.2.2); the path
      // as a URL resolves it, as the auth routes and the other examples see it.
      const path = routePath(req.url ?? '');
      // HEAD is GET without the body (RFC 9110 §9.3.2): node:http drops the body of a HEAD.
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const route = routes[`${method} ${path}`];
      if (!route) {
        // Another method on a route of the table: 405 with Allow (RFC 9110 §15.5.6), as the
        // core answers on its routes. Looked up only when no route matched: a GET costs nothing.
        if (!routes[`GET ${path}`]) throw new AuthError('not_found');
        throw new AuthError('method_not_allowed', { allow: 'GET, HEAD' });
      }
      sendJson(res, 200, await route(req, res));
    } catch (error) {
      if (!isAuthError(error)) console.error(error); // a bug: log it, answer a bare 500
      // JSON for API clients; a browser gets a page, or is sent to the login page.
      sendAuthError(res, error, auth, req);
    }
  };
}

/** The app's own routes in the OpenAPI document (the `docs.extend` option). */
export function documentRoutes(doc: OpenApiDocument): OpenApiDocument {
  doc.paths['/ping'] = appRoute({ summary: 'Liveness check', example: { ping: 'pong' } });
  doc.paths['/protected'] = appRoute({
    summary: 'For any signed-in user',
    example: { message: 'protected resource' },
    secured: true,
  });
  doc.paths['/admin'] = appRoute({
    summary: 'For users with the admin role',
    example: { message: 'admin only content' },
    secured: true,
    forbidden: 'not an admin',
  });
  return doc;
}
