import { createRequire } from 'node:module';
import { argon2id, createAuth, memoryStorage } from '@auth/core';
import { type Context, Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { authRoutes, onAuthError, requireAuth } from '../src/index.js';
import { bearer, harness } from './helpers.js';

const URL = 'http://app.test';
const credentials = { username: 'alice', password: 'correct horse battery staple' };

function setup(options?: Parameters<typeof authRoutes>[1]) {
  const h = harness();
  const app = new Hono();
  app.route('/', authRoutes(h.auth, options));
  app.get('/ping', (c) => c.json({ ping: 'pong' }));
  app.get('/protected', requireAuth(h.auth), (c) => c.json({ message: 'protected resource' }));
  app.onError(onAuthError(h.auth));
  return { ...h, app };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(URL + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('authRoutes', () => {
  it('serves an app built with another copy of Hono (CommonJS where this is ESM), not a 500', async () => {
    const { Hono: OtherHono } = createRequire(import.meta.url)('hono') as typeof import('hono');
    expect(OtherHono).not.toBe(Hono);
    const h = harness();
    const app = new OtherHono();
    app.route('/', authRoutes(h.auth));
    app.get('/protected', requireAuth(h.auth), (c) => c.json({ message: 'protected resource' }));
    app.onError(onAuthError(h.auth));
    expect((await app.request(post('/auth/register', credentials))).status).toBe(201);
    const login = await app.request(post('/auth/login', credentials));
    expect(login.status).toBe(200);
    const { access_token } = await login.json();
    expect((await app.request(`${URL}/protected`, { headers: bearer(access_token) })).status).toBe(
      200,
    );
    expect((await app.request(`${URL}/protected`)).status).toBe(401);
  });

  it('serves register, login, me, refresh and logout through the core handler', async () => {
    const { app } = setup();
    const registered = await app.request(post('/auth/register', credentials));
    expect(registered.status).toBe(201);
    expect((await registered.json()).user).toMatchObject({ username: 'alice', roles: ['user'] });

    const login = await app.request(post('/auth/login', credentials));
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toContain('no-store');
    const tokens = await login.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });

    const me = await app.request(
      new Request(`${URL}/auth/me`, { headers: bearer(tokens.access_token) }),
    );
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe('alice');

    const protectedRes = await app.request(`${URL}/protected`, {
      headers: bearer(tokens.access_token),
    });
    expect(await protectedRes.json()).toEqual({ message: 'protected resource' });

    const refreshed = await app.request(
      post('/auth/refresh', { refresh_token: tokens.refresh_token }),
    );
    expect(refreshed.status).toBe(200);
    const next = await refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);

    const logout = await app.request(post('/auth/logout', { refresh_token: next.refresh_token }));
    expect(logout.status).toBe(204);
    const spent = await app.request(post('/auth/refresh', { refresh_token: next.refresh_token }));
    expect(spent.status).toBe(401);
  });

  it('serves the OAuth token endpoint with form bodies', async () => {
    const { app, auth } = setup();
    await auth.register(credentials);
    const res = await app.request(
      new Request(`${URL}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', ...credentials }),
      }),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).token_type).toBe('Bearer');
  });

  it('serves the JWKS route', async () => {
    const { app } = setup();
    const res = await app.request(`${URL}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keys: [] });
  });

  it('answers bad bodies with the core 4xx, never 500', async () => {
    const { app } = setup();
    const malformed = await app.request(post('/auth/login', '{"username":'));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toBe('invalid_request');
    const text = await app.request(
      post('/auth/register', 'hello', { 'content-type': 'text/plain' }),
    );
    expect(text.status).toBe(415);
    const big = await app.request(post('/auth/register', { pad: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
  });

  it('answers a wrong method with the core 405 and Allow', async () => {
    const { app } = setup();
    const res = await app.request(`${URL}/auth/login`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('lets other routes through, before and after it', async () => {
    const { app } = setup();
    expect(await (await app.request(`${URL}/ping`)).json()).toEqual({ ping: 'pong' });
    expect((await app.request(`${URL}/nowhere`)).status).toBe(404);
  });

  it('passes the clientAddress option to the core', async () => {
    const { app, auth, events } = setup({ clientAddress: (c) => c.req.header('x-test-ip') });
    await auth.register(credentials);
    await app.request(post('/auth/login', credentials, { 'x-test-ip': '203.0.113.7' }));
    expect(events.find((e) => e.type === 'login_success')).toMatchObject({
      client: '203.0.113.7',
    });
  });

  it('never reads a forwarded header by default', async () => {
    const { app, auth, events } = setup();
    await auth.register(credentials);
    await app.request(post('/auth/login', credentials, { 'x-forwarded-for': '203.0.113.7' }));
    const success = events.find((e) => e.type === 'login_success');
    expect(success).toBeDefined();
    expect(success && 'client' in success ? success.client : undefined).toBeUndefined();
  });

  it('fails loudly when mounted below the root', async () => {
    const { auth } = harness();
    // Meant for the auth routes: by the core's path, or by that path under the mount.
    const cases = [
      ['/auth', ['/auth/login', '/auth/auth/login']],
      ['/api', ['/api/auth/login']],
    ] as const;
    for (const [mount, paths] of cases) {
      const app = new Hono();
      const errors: string[] = [];
      app.onError(
        onAuthError(auth, (error, c) => {
          errors.push(error.message);
          return c.text('misconfigured', 500);
        }),
      );
      app.route(mount, authRoutes(auth));
      app.get(`${mount}/hello`, (c) => c.text('hi'));
      for (const path of paths) {
        const res = await app.request(post(path, credentials));
        expect(res.status).toBe(500);
        expect(errors.at(-1)).toContain("app.route('/', authRoutes(auth))");
      }
      // The app's own routes under the mount are not taken down with it.
      expect(await (await app.request(`${URL}${mount}/hello`)).text()).toBe('hi');
    }
  });

  it('works under an app basePath or a prefix mount when every core path lies under it', async () => {
    const auth = createAuth({
      issuer: 'urn:test:issuer',
      audience: 'urn:test:api',
      keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
      storage: memoryStorage(),
      password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
      basePath: '/api/auth',
      jwksPath: '/api/.well-known/jwks.json',
    });
    await auth.register(credentials);
    const based = new Hono().basePath('/api');
    based.route('/', authRoutes(auth));
    based.get('/hello', (c) => c.text('hi'));
    const mounted = new Hono().route('/api', new Hono().route('/', authRoutes(auth)));
    for (const app of [based, mounted]) {
      expect((await app.request(post('/api/auth/login', credentials))).status).toBe(200);
      expect((await app.request(`${URL}/api/.well-known/jwks.json`)).status).toBe(200);
    }
    expect(await (await based.request(`${URL}/api/hello`)).text()).toBe('hi');
    // With the JWKS route left at the root it would be hidden: that is refused, naming it.
    const errors: string[] = [];
    const hiding = new Hono().basePath('/api');
    hiding.route('/', authRoutes(harness().auth));
    hiding.onError((error, c) => {
      errors.push(error.message);
      return c.text('misconfigured', 500);
    });
    hiding.get('/hello', (c) => c.text('hi'));
    expect((await hiding.request(post('/api/auth/login', credentials))).status).toBe(500);
    expect(errors[0]).toContain('/.well-known/jwks.json');
    expect(await (await hiding.request(`${URL}/api/hello`)).text()).toBe('hi');
    expect(errors).toHaveLength(1);
  });

  it('also works under a parent that is itself mounted at the root', async () => {
    const { auth } = harness();
    const inner = new Hono().route('/', authRoutes(auth));
    const app = new Hono().route('/', inner);
    expect((await app.request(`${URL}/.well-known/jwks.json`)).status).toBe(200);
  });

  describe('after a middleware that read the body', () => {
    const reading = (read: (c: Context) => Promise<unknown>) => {
      const h = harness();
      const app = new Hono();
      app.use('*', async (c, next) => {
        if (c.req.method === 'POST') await read(c).catch(() => undefined);
        await next();
      });
      app.route('/', authRoutes(h.auth));
      app.onError(onAuthError(h.auth));
      return { ...h, app };
    };
    const formPost = (path: string, fields: Record<string, string>) =>
      new Request(URL + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });

    it.each([
      ['c.req.json()', (c: Context) => c.req.json()],
      ['c.req.text()', (c: Context) => c.req.text()],
      ['c.req.arrayBuffer()', (c: Context) => c.req.arrayBuffer()],
      ['c.req.parseBody()', (c: Context) => c.req.parseBody()],
    ])('registers and logs in with the copy Hono kept (%s)', async (_name, read) => {
      const { app } = reading(read);
      expect((await app.request(post('/auth/register', credentials))).status).toBe(201);
      const json = await app.request(post('/auth/login', credentials));
      expect(json.status).toBe(200);
      const form = await app.request(formPost('/auth/login', credentials));
      expect(form.status).toBe(200);
      expect(await form.json()).toMatchObject({ token_type: 'Bearer' });
      const wrong = await app.request(
        post('/auth/login', { ...credentials, password: 'nope-nope' }),
      );
      expect(wrong.status).toBe(401);
    });

    it('logs in with a form that c.req.formData() read', async () => {
      const { app, auth } = reading((c) => c.req.formData());
      await auth.register(credentials);
      const form = await app.request(formPost('/auth/login', credentials));
      expect(form.status).toBe(200);
      expect(await form.json()).toMatchObject({ token_type: 'Bearer' });
    });

    it('still refuses a body over the cap with 413', async () => {
      const { app } = reading((c) => c.req.text());
      const big = JSON.stringify({ ...credentials, pad: 'x'.repeat(70 * 1024) });
      const res = await app.request(post('/auth/login', big));
      expect(res.status).toBe(413);
    });

    it('fails with an error saying so when the raw stream itself was read', async () => {
      const { app, auth } = reading((c) => c.req.raw.text());
      const errors: string[] = [];
      app.onError(
        onAuthError(auth, (error, c) => {
          errors.push(error.message);
          return c.text('misconfigured', 500);
        }),
      );
      expect((await app.request(post('/auth/login', credentials))).status).toBe(500);
      expect(errors[0]).toContain('read before authRoutes() got it and Hono kept no copy');
    });
  });
});
