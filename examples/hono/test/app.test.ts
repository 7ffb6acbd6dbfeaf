/** The app built in-process around a cheap auth instance: the routes of docs/API.md. */
import { type Auth, argon2id, createAuth, memoryStorage } from '@auth/core';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.js';

const URL = 'http://example.test';
const alice = { username: 'alice', password: 'correct horse battery staple' };

function setup() {
  const auth = createAuth({
    issuer: 'urn:test',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'] }, user: {} },
  });
  return { auth, app: createApp(auth) };
}

async function token(auth: Auth, roles?: string[]): Promise<string> {
  const user = await auth.register(alice);
  if (roles) await auth.users.setRoles(user.id, roles);
  return (await auth.login(alice)).access_token;
}

describe('example app (hono)', () => {
  it('GET /ping', async () => {
    const res = await setup().app.request(`${URL}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ping: 'pong' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GET /protected needs a bearer token', async () => {
    const { app, auth } = setup();
    const denied = await app.request(`${URL}/protected`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="auth"');
    expect(denied.headers.get('x-content-type-options')).toBe('nosniff');
    const ok = await app.request(`${URL}/protected`, {
      headers: { authorization: `Bearer ${await token(auth)}` },
    });
    expect(await ok.json()).toEqual({ message: 'protected resource' });
  });

  it('GET /admin needs the admin role', async () => {
    const { app, auth } = setup();
    const user = await app.request(`${URL}/admin`, {
      headers: { authorization: `Bearer ${await token(auth)}` },
    });
    expect(user.status).toBe(403);
    expect(user.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope", /);

    const other = setup();
    const admin = await other.app.request(`${URL}/admin`, {
      headers: { authorization: `Bearer ${await token(other.auth, ['admin'])}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ message: 'admin only content' });
  });

  it('serves the auth routes and the JWKS', async () => {
    const { app } = setup();
    const post = (path: string, body: unknown) =>
      app.request(`${URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/register', alice)).status).toBe(201);
    expect((await post('/auth/register', alice)).status).toBe(409);
    const login = await post('/auth/login', alice);
    expect(login.status).toBe(200);
    const { access_token } = await login.json();
    const me = await app.request(`${URL}/auth/me`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect((await me.json()).username).toBe('alice');
    const jwks = await app.request(`${URL}/.well-known/jwks.json`);
    expect(await jwks.json()).toEqual({ keys: [] });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await setup().app.request(`${URL}/nowhere`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no such route' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('405 with Allow: GET, HEAD for another method on its own routes', async () => {
    const { app } = setup();
    for (const path of ['/ping', '/protected', '/admin']) {
      const res = await app.request(`${URL}${path}`, { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toEqual({
        error: 'method_not_allowed',
        error_description: 'method not allowed on this route',
      });
    }
  });

  it('HEAD answers like GET, Content-Length included, without the body', async () => {
    const { app } = setup();
    for (const path of ['/ping', '/protected']) {
      const get = await app.request(`${URL}${path}`);
      const head = await app.request(`${URL}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(get.status);
      expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(head.headers.get('content-length')).toBe(String((await get.arrayBuffer()).byteLength));
      expect(await head.text()).toBe('');
    }
  });

  it('never answers a malformed body with 500', async () => {
    const { app } = setup();
    for (const path of ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout']) {
      const res = await app.request(`${URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(res.status).toBe(400);
    }
    for (const path of ['/ping', '/protected', '/nowhere']) {
      const res = await app.request(`${URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(res.status).toBeLessThan(500);
    }
  });

  it('answers an unexpected error with a bare 500', async () => {
    const { auth } = setup();
    const broken: Auth = {
      ...auth,
      authenticate: () => Promise.reject(new Error('database password is hunter2')),
      // The adapters try the synchronous path first: it fails the same way.
      authenticateSync: () => {
        throw new Error('database password is hunter2');
      },
    };
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await createApp(broken).request(`${URL}/protected`, {
      headers: { authorization: 'Bearer abc' },
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: 'internal_error',
      error_description: 'internal error',
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});
