/** `withAuth`: the same checks and answers as the middleware, as one route handler. */
import { randomBytes } from 'node:crypto';
import { argon2id, createAuth, manualClock, memoryStorage } from '@auth/core';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { type AuthVariables, onAuthError, requireAuth, withAuth } from '../src/index.js';
import { bearer, harness, tokenFor } from './helpers.js';

const URL = 'http://app.test';

function setup() {
  const h = harness();
  const { auth } = h;
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get(
    '/protected',
    withAuth(auth, (c) => c.json({ user: c.var.auth.userId })),
  );
  app.get(
    '/admin',
    withAuth(auth, (c) => c.json({ roles: c.var.auth.roles }), { role: 'admin' }),
  );
  app.get(
    '/write',
    withAuth(auth, (c) => c.json({ ok: true }), { permission: ['users:write'] }),
  );
  app.get(
    '/chained',
    requireAuth(auth),
    withAuth(auth, (c) => c.json({ ok: true }), { role: 'user' }),
  );
  app.onError(onAuthError(auth));
  return { ...h, app };
}

const get = (app: Hono<{ Variables: AuthVariables }> | Hono, path: string, token?: string) =>
  app.request(new Request(URL + path, { headers: token ? bearer(token) : {} }));

describe('withAuth', () => {
  it('runs the handler with c.var.auth for a valid bearer token', async () => {
    const { app, auth } = setup();
    const token = await tokenFor(auth, 'alice');
    const res = await get(app, '/protected', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: (await auth.authenticate(`Bearer ${token}`)).userId });
  });

  it('verifies on the async path while the keys are not imported yet', async () => {
    const { auth, clock } = setup();
    const token = await tokenFor(auth, 'alice');
    // A second instance with the same secret that has never used its keys.
    const other = createAuth({
      issuer: 'urn:test:issuer',
      audience: 'urn:test:api',
      keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
      storage: memoryStorage(),
      clock,
    });
    expect(other.authenticateSync(`Bearer ${token}`)).toBeUndefined();
    const app = new Hono();
    app.get(
      '/protected',
      withAuth(other, (c) => c.json({ user: c.var.auth.userId })),
    );
    const res = await get(app, '/protected', token);
    expect(res.status).toBe(200);
    expect((await res.json()).user).toBe((await auth.authenticate(`Bearer ${token}`)).userId);
  });

  it('answers no token, a bad token and an expired one as requireAuth does', async () => {
    const { app, auth, clock } = setup();
    const none = await get(app, '/protected');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="${auth.realm}"`);
    expect(await none.json()).toEqual({
      error: 'unauthorized',
      error_description: 'authentication required',
    });
    const bad = await get(app, '/protected', 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const token = await tokenFor(auth, 'alice');
    clock.advanceSeconds(3600);
    const expired = await get(app, '/protected', token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('token expired');
  });

  it('checks a role and a permission requirement (403 insufficient_scope)', async () => {
    const { app, auth } = setup();
    const user = await tokenFor(auth, 'alice');
    const admin = await tokenFor(auth, 'root', ['admin']);
    const denied = await get(app, '/admin', user);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect((await get(app, '/admin', admin)).status).toBe(200);
    expect((await get(app, '/write', user)).status).toBe(403);
    expect((await get(app, '/write', admin)).status).toBe(200);
  });

  it('reuses the principal of an earlier requireAuth', async () => {
    const { app, auth } = setup();
    const token = await tokenFor(auth, 'alice');
    await auth.authenticate(`Bearer ${token}`);
    const spies = [vi.spyOn(auth, 'authenticate'), vi.spyOn(auth, 'authenticateSync')];
    expect((await get(app, '/chained', token)).status).toBe(200);
    expect(spies[0]!.mock.calls.length + spies[1]!.mock.calls.length).toBe(1);
  });
});

describe('withAuth in browser mode', () => {
  const password = 'correct horse battery staple';
  function browserSetup() {
    const clock = manualClock();
    const auth = createAuth({
      issuer: 'urn:test:issuer',
      audience: 'urn:test:api',
      keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
      storage: memoryStorage(),
      clock,
      password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
      realm: 'test',
      browser: { secureCookies: false },
    });
    const app = new Hono();
    app.get(
      '/protected',
      withAuth(auth, (c) => c.json({ user: c.var.auth.userId })),
    );
    app.get(
      '/raw',
      withAuth(auth, () => new Response('raw')),
    );
    app.post(
      '/upload',
      withAuth(auth, (c) => c.json({ ok: true })),
    );
    app.onError(onAuthError(auth));
    return { app, auth, clock };
  }
  async function session(auth: ReturnType<typeof createAuth>) {
    const user = await auth.register({ username: 'alice', password });
    const tokens = await auth.login({ username: 'alice', password });
    const csrf = randomBytes(32).toString('base64url');
    const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
    return { cookie, csrf, id: user.id };
  }
  const names = (res: Response) => res.headers.getSetCookie().map((c) => c.split('=', 1)[0]);

  it('authenticates by cookie and appends the renewed cookies after a refresh', async () => {
    const { app, auth, clock } = browserSetup();
    const { cookie, id } = await session(auth);
    const fresh = await app.request(`${URL}/protected`, { headers: { cookie } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.getSetCookie()).toEqual([]);
    clock.advanceSeconds(901);
    const res = await app.request(`${URL}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: id });
    expect(names(res)).toEqual(['auth_access', 'auth_refresh', 'auth_csrf']);
    const raw = await app.request(`${URL}/raw`, { headers: { cookie } });
    expect(await raw.text()).toBe('raw');
    expect(names(raw)).toEqual(['auth_access', 'auth_refresh', 'auth_csrf']);
  });

  it('refuses a cross-site cookie POST (403) and accepts a same-origin one with the token', async () => {
    const { app, auth } = browserSetup();
    const { cookie, csrf } = await session(auth);
    const post = (headers: Record<string, string>) =>
      app.request(`${URL}/upload`, { method: 'POST', headers: { cookie, ...headers } });
    const evil = await post({ origin: 'http://evil.example', 'x-csrf-token': csrf });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error).toBe('forbidden');
    const ok = await post({ origin: URL, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
  });
});
