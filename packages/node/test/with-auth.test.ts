/** `withAuth`: authentication, the requirement and the core's error answers for one route. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type Auth, argon2id, createAuth, manualClock, memoryStorage } from '@auth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withAuth } from '../src/index.js';
import { type Served, serve } from './helpers.js';

const password = 'correct horse battery staple';
let served: Served | undefined;
afterEach(() => served?.close());

function makeAuth(clock = manualClock(), browser = false): Auth {
  return createAuth({
    issuer: 'urn:test:issuer',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    clock,
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'], permissions: ['users:write'] }, user: {} },
    realm: 'test',
    ...(browser ? { browser: { secureCookies: false } } : {}),
  });
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function app(auth: Auth): Promise<string> {
  const routes: Record<string, ReturnType<typeof withAuth>> = {
    '/protected': withAuth(auth, (_req, res, p) => json(res, { userId: p.userId })),
    '/admin': withAuth(auth, (_req, res) => json(res, { ok: true }), { role: 'admin' }),
    '/write': withAuth(auth, (_req, res) => json(res, { ok: true }), { permission: 'users:write' }),
    '/async': withAuth(auth, async (_req, res, p) => {
      await Promise.resolve();
      json(res, { roles: p.roles });
    }),
  };
  served = await serve((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) return void route(req, res);
    res.writeHead(404).end();
  });
  return served.url;
}

async function tokenFor(auth: Auth, username: string, roles?: string[]) {
  const user = await auth.register({ username, password });
  if (roles) await auth.users.setRoles(user.id, roles);
  return (await auth.login({ username, password })).access_token;
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('withAuth', () => {
  it('runs the handler with the principal for a valid bearer token', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const token = await tokenFor(auth, 'alice');
    const res = await fetch(`${url}/protected`, bearer(token));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      userId: (await auth.authenticate(`Bearer ${token}`)).userId,
    });
    const later = await fetch(`${url}/async`, bearer(token));
    expect(await later.json()).toEqual({ roles: ['user'] });
  });

  it("answers no token, a bad one and an expired one with the core's 401", async () => {
    const clock = manualClock();
    const auth = makeAuth(clock);
    const url = await app(auth);
    const none = await fetch(`${url}/protected`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="test"');
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    const bad = await fetch(`${url}/protected`, bearer('not-a-token'));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const token = await tokenFor(auth, 'alice');
    clock.advanceSeconds(3600);
    const expired = await fetch(`${url}/protected`, bearer(token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('token expired');
  });

  it('answers 403 insufficient_scope without the role or the permission', async () => {
    const auth = makeAuth();
    const url = await app(auth);
    const user = await tokenFor(auth, 'alice');
    const admin = await tokenFor(auth, 'root', ['admin']);
    const denied = await fetch(`${url}/admin`, bearer(user));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: 'insufficient_scope' });
    expect((await fetch(`${url}/admin`, bearer(admin))).status).toBe(200);
    expect((await fetch(`${url}/write`, bearer(user))).status).toBe(403);
    expect((await fetch(`${url}/write`, bearer(admin))).status).toBe(200);
  });

  it('verifies on the async path while the keys are not imported yet', async () => {
    const clock = manualClock();
    const token = await tokenFor(makeAuth(clock), 'alice');
    const fresh = makeAuth(clock);
    expect(fresh.authenticateSync(`Bearer ${token}`)).toBeUndefined();
    const url = await app(fresh);
    expect((await fetch(`${url}/protected`, bearer(token))).status).toBe(200);
  });

  it('authenticates a browser by its cookies and renews an expired access cookie', async () => {
    const clock = manualClock();
    const auth = makeAuth(clock, true);
    const url = await app(auth);
    const user = await auth.register({ username: 'carol', password });
    const tokens = await auth.login({ username: 'carol', password });
    const csrf = randomBytes(32).toString('base64url');
    const cookie = `auth_access=${tokens.access_token}; auth_refresh=${tokens.refresh_token}; auth_csrf=${csrf}`;
    clock.advanceSeconds(901);
    const res = await fetch(`${url}/protected`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: user.id });
    expect(res.headers.getSetCookie().map((c) => c.split('=', 1)[0])).toEqual([
      'auth_access',
      'auth_refresh',
      'auth_csrf',
    ]);
    const page = await fetch(`${url}/admin`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/auth\/login\?next=/);
  });
});

describe('withAuth and the roles option', () => {
  it('throws when created with a role or permission the roles option does not define', () => {
    const auth = makeAuth();
    const handler = (_req: unknown, res: ServerResponse) => json(res, {});
    expect(() => withAuth(auth, handler, { role: 'amdin' })).toThrow(/role "amdin"/);
    expect(() => withAuth(auth, handler, { permission: 'users:wirte' })).toThrow(
      /permission "users:wirte"/,
    );
    expect(() =>
      withAuth(auth, handler, { role: 'admin', permission: 'users:write' }),
    ).not.toThrow();
  });
});
