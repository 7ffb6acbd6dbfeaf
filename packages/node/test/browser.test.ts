/** Browser mode: session cookies on the app's own routes, CSRF, and negotiated errors. */
import { randomBytes } from 'node:crypto';
import { type Auth, argon2id, createAuth, manualClock, memoryStorage } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, createAuthHandler, sendAuthError } from '../src/index.js';
import { type Served, serve } from './helpers.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const password = 'correct horse battery staple';
const clock = manualClock();
let auth: Auth;
let app: Served;

beforeAll(async () => {
  auth = createAuth({
    issuer: 'urn:test:issuer',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    clock,
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'] }, user: {} },
    realm: 'test',
    browser: { secureCookies: false },
  });
  const authRoutes = createAuthHandler(auth);
  app = await serve(async (req, res) => {
    try {
      if (await authRoutes(req, res)) return;
      const principal = await authenticate(auth, req, res);
      if (req.url === '/admin') auth.authorize(principal, { role: 'admin' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ userId: principal.userId }));
    } catch (error) {
      sendAuthError(res, error, auth, req);
    }
  });
});
afterAll(() => app.close());

/** A logged-in browser's `Cookie` header (the cookies the login page would have set). */
async function session(username: string) {
  const user = await auth.register({ username, password });
  const tokens = await auth.login({ username, password });
  const csrf = randomBytes(32).toString('base64url');
  const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
  return { cookie, csrf, id: user.id };
}

const names = (res: Response) => res.headers.getSetCookie().map((c) => c.split('=', 1)[0]);
const RENEWED = ['auth_access', 'auth_refresh', 'auth_csrf'];

describe('authenticate(auth, req, res) in browser mode', () => {
  it('accepts the session cookie like a bearer token', async () => {
    const { cookie, id } = await session('alice');
    const res = await fetch(`${app.url}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: id });
    expect(res.headers.getSetCookie()).toEqual([]);
    // The answer is this cookie's user's: no cache may keep it or hand it to another.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('vary')).toBe('Cookie');
  });

  it('refreshes an expired access cookie and appends each new cookie to res (errors too)', async () => {
    const { cookie, id } = await session('bob');
    clock.advanceSeconds(901);
    const res = await fetch(`${app.url}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: id });
    expect(names(res)).toEqual(RENEWED);
    // New tokens in the answer: no cache may keep it.
    expect(res.headers.get('cache-control')).toBe('no-store');

    const other = await session('bob2');
    clock.advanceSeconds(901);
    const denied = await fetch(`${app.url}/admin`, { headers: { cookie: other.cookie } });
    expect(denied.status).toBe(403);
    expect(names(denied)).toEqual(RENEWED);
  });

  it('refuses a cookie-authenticated POST from another site or without the CSRF token (403)', async () => {
    const { cookie, csrf } = await session('carol');
    const post = (headers: Record<string, string>) =>
      fetch(`${app.url}/upload`, { method: 'POST', headers: { cookie, ...headers } });
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example', 'x-csrf-token': csrf },
      { 'sec-fetch-site': 'cross-site', 'x-csrf-token': csrf },
      { origin: app.url },
      { origin: app.url, 'x-csrf-token': 'A'.repeat(43) },
    ];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'forbidden' });
    }
    expect((await post({ origin: app.url, 'x-csrf-token': csrf })).status).toBe(200);
  });

  it('takes the CSRF token of a parsed form from options.csrfToken', async () => {
    const { cookie, csrf } = await session('carol2');
    const req = {
      method: 'POST',
      headers: { cookie, host: 'app.test', origin: 'http://app.test' },
    };
    const res = { appendHeader: vi.fn() };
    await expect(authenticate(auth, req, res)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(authenticate(auth, req, res, { csrfToken: csrf })).resolves.toMatchObject({
      roles: ['user'],
    });
    // Without a method the request counts as a state change: the CSRF check applies.
    await expect(authenticate(auth, { headers: { cookie } }, res)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('reads cookies only when res is given, and only the Authorization header when one is sent', async () => {
    const { cookie } = await session('dave');
    await expect(authenticate(auth, { headers: { cookie } })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    const spy = vi.spyOn(auth, 'authenticateRequest');
    const bad = await fetch(`${app.url}/protected`, {
      headers: { cookie, authorization: 'Bearer not-a-token' },
    });
    expect(bad.status).toBe(401);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('sendAuthError(res, error, auth, req) in browser mode', () => {
  it('sends a browser without a session to the login page (303, next = the URL asked for)', async () => {
    const res = await fetch(`${app.url}/protected?tab=1`, {
      headers: { accept: HTML },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/login?next=/protected%3Ftab%3D1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers other errors of a browser with an HTML page, and API clients with JSON', async () => {
    const { cookie } = await session('erin');
    const page = await fetch(`${app.url}/admin`, { headers: { cookie, accept: HTML } });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Access denied');

    const api = await fetch(`${app.url}/protected`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    expect(await api.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('still takes a realm string (JSON only), as before', async () => {
    const served = await serve(async (req, res) => {
      try {
        await authenticate(auth, req, res);
        res.end('ok');
      } catch (error) {
        sendAuthError(res, error, 'older');
      }
    });
    const res = await fetch(`${served.url}/x`, { headers: { accept: HTML, cookie: 'x=1' } });
    await served.close();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="older"');
  });
});
