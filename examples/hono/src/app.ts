/**
 * The example app of docs/API.md on Hono: the auth routes come from `@auth/hono`,
 * the app's own routes are guarded by its middleware.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  type Auth,
  AuthError,
  appRoute,
  hostHeaderProblem,
  type OpenApiDocument,
} from '@auth/core';
import { authRoutes, onAuthError, requireAuth, requireRole } from '@auth/hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type MiddlewareHandler } from 'hono';

/** The JSON type the core and the other examples send (`c.json` alone omits the charset). */
const JSON_UTF8 = { 'Content-Type': 'application/json; charset=utf-8' };

/**
 * The path routes are matched on: the request URL's (dot segments already resolved, as a URL
 * resolves them) with its percent-encodings kept, where Hono would decode them, so that
 * `/p%69ng` is another path than `/ping`, as on the other examples and the auth routes.
 */
function sentPath(request: Request): string {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf(':') + 3);
  const end = url.search(/[?#]/);
  return url.slice(start, end === -1 ? undefined : end);
}

/** Builds the app around an auth instance (tests build it in-process). */
export function createApp(auth: Auth): Hono {
  const app = new Hono({ getPath: sentPath });
  app.use(finish);
  app.use(oneValidHost);

  // POST /auth/register|login|token|refresh|logout, GET /auth/me, GET /.well-known/jwks.json;
  // in browser mode also the pages (/, /auth/login, /auth/register), with docs
  // /openapi.json and /docs.
  app.route('/', authRoutes(auth));

  app.get('/ping', (c) => c.json({ ping: 'pong' }, 200, JSON_UTF8));
  // A bearer token, or a browser's session cookie.
  app.get('/protected', requireAuth(auth), (c) =>
    c.json({ message: 'protected resource' }, 200, JSON_UTF8),
  );
  app.get('/admin', requireRole(auth, 'admin'), (c) =>
    c.json({ message: 'admin only content' }, 200, JSON_UTF8),
  );

  // Any other method on these three: 405 with Allow (RFC 9110 §15.5.6), as the core answers
  // on its routes. After the GET routes, so a GET (or HEAD) never gets here.
  for (const path of ['/ping', '/protected', '/admin']) {
    app.all(path, () => {
      throw new AuthError('method_not_allowed', { allow: 'GET, HEAD' });
    });
  }
  app.notFound(() => {
    throw new AuthError('not_found');
  });
  // Auth errors answer as the core says (401/403 with WWW-Authenticate, the 404, the 405
  // with Allow; a browser gets a page, or is sent to the login page); anything else is
  // logged and answered with a bare 500 that reveals nothing.
  app.onError(onAuthError(auth));
  return app;
}

/**
 * Every answer on its way out gets `X-Content-Type-Options: nosniff`. For a `HEAD`, Hono
 * drops the `GET` body before `@hono/node-server` could count it, so its `Content-Length` is
 * stated here. A body-less answer (a 204, a 303) is written to the Node response as it is:
 * `@hono/node-server` would add `Content-Type: text/plain`, the type of a body it has not.
 */
/** One valid Host header, or 400 (RFC 9112 §3.2); @hono/node-server itself reads only one. */
const oneValidHost: MiddlewareHandler = (c, next) => {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  const problem = incoming && hostHeaderProblem(incoming);
  if (problem) throw new AuthError('invalid_request', { description: problem });
  return next();
};

const finish: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  const { res } = c;
  if (res.body !== null) {
    if (c.req.method === 'HEAD' && !res.headers.has('content-length')) {
      c.header('Content-Length', String((await res.clone().arrayBuffer()).byteLength));
    }
    return;
  }
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing && !res.headers.has('content-type')) c.res = writeAsIs(res, outgoing);
};

/**
 * Writes a body-less answer to the Node response (each `Set-Cookie` a header of its own) and
 * returns `RESPONSE_ALREADY_SENT`, which tells `@hono/node-server` to write nothing more.
 */
function writeAsIs(res: Response, outgoing: ServerResponse): Response {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of res.headers) if (name !== 'set-cookie') headers[name] = value;
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(res.status, headers).end();
  return RESPONSE_ALREADY_SENT;
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
