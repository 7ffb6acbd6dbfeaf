/** The example app (docs/API.md) on Express 5 with `@auth/express`. */
import {
  type Auth,
  AuthError,
  appRoute,
  hostHeaderProblem,
  type OpenApiDocument,
} from '@auth/core';
import { authErrorHandler, authRouter, requireAuth, requireRole } from '@auth/express';
import express, { type ErrorRequestHandler, type Express } from 'express';

/** Builds the app around an auth instance, so tests can run it in-process. */
export function createApp(auth: Auth): Express {
  const app = express();
  app.disable('x-powered-by');
  // Paths match exactly, as in the contract: /PING and /ping/ are unknown routes.
  app.enable('case sensitive routing');
  app.enable('strict routing');
  // No ETag on the app's JSON (nor a 304 for `If-None-Match`), as on the other frameworks:
  // the same request gets the same answer from every example.
  app.set('etag', false);
  app.use((req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    // Routes see the path as a URL resolves it, as the auth routes and the other examples
    // do: `/./ping` and `/x/../ping` are `/ping` (RFC 3986 §5.2.4), `/p%69ng` is another path.
    if (/\/\.|\\|%2e/i.test(req.url)) {
      const url = new URL(req.url, 'http://localhost');
      req.url = url.pathname + url.search;
    }
    // One valid Host header, or 400 (RFC 9112 §3.2).
    const problem = hostHeaderProblem(req);
    next(problem ? new AuthError('invalid_request', { description: problem }) : undefined);
  });

  // The auth routes (/auth/*) and /.well-known/jwks.json, before any body parser; in
  // browser mode also the pages (/, /auth/login, /auth/register), with docs /openapi.json
  // and /docs.
  app.use(authRouter(auth));

  app.get('/ping', (_req, res) => {
    res.json({ ping: 'pong' });
  });
  // A bearer token, or a browser's session cookie.
  app.get('/protected', requireAuth(auth), (_req, res) => {
    res.json({ message: 'protected resource' });
  });
  app.get('/admin', requireRole(auth, 'admin'), (_req, res) => {
    res.json({ message: 'admin only content' });
  });
  // Any other method on these three: 405 with Allow (RFC 9110 §15.5.6), as the core answers
  // on its routes. After the GET routes, so a GET (or HEAD) never gets here.
  app.all(['/ping', '/protected', '/admin'], (_req, _res, next) => {
    next(new AuthError('method_not_allowed', { allow: 'GET, HEAD' }));
  });

  app.use((_req, _res, next) => {
    next(new AuthError('not_found'));
  });
  // 401/403 from the guards with their WWW-Authenticate challenges, and the 404 (as JSON;
  // a browser gets a page, or is sent to the login page).
  app.use(authErrorHandler(auth));
  app.use(internalError);
  return app;
}

/** Anything else is a 500 that reveals nothing; Express's own 4xx (a malformed URL) stay 4xx. */
const internalError: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status: unknown = error?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res
      .status(status)
      .json({ error: 'invalid_request', error_description: 'the request is malformed' });
  } else {
    res.status(500).json({ error: 'internal_error', error_description: 'internal error' });
  }
};

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
