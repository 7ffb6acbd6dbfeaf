import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Auth, argon2id, createAuth, memoryStorage } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.js';

let auth: Auth;
let server: Server;
let base: string;

function listen(app: Server): Promise<string> {
  return new Promise((resolve) =>
    app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(app.address() as AddressInfo).port}`),
    ),
  );
}

async function tokenOf(username: string): Promise<string> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password-1' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  auth = createAuth({
    issuer: 'urn:test:issuer',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'] }, user: {} },
  });
  server = createServer(createApp(auth));
  base = await listen(server);
  await auth.register({ username: 'alice', password: 'password-1' });
  const root = await auth.register({ username: 'root', password: 'password-1' });
  await auth.users.setRoles(root.id, ['admin']);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('example app (node:http)', () => {
  it('GET /ping', async () => {
    const res = await get('/ping');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({ ping: 'pong' });
  });

  it('GET /protected: 401 with a realm challenge, then 200 with a token', async () => {
    const denied = await get('/protected');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+"$/);
    expect(denied.headers.get('x-content-type-options')).toBe('nosniff');
    const res = await get('/protected?x=1', await tokenOf('alice'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'protected resource' });
  });

  it('GET /admin: 403 insufficient_scope without the role, 200 with it', async () => {
    const denied = await get('/admin', await tokenOf('alice'));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    const res = await get('/admin', await tokenOf('root'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'admin only content' });
  });

  it('serves the auth routes and the JWKS', async () => {
    const me = await get('/auth/me', await tokenOf('alice'));
    expect(me.status).toBe(200);
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await me.json()).toMatchObject({ username: 'alice', roles: ['user'] });
    const jwks = await get('/.well-known/jwks.json');
    expect(await jwks.json()).toEqual({ keys: [] });
  });

  it('404 JSON for unknown routes', async () => {
    for (const res of [await get('/nope'), await fetch(`${base}/nope`, { method: 'DELETE' })]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toEqual({
        error: 'not_found',
        error_description: expect.any(String),
      });
    }
  });

  it('405 with Allow: GET, HEAD for another method on its own routes', async () => {
    for (const path of ['/ping', '/protected', '/admin']) {
      const res = await fetch(`${base}${path}`, { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toEqual({
        error: 'method_not_allowed',
        error_description: 'method not allowed on this route',
      });
    }
  });

  it('never answers a malformed JSON body with a 500', async () => {
    for (const path of ['/auth/login', '/auth/register', '/auth/refresh', '/ping', '/nope']) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('answers an unexpected error with a bare 500', async () => {
    const broken = {
      ...auth,
      handles: () => false,
      authenticate: () => Promise.reject(new Error('connection string postgres://u:secret@db')),
      // The adapters try the synchronous path first: it fails the same way.
      authenticateSync: () => {
        throw new Error('connection string postgres://u:secret@db');
      },
    } as Auth;
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = createServer(createApp(broken));
    try {
      const res = await fetch(`${await listen(app)}/protected`);
      expect(res.status).toBe(500);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(
        '{"error":"internal_error","error_description":"internal error"}',
      );
      expect(log).toHaveBeenCalledOnce();
    } finally {
      log.mockRestore();
      app.closeAllConnections();
      app.close();
    }
  });
});
