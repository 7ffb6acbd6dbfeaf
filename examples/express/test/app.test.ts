/** The example app in-process, on a cheap hasher: every route of docs/API.md's example. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Auth, argon2id, createAuth, memoryStorage } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

const hasher = argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 });
const auth = createAuth({
  issuer: 'urn:auth-core:example',
  audience: 'urn:auth-core:api',
  keys: { alg: 'HS256', secret: 'an-example-secret-of-at-least-32-bytes' },
  storage: memoryStorage(),
  password: { hasher },
  roles: { admin: { inherits: ['user'] }, user: {} },
});

async function listen(app: ReturnType<typeof createApp>): Promise<[Server, string]> {
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

let server: Server;
let url: string;
beforeAll(async () => {
  [server, url] = await listen(createApp(auth));
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const bearer = (path: string, token: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function login(username: string): Promise<string> {
  const res = await post('/auth/login', { username, password: 'example-password' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('example app (express)', () => {
  it('GET /ping', async () => {
    const res = await fetch(`${url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ping: 'pong' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('register, login, /protected, /auth/me, and /admin for an admin only', async () => {
    expect(
      (await post('/auth/register', { username: 'alice', password: 'example-password' })).status,
    ).toBe(201);
    const token = await login('alice');
    const protectedRes = await bearer('/protected', token);
    expect(protectedRes.status).toBe(200);
    expect(await protectedRes.json()).toEqual({ message: 'protected resource' });
    expect(await (await bearer('/auth/me', token)).json()).toMatchObject({ username: 'alice' });

    const denied = await bearer('/admin', token);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect(denied.headers.get('x-content-type-options')).toBe('nosniff');

    const user = await auth.users.findByUsername('alice');
    await auth.users.setRoles(user!.id, ['admin']);
    const admin = await bearer('/admin', await login('alice'));
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ message: 'admin only content' });
  });

  it('401 with a Bearer realm challenge without a token', async () => {
    for (const path of ['/protected', '/admin']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="auth"');
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('serves the JWKS route', async () => {
    const res = await fetch(`${url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keys: [] });
  });

  it('404 JSON for unknown routes, nosniff everywhere', async () => {
    const paths = ['/nope', '/PING', '/ping/', '/Protected', '/auth/me/', '/Auth/Me'];
    const answers = await Promise.all(paths.map((path) => fetch(`${url}${path}`)));
    for (const res of [...answers, await post('/nope', {})]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no such route' });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('405 with Allow: GET, HEAD for another method on its own routes', async () => {
    for (const path of ['/ping', '/protected', '/admin']) {
      const res = await post(path, {});
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toEqual({
        error: 'method_not_allowed',
        error_description: 'method not allowed on this route',
      });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('a malformed JSON body never yields 500', async () => {
    for (const path of [
      '/auth/register',
      '/auth/login',
      '/auth/refresh',
      '/auth/logout',
      '/ping',
      '/nope',
    ]) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": "a',
      });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('an unexpected error is a 500 without details', async () => {
    const broken: Auth = {
      ...auth,
      authenticate: () => Promise.reject(new Error('secret detail')),
      // The adapters try the synchronous path first: it fails the same way.
      authenticateSync: () => {
        throw new Error('secret detail');
      },
    };
    const [other, otherUrl] = await listen(createApp(broken));
    const res = await fetch(`${otherUrl}/protected`, { headers: { authorization: 'Bearer x' } });
    other.closeAllConnections();
    other.close();
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: 'internal_error',
      error_description: 'internal error',
    });
  });
});
