/**
 * The example app of shared/API.md on Hono: the auth routes come from `@auth/hono`,
 * the app's own routes are guarded by its middleware.
 */
import { type Auth, AuthError, appRoute, type OpenApiDocument } from '@auth/core';
import { authRoutes, onAuthError, requireAuth, requireRole } from '@auth/hono';
import { Hono } from 'hono';

/** Builds the app around an auth instance (tests build it in-process). */
export function createApp(auth: Auth): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });

  // POST /auth/register|login|token|refresh|logout, GET /auth/me, GET /.well-known/jwks.json;
  // in browser mode also the pages (/, /auth/login, /auth/register), with docs
  // /openapi.json and /docs.
  app.route('/', authRoutes(auth));

  app.get('/ping', (c) => c.json({ ping: 'pong' }));
  // A bearer token, or a browser's session cookie.
  app.get('/protected', requireAuth(auth), (c) => c.json({ message: 'protected resource' }));
  app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ message: 'admin only content' }));

  app.notFound(() => {
    throw new AuthError('not_found');
  });
  // Auth errors answer as the core says (401/403 with WWW-Authenticate, the 404; a browser
  // gets a page, or is sent to the login page); anything else is logged and answered with a
  // bare 500 that reveals nothing.
  app.onError(onAuthError(auth));
  return app;
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
