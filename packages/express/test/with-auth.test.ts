/** `withAuth`: the same checks and answers as the middleware, as one route handler. */
import { randomBytes } from 'node:crypto';
import type { Auth, ManualClock } from '@auth/core';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authErrorHandler, requireAuth, withAuth } from '../src/index.js';
import { makeAuth, type Served, serve, tokenFor } from './helpers.js';

let served: Served | undefined;
afterEach(() => served?.close());

async function app(auth: Auth): Promise<string> {
  const a = express();
  a.get(
    '/protected',
    withAuth(auth, (req, res) => {
      res.json({ userId: req.auth?.userId });
    }),
  );
  a.get(
    '/admin',
    withAuth(
      auth,
      (_req, res) => {
        res.json({ ok: true });
      },
      { role: 'admin' },
    ),
  );
  a.get(
    '/write',
    withAuth(
      auth,
      (_req, res) => {
        res.json({ ok: true });
      },
      { permission: 'posts:write' },
    ),
  );
  a.get(
    '/chained',
    requireAuth(auth),
    withAuth(auth, (_req, res) => {
      res.json({ ok: true });
    }),
  );
  a.get(
    '/async-throws',
    withAuth(auth, async () => {
      throw new Error('handler failure');
    }),
  );
  a.post(
    '/upload',
    withAuth(auth, (_req, res) => {
      res.json({ ok: true });
    }),
  );
  a.use(authErrorHandler(auth));
  a.use(((_error, _req, res, _next) => {
    res.status(500).json({ error: 'internal_error' });
  }) as express.ErrorRequestHandler);
  served = await serve(a);
  return served.url;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('withAuth', () => {
  it('runs the handler with req.auth for a valid bearer token', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const token = await tokenFor(auth, 'bob');
    const res = await fetch(`${url}/protected`, bearer(token));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      userId: (await auth.authenticate(`Bearer ${token}`)).userId,
    });
  });

  it('answers no token, a bad token and an expired one as requireAuth does', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const none = await fetch(`${url}/protected`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    const bad = await fetch(`${url}/protected`, bearer('not-a-token'));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const token = await tokenFor(auth, 'bob');
    (auth.clock as ManualClock).advanceSeconds(3600);
    const expired = await fetch(`${url}/protected`, bearer(token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('token expired');
  });

  it('checks a role and a permission (403 insufficient_scope)', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const user = await tokenFor(auth, 'bob');
    const admin = await tokenFor(auth, 'root', ['admin']);
    const denied = await fetch(`${url}/admin`, bearer(user));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await fetch(`${url}/admin`, bearer(admin))).status).toBe(200);
    expect((await fetch(`${url}/write`, bearer(user))).status).toBe(403);
    expect((await fetch(`${url}/write`, bearer(admin))).status).toBe(200);
  });

  it('verifies on the async path while the keys are not imported yet', async () => {
    const issuer = makeAuth();
    const token = await tokenFor(issuer, 'bob');
    const fresh = makeAuth({ clock: issuer.clock });
    expect(fresh.authenticateSync(`Bearer ${token}`)).toBeUndefined();
    const url = await app(fresh);
    expect((await fetch(`${url}/protected`, bearer(token))).status).toBe(200);
    await served?.close();
    // The same on the async path for a refusal, and for a missing role.
    const other = makeAuth({ clock: issuer.clock });
    const url2 = await app(other);
    expect((await fetch(`${url2}/admin`, bearer(token))).status).toBe(403);
  });

  it('reuses req.auth of an earlier requireAuth', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const token = await tokenFor(auth, 'bob');
    await auth.authenticate(`Bearer ${token}`);
    const spies = [vi.spyOn(auth, 'authenticate'), vi.spyOn(auth, 'authenticateSync')];
    expect((await fetch(`${url}/chained`, bearer(token))).status).toBe(200);
    expect(spies[0]!.mock.calls.length + spies[1]!.mock.calls.length).toBe(1);
  });

  it("passes a handler's rejected promise to the error handlers", async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const token = await tokenFor(auth, 'bob');
    const res = await fetch(`${url}/async-throws`, bearer(token));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error' });
  });
});

describe('withAuth in browser mode', () => {
  it('authenticates by cookie, renews an expired access cookie, refuses a cross-site POST', async () => {
    const auth = makeAuth({ browser: { secureCookies: false } });
    const url = await app(auth);
    const password = 'correct horse battery';
    const user = await auth.register({ username: 'carol', password });
    const tokens = await auth.login({ username: 'carol', password });
    const csrf = randomBytes(32).toString('base64url');
    const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
    const ok = await fetch(`${url}/protected`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ userId: user.id });
    (auth.clock as ManualClock).advanceSeconds(901);
    const renewed = await fetch(`${url}/protected`, { headers: { cookie } });
    expect(renewed.status).toBe(200);
    expect(renewed.headers.getSetCookie().map((c) => c.split('=', 1)[0])).toEqual([
      'auth_access',
      'auth_refresh',
      'auth_csrf',
    ]);
    const evil = await fetch(`${url}/upload`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'x-csrf-token': csrf },
    });
    expect(evil.status).toBe(403);
  });
});
