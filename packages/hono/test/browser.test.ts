/** Browser mode: session cookies on the app's own routes, CSRF, and negotiated errors. */
import { randomBytes } from 'node:crypto';
import { type Auth, argon2id, createAuth, manualClock, memoryStorage } from '@auth/core';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { onAuthError, requireAuth, requireRole } from '../src/index.js';

const URL = 'http://app.test';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const password = 'correct horse battery staple';

function setup(withOnError = true) {
  const clock = manualClock();
  const auth = createAuth({
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
  const app = new Hono();
  app.get('/protected', requireAuth(auth), (c) => c.json({ user: c.var.auth.userId }));
  app.get('/admin', requireRole(auth, 'admin'), (c) => c.json({ ok: true }));
  app.post('/upload', requireAuth(auth), (c) => c.json({ ok: true }));
  // A handler that returns its own Response: the renewed cookies must still be added.
  app.get('/raw', requireAuth(auth), () => new Response('raw'));
  if (withOnError) app.onError(onAuthError(auth));
  return { app, auth, clock };
}

/** A logged-in browser's `Cookie` header (the cookies the login page would have set). */
async function session(auth: Auth, username = 'alice') {
  const user = await auth.register({ username, password });
  const tokens = await auth.login({ username, password });
  const csrf = randomBytes(32).toString('base64url');
  const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
  return { cookie, csrf, id: user.id };
}

const names = (res: Response) => res.headers.getSetCookie().map((c) => c.split('=', 1)[0]);
const RENEWED = ['auth_access', 'auth_refresh', 'auth_csrf'];

describe('requireAuth in browser mode', () => {
  it('accepts the session cookie like a bearer token and sets c.var.auth', async () => {
    const { app, auth } = setup();
    const { cookie, id } = await session(auth);
    const res = await app.request(`${URL}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: id });
    expect(res.headers.getSetCookie()).toEqual([]);
    // The answer is this cookie's user's: no cache may keep it or hand it to another.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('vary')).toBe('Cookie');
  });

  it('refreshes an expired access cookie and appends each new cookie to the response', async () => {
    const { app, auth, clock } = setup();
    const { cookie, id } = await session(auth);
    clock.advanceSeconds(901);
    const res = await app.request(`${URL}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: id });
    expect(names(res)).toEqual(RENEWED);
    // New tokens in the answer: no cache may keep it.
    expect(res.headers.get('cache-control')).toBe('no-store');

    const raw = await app.request(`${URL}/raw`, { headers: { cookie } });
    // The old refresh cookie was just rotated: a retry within the grace window still works.
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe('raw');
    expect(names(raw)).toEqual(RENEWED);
  });

  it('keeps the renewed cookies on an error answer (403 after a refresh)', async () => {
    for (const withOnError of [true, false]) {
      const { app, auth, clock } = setup(withOnError);
      const { cookie } = await session(auth);
      clock.advanceSeconds(901);
      const res = await app.request(`${URL}/admin`, { headers: { cookie } });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe('insufficient_scope');
      expect(names(res), `onError: ${withOnError}`).toEqual(RENEWED);
    }
  });

  it('refuses a cookie-authenticated POST from another site or without the CSRF token (403)', async () => {
    const { app, auth } = setup();
    const { cookie, csrf } = await session(auth);
    const post = (headers: Record<string, string>) =>
      app.request(`${URL}/upload`, { method: 'POST', headers: { cookie, ...headers } });
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example', 'x-csrf-token': csrf },
      { 'sec-fetch-site': 'same-site', 'x-csrf-token': csrf },
      { origin: URL },
      { origin: URL, 'x-csrf-token': 'A'.repeat(43) },
    ];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error).toBe('forbidden');
    }
    const ok = await post({ origin: URL, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
  });

  it('uses only the Authorization header when one is sent (cookies ignored, no CSRF check)', async () => {
    const { app, auth } = setup();
    const { cookie } = await session(auth);
    const { access_token } = await auth.login({ username: 'alice', password });
    const spy = vi.spyOn(auth, 'authenticateRequest');
    const bad = await app.request(`${URL}/protected`, {
      headers: { cookie, authorization: 'Bearer not-a-token' },
    });
    expect(bad.status).toBe(401);
    const ok = await app.request(`${URL}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, origin: 'http://evil.example' },
    });
    expect(ok.status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('negotiated errors in browser mode', () => {
  it('sends a browser without a session to the login page (303, next = the URL asked for)', async () => {
    for (const withOnError of [true, false]) {
      const { app } = setup(withOnError);
      const res = await app.request(`${URL}/protected?tab=1`, { headers: { accept: HTML } });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/auth/login?next=/protected%3Ftab%3D1');
    }
  });

  it('answers other errors of a browser with an HTML page, and API clients with JSON', async () => {
    const { app, auth } = setup();
    const { cookie } = await session(auth);
    const page = await app.request(`${URL}/admin`, { headers: { cookie, accept: HTML } });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Access denied');

    const api = await app.request(`${URL}/protected`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    expect((await api.json()).error).toBe('unauthorized');
  });

  it('onAuthError negotiates AuthErrors thrown by handlers too', async () => {
    const { app, auth } = setup();
    app.get('/mine', async (c) => {
      await auth.authenticate(c.req.header('authorization'));
      return c.text('no');
    });
    const res = await app.request(`${URL}/mine`, { headers: { accept: HTML } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/login?next=/mine');
  });
});
