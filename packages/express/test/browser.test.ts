/** Browser mode: session cookies on the app's own routes, CSRF, and negotiated errors. */
import { randomBytes } from 'node:crypto';
import type { Auth, ManualClock } from '@auth/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authErrorHandler, authRouter, requireAuth, requireRole } from '../src/index.js';
import { makeAuth, type Served, serve } from './helpers.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const password = 'correct horse battery';

let auth: Auth;
let served: Served;
let url: string;

beforeAll(async () => {
  auth = makeAuth({ browser: { secureCookies: false } });
  const app = express();
  app.use(authRouter(auth));
  app.get('/protected', requireAuth(auth), (req, res) => {
    res.json({ userId: req.auth?.userId });
  });
  app.get('/admin', requireRole(auth, 'admin'), (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/api/upload', requireAuth(auth), (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/form', express.urlencoded({ extended: false }), requireAuth(auth), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(authErrorHandler(auth));
  served = await serve(app);
  url = served.url;
});
afterAll(() => served.close());

/** A logged-in browser's `Cookie` header (the cookies the login page would have set). */
async function session(username: string): Promise<{ cookie: string; csrf: string; id: string }> {
  const user = await auth.register({ username, password });
  const tokens = await auth.login({ username, password });
  const csrf = randomBytes(32).toString('base64url');
  const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
  return { cookie, csrf, id: user.id };
}

const names = (res: Response) => res.headers.getSetCookie().map((c) => c.split('=', 1)[0]);

describe('requireAuth in browser mode', () => {
  it('accepts the session cookie like a bearer token and sets req.auth', async () => {
    const { cookie, id } = await session('cookie-alice');
    const res = await fetch(`${url}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: id });
    expect(res.headers.getSetCookie()).toEqual([]);
    // The answer is this cookie's user's: no cache may keep it or hand it to another.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('vary')).toBe('Cookie');
  });

  it('refreshes an expired access cookie and passes each new cookie on as its own Set-Cookie', async () => {
    const { cookie, id } = await session('cookie-bob');
    (auth.clock as ManualClock).advance(901_000);
    const res = await fetch(`${url}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: id });
    expect(names(res)).toEqual(['auth_access', 'auth_refresh', 'auth_csrf']);
    for (const c of res.headers.getSetCookie()) expect(c).toMatch(/; SameSite=Lax$/);
    // New tokens in the answer: no cache may keep it.
    expect(res.headers.get('cache-control')).toBe('no-store');

    // Also when a later check fails: the refresh spent the old cookie, the new ones must arrive.
    const { cookie: other } = await session('cookie-bob2');
    (auth.clock as ManualClock).advance(901_000);
    const denied = await fetch(`${url}/admin`, { headers: { cookie: other } });
    expect(denied.status).toBe(403);
    expect(names(denied)).toEqual(['auth_access', 'auth_refresh', 'auth_csrf']);
  });

  it('refuses a cookie-authenticated POST from another site or without the CSRF token (403)', async () => {
    const { cookie, csrf } = await session('cookie-carol');
    const post = (headers: Record<string, string>, body?: string) =>
      fetch(`${url}/api/upload`, { method: 'POST', headers: { cookie, ...headers }, body });
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example', 'x-csrf-token': csrf },
      { 'sec-fetch-site': 'cross-site', 'x-csrf-token': csrf },
      { origin: url },
      { origin: url, 'x-csrf-token': 'A'.repeat(43) },
    ];
    for (const headers of attempts) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'forbidden' });
    }
    expect((await post({ origin: url, 'x-csrf-token': csrf })).status).toBe(200);
    // A parsed form's csrf_token counts as well.
    const form = await fetch(`${url}/form`, {
      method: 'POST',
      headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: csrf }).toString(),
    });
    expect(form.status).toBe(200);
  });

  it('uses only the Authorization header when one is sent (cookies ignored, no CSRF check)', async () => {
    const { cookie } = await session('cookie-dave');
    const tokens = await auth.login({ username: 'cookie-dave', password });
    const spy = vi.spyOn(auth, 'authenticateRequest');
    const bad = await fetch(`${url}/protected`, {
      headers: { cookie, authorization: 'Bearer not-a-token' },
    });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, origin: 'http://evil.example' },
    });
    expect(ok.status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('authErrorHandler in browser mode', () => {
  it('sends a browser without a session to the login page (303, next = the URL asked for)', async () => {
    const res = await fetch(`${url}/protected?tab=1`, {
      headers: { accept: HTML },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/login?next=/protected%3Ftab%3D1');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers other errors of a browser with an HTML page, and API clients with JSON', async () => {
    const { cookie } = await session('cookie-erin');
    const page = await fetch(`${url}/admin`, { headers: { cookie, accept: HTML } });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Access denied');

    const api = await fetch(`${url}/protected`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    expect(await api.json()).toMatchObject({ error: 'unauthorized' });
  });
});
