import type { Auth } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createAuthHandler, sendAuthError } from '../src/index.js';
import { postJson, type Served, serve, testAuth } from './helpers.js';

let auth: Auth;
let app: Served;
let tokens: { user: string; admin: string };

async function tokenOf(username: string) {
  const res = await postJson(`${app.url}/auth/login`, { username, password: 'password-1' });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  auth = testAuth();
  const authRoutes = createAuthHandler(auth);
  app = await serve(async (req, res) => {
    try {
      if (await authRoutes(req, res)) return;
      const principal = await authenticate(auth, req);
      if (req.url === '/admin') auth.authorize(principal, { role: 'admin' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ userId: principal.userId }));
    } catch (error) {
      sendAuthError(res, error, auth.realm);
    }
  });
  await auth.register({ username: 'alice', password: 'password-1' });
  const root = await auth.register({ username: 'root', password: 'password-1' });
  await auth.users.setRoles(root.id, ['admin']);
  tokens = { user: await tokenOf('alice'), admin: await tokenOf('root') };
});
afterAll(() => app.close());

const get = (path: string, authorization?: string) =>
  fetch(`${app.url}${path}`, { headers: authorization ? { authorization } : {} });

describe('authenticate + sendAuthError', () => {
  it('200 with a valid bearer token, the scheme in any case', async () => {
    const res = await get('/protected', `bEaReR ${tokens.user}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: expect.any(String) });
  });

  it('401 with a plain realm challenge without credentials or with another scheme', async () => {
    for (const header of [undefined, 'Basic YWxpY2U6cGFzc3dvcmQ=']) {
      const res = await get('/protected', header);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${auth.realm}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('401 invalid_token for a bad token', async () => {
    const res = await get('/protected', `Bearer ${tokens.user.slice(0, -4)}AAAA`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('ignores a token in the query string', async () => {
    const res = await get(`/protected?access_token=${tokens.user}`);
    expect(res.status).toBe(401);
  });

  it('403 insufficient_scope without the role, 200 with it', async () => {
    const denied = await get('/admin', `Bearer ${tokens.user}`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect((await get('/admin', `Bearer ${tokens.admin}`)).status).toBe(200);
  });

  it('reads only the header: no request body is touched', async () => {
    const principal = await authenticate(auth, {
      headers: { authorization: `Bearer ${tokens.user}` },
    });
    expect(principal.roles).toEqual(['user']);
  });
});
