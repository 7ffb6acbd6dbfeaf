import { type IncomingMessage, request } from 'node:http';
import type { Auth } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthHandler, sendAuthError } from '../src/index.js';
import { postJson, type Served, serve, testAuth } from './helpers.js';

const CREDENTIALS = { username: 'alice', password: 'password-1' };
const TEN_MB = 10 * 1024 * 1024;

let auth: Auth;
let app: Served;
let handled: boolean[];

beforeEach(async () => {
  auth = testAuth();
  handled = [];
  const authRoutes = createAuthHandler(auth);
  app = await serve(async (req, res) => {
    const served = await authRoutes(req, res);
    handled.push(served);
    if (!served) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('app route');
    }
  });
});
afterEach(() => app.close());

describe('createAuthHandler: routes', () => {
  it('serves register, login, me, refresh, logout and JWKS', async () => {
    const reg = await postJson(`${app.url}/auth/register`, CREDENTIALS);
    expect(reg.status).toBe(201);
    expect(await reg.json()).toEqual({
      user: { id: expect.any(String), username: 'alice', roles: ['user'] },
    });

    const res = await postJson(`${app.url}/auth/login`, CREDENTIALS);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });

    const me = await fetch(`${app.url}/auth/me?x=1`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'alice', roles: ['user'] });

    const refreshed = await postJson(`${app.url}/auth/refresh`, {
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Record<string, unknown>;

    const out = await postJson(`${app.url}/auth/logout`, { refresh_token: next.refresh_token });
    expect(out.status).toBe(204);
    expect(await out.text()).toBe('');

    const jwks = await fetch(`${app.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(await jwks.json()).toEqual({ keys: [] });
  });

  it('serves the form-encoded token endpoint', async () => {
    await postJson(`${app.url}/auth/register`, CREDENTIALS);
    const res = await fetch(`${app.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', ...CREDENTIALS }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('access_token');
  });

  it('resolves true for auth routes and false for every other path', async () => {
    await fetch(`${app.url}/auth/me`);
    await fetch(`${app.url}/ping`);
    await fetch(`${app.url}/auth/unknown`);
    await fetch(`${app.url}//auth/me`);
    expect(handled).toEqual([true, false, false, false]);
    const other = await fetch(`${app.url}/ping`);
    expect(await other.text()).toBe('app route');
  });

  it('answers 405 with Allow for a wrong method on an auth route', async () => {
    const res = await fetch(`${app.url}/auth/login`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers 405 with Allow for the methods Fetch refuses (TRACE, CONNECT), not 400', async () => {
    const answer = (method: string, path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${app.url}${path}`, { method }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode} ${res.headers.allow}`));
        });
        req.on('error', reject).end();
      });
    expect(await answer('TRACE', '/auth/token')).toBe('405 POST');
    expect(await answer('TRACE', '/auth/me')).toBe('405 GET, HEAD');
  });

  it('401 with the core challenge on /auth/me without a token', async () => {
    const res = await fetch(`${app.url}/auth/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
  });

  it('survives a Host header that is not a valid host', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${app.url}/auth/me`, { headers: { host: 'bad host/x?y' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject).end();
    });
    expect(status).toBe(401);
  });
});

describe('createAuthHandler: bodies', () => {
  it('400 invalid_request for malformed JSON', async () => {
    const res = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "alice", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('415 for a content type that is neither JSON nor form', async () => {
    const res = await fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=alice',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  async function refuses10MB(body: BodyInit) {
    const res = await fetch(`${app.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    const socket = app.sockets.at(-1)!;
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
    // The server read a few buffers' worth, not the 10 MB, and let the socket go.
    expect(socket.bytesRead).toBeLessThan(1024 * 1024);
  }

  it('413 for a declared 10 MB body, without reading it', async () => {
    await refuses10MB(new Uint8Array(TEN_MB).fill(0x20));
  });

  it('413 for a streamed (chunked) 10 MB body, without buffering it', async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= TEN_MB) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    await refuses10MB(stream);
    expect(sent).toBeLessThan(TEN_MB);
    // The server is unharmed.
    expect((await fetch(`${app.url}/auth/me`)).status).toBe(401);
  });

  it('copes with a client that goes away mid-upload', async () => {
    const req = request(`${app.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.write('{"username": "alice", "pass');
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toEqual([true]);
    expect((await fetch(`${app.url}/auth/me`)).status).toBe(401);
  });

  it('keeps the connection alive after a body it read', async () => {
    const res = await postJson(`${app.url}/auth/register`, CREDENTIALS);
    expect(res.status).toBe(201);
    expect(res.headers.get('connection')).toBe('keep-alive');
    await res.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.sockets.map((s) => s.destroyed)).toEqual([false]);
  });

  it('passes the socket address as clientAddress, or the option’s', async () => {
    const seen: Array<string | undefined> = [];
    const fake = {
      realm: 'test',
      handles: () => true,
      handler: async (_request: Request, context?: { clientAddress?: string }) => {
        seen.push(context?.clientAddress);
        return new Response(null, { status: 204 });
      },
    } as unknown as Auth;
    const header = (req: IncomingMessage) => String(req.headers['x-test-client']);
    const plain = createAuthHandler(fake);
    const proxied = createAuthHandler(fake, { clientAddress: header });
    const both = await serve(async (req, res) => {
      await (req.url === '/proxied' ? proxied : plain)(req, res);
    });
    try {
      await fetch(`${both.url}/plain`, { headers: { 'x-test-client': '203.0.113.9' } });
      await fetch(`${both.url}/proxied`, { headers: { 'x-test-client': '203.0.113.9' } });
    } finally {
      await both.close();
    }
    expect(seen).toEqual([expect.stringMatching(/127\.0\.0\.1$/), '203.0.113.9']);
  });
});

describe('response writer', () => {
  it('passes several Set-Cookie headers through, each on its own', async () => {
    const fake = {
      realm: 'test',
      handles: () => true,
      handler: async () => {
        const headers = new Headers({ 'content-type': 'text/plain', 'x-extra': 'yes' });
        headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
        headers.append('set-cookie', 'b=2; Path=/auth; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
        return new Response('hello', { status: 200, headers });
      },
    } as unknown as Auth;
    const cookies = await serve(async (req, res) => {
      await createAuthHandler(fake)(req, res);
    });
    try {
      const res = await fetch(`${cookies.url}/anything`);
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([
        'a=1; Path=/; HttpOnly',
        'b=2; Path=/auth; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
      ]);
      expect(res.headers.get('x-extra')).toBe('yes');
      expect(await res.text()).toBe('hello');
    } finally {
      await cookies.close();
    }
  });

  it('sendAuthError turns anything that is not an AuthError into a bare 500', async () => {
    const failing = await serve((_req, res) => {
      sendAuthError(res, new Error('db password is hunter2'), 'test');
    });
    try {
      const res = await fetch(failing.url);
      expect(res.status).toBe(500);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toEqual({
        error: 'internal_error',
        error_description: 'internal error',
      });
    } finally {
      await failing.close();
    }
  });
});
