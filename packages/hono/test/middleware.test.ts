import {
  type Auth,
  AuthConfigError,
  AuthError,
  argon2id,
  createAuth,
  manualClock,
  memoryStorage,
} from '@auth/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import {
  type AuthVariables,
  authErrorOf,
  onAuthError,
  requireAuth,
  requirePermission,
  requireRole,
  withAuth,
} from '../src/index.js';
import { bearer, harness, tokenFor } from './helpers.js';

const URL = 'http://app.test';

function setup() {
  const h = harness();
  const { auth } = h;
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get('/protected', requireAuth(auth), (c) => c.json({ user: c.var.auth.userId }));
  app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ roles: c.var.auth.roles }));
  app.get('/any', requireRole(auth, 'admin', 'user'), (c) => c.json({ ok: true }));
  app.get('/write', requirePermission(auth, 'users:write'), (c) => c.json({ ok: true }));
  app.get('/read', requirePermission(auth, 'profile:read'), (c) => c.json({ ok: true }));
  app.get('/both', requireAuth(auth), requireRole(auth, 'user'), (c) => c.json({ ok: true }));
  return { ...h, app };
}

describe('requireAuth', () => {
  it('sets the principal for a valid bearer token', async () => {
    const { app, auth } = setup();
    const token = await tokenFor(auth, 'alice');
    const res = await app.request(new Request(`${URL}/protected`, { headers: bearer(token) }));
    expect(res.status).toBe(200);
    const me = await auth.authenticate(`Bearer ${token}`);
    expect(await res.json()).toEqual({ user: me.userId });
  });

  it('answers a missing token with the core 401 and a plain realm challenge', async () => {
    const { app, auth } = setup();
    const res = await app.request(new Request(`${URL}/protected`));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${auth.realm}"`);
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'authentication required',
    });
  });

  it('treats another scheme as no credentials', async () => {
    const { app } = setup();
    const res = await app.request(
      new Request(`${URL}/protected`, { headers: { authorization: 'Basic YTpi' } }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
  });

  it('answers a malformed or forged token with invalid_token', async () => {
    const { app } = setup();
    for (const value of ['Bearer', 'Bearer a b', 'Bearer eyJ.forged.token']) {
      const res = await app.request(
        new Request(`${URL}/protected`, { headers: { authorization: value } }),
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('says "token expired" once the clock passes exp', async () => {
    const { app, auth, clock } = setup();
    const token = await tokenFor(auth, 'alice');
    clock.advanceSeconds(901);
    const res = await app.request(new Request(`${URL}/protected`, { headers: bearer(token) }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="token expired"',
    );
  });

  it('matches the scheme without regard to case', async () => {
    const { app, auth } = setup();
    const token = await tokenFor(auth, 'alice');
    const res = await app.request(
      new Request(`${URL}/protected`, { headers: { authorization: `bEaReR ${token}` } }),
    );
    expect(res.status).toBe(200);
  });

  it('ignores a token in the query string', async () => {
    const { app, auth } = setup();
    const token = await tokenFor(auth, 'alice');
    const res = await app.request(new Request(`${URL}/protected?access_token=${token}`));
    expect(res.status).toBe(401);
  });
});

describe('requireRole and requirePermission', () => {
  it('lets an admin in and keeps others out with insufficient_scope', async () => {
    const { app, auth } = setup();
    const admin = await tokenFor(auth, 'root', ['admin']);
    const user = await tokenFor(auth, 'bob');
    const ok = await app.request(new Request(`${URL}/admin`, { headers: bearer(admin) }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ roles: ['admin'] });

    const denied = await app.request(new Request(`${URL}/admin`, { headers: bearer(user) }));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_scope", error_description="/,
    );
    expect((await denied.json()).error).toBe('insufficient_scope');
  });

  it('authenticates on its own: no token is a 401, not a 403', async () => {
    const { app } = setup();
    const res = await app.request(new Request(`${URL}/admin`));
    expect(res.status).toBe(401);
  });

  it('accepts any one of several roles, inherited ones included', async () => {
    const { app, auth } = setup();
    const user = await tokenFor(auth, 'bob');
    const admin = await tokenFor(auth, 'root', ['admin']);
    expect((await app.request(`${URL}/any`, { headers: bearer(user) })).status).toBe(200);
    expect((await app.request(`${URL}/both`, { headers: bearer(admin) })).status).toBe(200);
  });

  it('checks permissions through the role model', async () => {
    const { app, auth } = setup();
    const user = await tokenFor(auth, 'bob');
    const admin = await tokenFor(auth, 'root', ['admin']);
    expect((await app.request(`${URL}/read`, { headers: bearer(user) })).status).toBe(200);
    expect((await app.request(`${URL}/write`, { headers: bearer(user) })).status).toBe(403);
    expect((await app.request(`${URL}/write`, { headers: bearer(admin) })).status).toBe(200);
  });

  it('refuses to be built without a role or permission', () => {
    const { auth } = harness();
    const none: string[] = [];
    expect(() => requireRole(auth, ...(none as [string]))).toThrow(/at least one role/);
    expect(() => requirePermission(auth, ...(none as [string]))).toThrow(/at least one/);
  });
});

describe('onAuthError', () => {
  it('answers AuthErrors thrown by handlers with the core response', async () => {
    const { auth } = harness();
    const app = new Hono();
    app.onError(onAuthError(auth));
    app.get('/limited', () => {
      throw new AuthError('rate_limited', { retryAfter: 30 });
    });
    const res = await app.request(`${URL}/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.json()).error).toBe('rate_limited');
  });

  it('keeps the core answer even when a fallback exists, and hands it the rest', async () => {
    const { auth } = harness();
    const app = new Hono();
    const seen: unknown[] = [];
    app.onError(
      onAuthError(auth, (error, c) => {
        seen.push(error);
        return c.json({ error: 'internal_error', error_description: 'internal error' }, 500);
      }),
    );
    app.get('/protected', requireAuth(auth), (c) => c.text('no'));
    app.get('/boom', () => {
      throw new Error('secret detail');
    });
    const denied = await app.request(`${URL}/protected`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const boom = await app.request(`${URL}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret');
    expect(seen).toHaveLength(1);
  });

  it('without a fallback: HTTPException as itself, anything else as a bare 500', async () => {
    const { auth } = harness();
    const app = new Hono();
    app.onError(onAuthError(auth));
    app.get('/teapot', () => {
      throw new HTTPException(418, { message: 'short and stout' });
    });
    app.get('/boom', () => {
      throw new Error('secret detail');
    });
    expect((await app.request(`${URL}/teapot`)).status).toBe(418);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const boom = await app.request(`${URL}/boom`);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({
      error: 'internal_error',
      error_description: 'internal error',
    });
  });

  it('is not needed for the middleware: Hono’s default handler answers its HTTPException', async () => {
    const { auth } = harness();
    const app = new Hono();
    app.get('/protected', requireAuth(auth), (c) => c.text('no'));
    const res = await app.request(`${URL}/protected`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect((await res.json()).error).toBe('unauthorized');
  });

  it('authErrorOf finds the AuthError behind the middleware’s HTTPException', async () => {
    const { auth } = harness();
    const app = new Hono();
    let found: string | undefined;
    app.onError((error, c) => {
      found = authErrorOf(error)?.code;
      return c.text('x', 500);
    });
    app.get('/protected', requireAuth(auth), (c) => c.text('no'));
    await app.request(`${URL}/protected`);
    expect(found).toBe('unauthorized');
    expect(authErrorOf(new Error('x'))).toBeUndefined();
  });
});

describe('several auth instances in one app', () => {
  it("a guard verifies again a principal that another instance set: the other's roles grant nothing here", async () => {
    const partner = harness().auth;
    const staff = createAuth({
      issuer: 'urn:test:staff',
      audience: 'urn:test:api',
      keys: { alg: 'HS256', secret: 'another-secret-that-is-at-least-32-bytes-long' },
      storage: memoryStorage(),
      clock: manualClock(),
      password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
      roles: { admin: {}, user: {} },
    });
    const partnerAdmin = await tokenFor(partner, 'pat', ['admin']);
    const staffAdmin = await tokenFor(staff, 'sam', ['admin']);
    const app = new Hono();
    app.use('/partner/*', requireAuth(partner));
    app.get('/partner/staff-admin', requireRole(staff, 'admin'), (c) => c.json({ ok: true }));
    app.get(
      '/partner/fast',
      withAuth(staff, (c) => c.json({ ok: true }), { role: 'admin' }),
    );
    app.onError(onAuthError(staff));
    for (const path of ['/partner/staff-admin', '/partner/fast']) {
      const refused = await app.request(path, { headers: bearer(partnerAdmin) }, undefined);
      expect(refused.status, path).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
      expect((await app.request(path, { headers: bearer(staffAdmin) })).status, path).toBe(401);
    }
  });

  it('a guard naming a role or permission the roles option lacks throws when it is created', () => {
    const { auth } = harness();
    expect(() => requireRole(auth, 'amdin')).toThrow(/role "amdin"/);
    expect(() => requirePermission(auth, 'users:wirte')).toThrow(/permission "users:wirte"/);
    expect(() => withAuth(auth, (c) => c.json({}), { role: 'amdin' })).toThrow(AuthConfigError);
    expect(() => requireRole(auth, 'admin')).not.toThrow();
  });

  it('a guard given something other than the auth instance throws when the app is built', () => {
    const notAuth = {} as unknown as Auth;
    expect(() => requireAuth(notAuth)).toThrow(/pass the auth instance/);
    expect(() => withAuth(notAuth, (c) => c.json({}))).toThrow(TypeError);
  });
});
