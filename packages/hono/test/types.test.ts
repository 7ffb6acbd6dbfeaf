/**
 * Type assertions: these only need to compile (`pnpm --filter @auth/hono typecheck`);
 * at run time `expectTypeOf` does nothing.
 */
import type { Principal } from '@auth/core';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuthVariables,
  authRoutes,
  onAuthError,
  requireAuth,
  requirePermission,
  requireRole,
} from '../src/index.js';
import { harness } from './helpers.js';

describe('types', () => {
  it('types c.var.auth as the Principal without casts', () => {
    const { auth } = harness();
    const app = new Hono<{ Variables: AuthVariables }>();
    app.route('/', authRoutes(auth));
    app.onError(onAuthError(auth));
    app.get('/a', requireAuth(auth), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<Principal>();
      expectTypeOf(c.get('auth')).toEqualTypeOf<Principal>();
      return c.json({ id: c.var.auth.userId });
    });
    app.get('/b', requireRole(auth, 'admin'), requirePermission(auth, 'users:write'), (c) => {
      expectTypeOf(c.var.auth.roles).toEqualTypeOf<readonly string[]>();
      return c.text('ok');
    });
  });

  it('types c.get("auth") in a plain app through ContextVariableMap', () => {
    const { auth } = harness();
    const app = new Hono();
    app.get('/c', requireAuth(auth), (c) => {
      expectTypeOf(c.var.auth).toEqualTypeOf<Principal>();
      expectTypeOf(c.get('auth')).toEqualTypeOf<Principal>();
      return c.text('ok');
    });
  });

  it('requires at least one role or permission', () => {
    const { auth } = harness();
    // @ts-expect-error: no role given
    expectTypeOf(() => requireRole(auth)).toBeFunction();
    // @ts-expect-error: no permission given
    expectTypeOf(() => requirePermission(auth)).toBeFunction();
  });
});
