import { AuthConfigError, AuthError, type ManualClock } from '@auth/core';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authErrorHandler,
  requireAuth,
  requirePermission,
  requireRole,
  withAuth,
} from '../src/index.js';
import { makeAuth, type Served, serve, tokenFor } from './helpers.js';

const auth = makeAuth();
let served: Served;
let url: string;
let user: string;
let admin: string;

const internal: ErrorRequestHandler = (_error, _req, res, _next) => {
  res.status(500).json({ error: 'internal_error' });
};

beforeEach(async () => {
  const app = express();
  app.get('/protected', requireAuth(auth), (req, res) => {
    res.json({ userId: req.auth?.userId, roles: req.auth?.roles });
  });
  app.post('/upload', requireAuth(auth), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/admin', requireRole(auth, 'admin'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/chained', requireAuth(auth), requireRole(auth, 'user'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/write', requirePermission(auth, 'posts:write'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/throws/auth', () => {
    throw new AuthError('rate_limited', { retryAfter: 30 });
  });
  app.get('/throws/other', () => {
    throw new Error('database password is hunter2');
  });
  app.use(authErrorHandler(auth));
  app.use(internal);
  served = await serve(app);
  url = served.url;
});
afterEach(() => served.close());

const get = (path: string, token?: string, scheme = 'Bearer') =>
  fetch(`${url}${path}`, token ? { headers: { authorization: `${scheme} ${token}` } } : {});

describe('requireAuth', () => {
  beforeEach(async () => {
    user ??= await tokenFor(auth, 'bob');
  });

  it('answers 401 with a plain Bearer challenge without credentials or with another scheme', async () => {
    for (const res of [await get('/protected'), await get('/protected', 'abc', 'Basic')]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="test"');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('answers 401 invalid_token for a bad token, and says when it expired', async () => {
    const bad = await get('/protected', `${user}x`);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    const clockAuth = makeAuth();
    const token = await tokenFor(clockAuth, 'carol');
    const app = express();
    app.get('/p', requireAuth(clockAuth), (_req, res) => {
      res.end();
    });
    app.use(authErrorHandler(clockAuth));
    const other = await serve(app);
    (clockAuth.clock as ManualClock).advance(3600 * 1000);
    const expired = await fetch(`${other.url}/p`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await other.close();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error_description="token expired"');
  });

  it('sets req.auth to the principal, with the scheme matched without regard to case', async () => {
    const res = await get('/protected', user, 'bearer');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { userId: string; roles: string[] };
    expect(body.roles).toEqual(['user']);
    expect((await auth.users.findByUsername('bob'))?.id).toBe(body.userId);
  });

  it('refuses without reading the body of the request', async () => {
    let read = -1;
    served.server.once('request', (req, res) => {
      res.on('finish', () => {
        read = req.socket.bytesRead;
      });
    });
    const res = await fetch(`${url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(10 * 1024 * 1024),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('connection')).toBe('close');
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(1024 * 1024);
  });

  it('reads an unread body of allowed size before refusing, so the answer always arrives', async () => {
    for (let i = 0; i < 30; i++) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(32 * 1024)]), 'file.bin');
      const res = await fetch(`${url}/upload`, { method: 'POST', body: form });
      expect(res.status, `try ${i + 1}`).toBe(401);
      expect(res.headers.get('connection'), `try ${i + 1}`).toBe('keep-alive');
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });
});

describe('requireRole and requirePermission', () => {
  beforeEach(async () => {
    user ??= await tokenFor(auth, 'dave');
    admin ??= await tokenFor(auth, 'erin', ['admin']);
  });

  it('answers 403 insufficient_scope without the role and 200 with it', async () => {
    const denied = await get('/admin', user);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect(await denied.json()).toMatchObject({ error: 'insufficient_scope' });
    expect((await get('/admin', admin)).status).toBe(200);
    expect((await get('/admin')).status).toBe(401);
  });

  it('checks permissions, inherited ones included', async () => {
    expect((await get('/write', user)).status).toBe(403);
    expect((await get('/write', admin)).status).toBe(200);
  });

  it('reuses req.auth set by an earlier requireAuth instead of verifying again', async () => {
    const spies = [vi.spyOn(auth, 'authenticate'), vi.spyOn(auth, 'authenticateSync')];
    expect((await get('/chained', admin)).status).toBe(200);
    const verified = spies.map((s) => s.mock.results.filter((r) => r.value !== undefined).length);
    expect(verified[0]! + verified[1]!).toBe(1);
    for (const spy of spies) spy.mockRestore();
  });
});

describe('authErrorHandler', () => {
  it('answers an AuthError thrown by a route with its status and headers', async () => {
    const res = await get('/throws/auth');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('leaves other errors to the next error handler', async () => {
    const res = await get('/throws/other');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('hunter2');
  });
});

describe('several auth instances in one app', () => {
  it("a guard verifies again a principal that another instance set: the other's roles grant nothing here", async () => {
    const partner = makeAuth({ issuer: 'urn:partner' });
    const staff = makeAuth({ issuer: 'urn:staff' });
    const partnerAdmin = await tokenFor(partner, 'pat', ['admin']);
    const staffAdmin = await tokenFor(staff, 'sam', ['admin']);
    const app = express();
    app.use('/partner', requireAuth(partner));
    app.get('/partner/staff-admin', requireRole(staff, 'admin'), (_req, res) => {
      res.json({ ok: true });
    });
    app.use(authErrorHandler(staff));
    const s = await serve(app);
    try {
      const as = (token: string) =>
        fetch(`${s.url}/partner/staff-admin`, { headers: { authorization: `Bearer ${token}` } });
      // The partner's admin passes the partner's guard, then staff's check refuses its token.
      const refused = await as(partnerAdmin);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
      // A staff token is refused by the partner's guard before it gets there.
      expect((await as(staffAdmin)).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('auth.verified tells its own principals from those of another instance', async () => {
    const other = makeAuth({ issuer: 'urn:other' });
    const own = await auth.authenticate(`Bearer ${await tokenFor(auth, 'vera')}`);
    const foreign = await other.authenticate(`Bearer ${await tokenFor(other, 'vera')}`);
    expect(auth.verified(own)).toBe(true);
    expect(auth.verified(foreign)).toBe(false);
    expect(auth.verified({ ...own })).toBe(false);
  });
});

describe('misuse is refused when the app is built', () => {
  it('requireRole and requirePermission without a role or permission throw', () => {
    const none: string[] = [];
    expect(() => requireRole(auth, ...(none as [string]))).toThrow(/at least one role/);
    expect(() => requirePermission(auth, ...(none as [string]))).toThrow(/at least one permission/);
  });

  it('a guard naming a role or permission the roles option lacks throws when it is created', () => {
    expect(() => requireRole(auth, 'amdin')).toThrow(/role "amdin"/);
    expect(() => requirePermission(auth, 'users:wirte')).toThrow(/permission "users:wirte"/);
    expect(() => withAuth(auth, (_req, res) => res.end(), { role: 'amdin' })).toThrow(
      AuthConfigError,
    );
    expect(() => requireRole(auth, 'admin')).not.toThrow();
  });

  it('a guard given something other than the auth instance throws', () => {
    const notAuth = {} as unknown as typeof auth;
    expect(() => requireAuth(notAuth)).toThrow(TypeError);
    expect(() => requireRole(undefined as unknown as typeof auth, 'admin')).toThrow(
      /pass the auth instance/,
    );
  });
});
