/**
 * The example app of shared/API.md on Hono: the auth routes come from `@auth/hono`,
 * the app's own routes are guarded by its middleware.
 */
import type { Auth } from '@auth/core';
import { authRoutes, onAuthError, requireAuth, requireRole } from '@auth/hono';
import { Hono } from 'hono';

/** Builds the app around an auth instance (tests build it in-process). */
export function createApp(auth: Auth): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });

  // POST /auth/register|login|token|refresh|logout, GET /auth/me, GET /.well-known/jwks.json
  app.route('/', authRoutes(auth));

  app.get('/ping', (c) => c.json({ ping: 'pong' }));
  app.get('/protected', requireAuth(auth), (c) => c.json({ message: 'protected resource' }));
  app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ message: 'admin only content' }));

  app.notFound((c) => c.json({ error: 'not_found', error_description: 'no such route' }, 404));
  // Auth errors answer as the core says (401/403 with WWW-Authenticate); anything else is
  // logged and answered with a bare 500 that reveals nothing.
  app.onError(onAuthError(auth));
  return app;
}
