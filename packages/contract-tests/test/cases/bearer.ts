/** Bearer authentication on `/protected`, `/admin` and `/auth/me`. */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ExampleRef, SessionRef } from '../fixture.js';
import { ADMIN } from '../harness.js';
import {
  challenge,
  expectError,
  expectInvalidToken,
  expectJson,
  expectNoCredentials,
  rawRequest,
  request,
} from '../http.js';
import { decodeJwt, forgeJwt, goodClaims, nowSeconds } from '../jwt.js';
import { login } from '../users.js';

const PROTECTED = { message: 'protected resource' };

/** Bearer cases; `session` is a logged-in user with the role `user` only. */
export function bearerCases(example: ExampleRef, session: SessionRef): void {
  const get = (path: string, authorization?: string) =>
    request(example.url, path, authorization ? { headers: { authorization } } : {});

  it('GET /protected with a valid token → 200 {"message":"protected resource"}', async () => {
    const res = await get('/protected', `Bearer ${session.tokens.access_token}`);
    expectJson(res, 200);
    expect(res.body).toEqual(PROTECTED);
  });

  it('the scheme is matched without regard to case (bearer, BEARER, bEaReR)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const res = await get('/protected', `${scheme} ${session.tokens.access_token}`);
      expectJson(res, 200);
      expect(res.body).toEqual(PROTECTED);
    }
  });

  it('no credentials → 401, WWW-Authenticate: Bearer realm="…" without an error code', async () => {
    for (const path of ['/protected', '/admin', '/auth/me']) {
      expectNoCredentials(await get(path));
    }
  });

  it('another scheme (Basic, Token, Digest) → 401 Bearer realm="…", no error code', async () => {
    const basic = Buffer.from(`${session.user.username}:${session.user.password}`).toString(
      'base64',
    );
    for (const authorization of [
      `Basic ${basic}`,
      `Token ${session.tokens.access_token}`,
      'Digest username="x"',
    ]) {
      expectNoCredentials(await get('/protected', authorization));
    }
  });

  it('a token in the query string is not accepted', async () => {
    const token = encodeURIComponent(session.tokens.access_token);
    for (const path of [`/protected?access_token=${token}`, `/auth/me?access_token=${token}`]) {
      expectNoCredentials(await get(path));
    }
  });

  it('a malformed token → 401 WWW-Authenticate: Bearer error="invalid_token", error_description', async () => {
    for (const token of ['not-a-jwt', 'a.b.c', 'abc!!def', `${session.tokens.access_token}x`]) {
      expectInvalidToken(await get('/protected', `Bearer ${token}`));
    }
  });

  it('a forged token that differs from a valid one in one way → 401 invalid_token', async () => {
    const sub = session.user.id;
    const now = nowSeconds();
    // The control: forged exactly like the app signs, it is accepted.
    const control = await get('/protected', `Bearer ${forgeJwt({ claims: goodClaims(sub) })}`);
    expectJson(control, 200);
    const omit = (name: string) => {
      const claims = goodClaims(sub);
      delete claims[name];
      return claims;
    };
    const bad: Array<[string, string]> = [
      [
        'badly signed',
        forgeJwt({ claims: goodClaims(sub), secret: 'another-secret-that-is-32-bytes-long!!' }),
      ],
      ['expired', forgeJwt({ claims: { ...goodClaims(sub), iat: now - 600, exp: now - 60 } })],
      ['not yet valid', forgeJwt({ claims: { ...goodClaims(sub), nbf: now + 600 } })],
      ['wrong iss', forgeJwt({ claims: { ...goodClaims(sub), iss: 'urn:someone-else' } })],
      ['wrong aud', forgeJwt({ claims: { ...goodClaims(sub), aud: 'urn:other-api' } })],
      ['typ JWT', forgeJwt({ header: { alg: 'HS256', typ: 'JWT' }, claims: goodClaims(sub) })],
      ['no typ', forgeJwt({ header: { alg: 'HS256' }, claims: goodClaims(sub) })],
      [
        'alg none',
        forgeJwt({
          header: { alg: 'none', typ: 'at+jwt' },
          claims: goodClaims(sub),
          unsigned: true,
        }),
      ],
      [
        'alg HS512',
        forgeJwt({
          header: { alg: 'HS512', typ: 'at+jwt' },
          claims: goodClaims(sub),
          hash: 'sha512',
        }),
      ],
      ['no exp', forgeJwt({ claims: omit('exp') })],
      ['no sub', forgeJwt({ claims: omit('sub') })],
    ];
    for (const [why, token] of bad) {
      const res = await get('/protected', `Bearer ${token}`);
      expect(res.status, `${why}: ${res.text}`).toBe(401);
      expectInvalidToken(res);
    }
    const expired = await get('/protected', `Bearer ${bad[1]![1]}`);
    expectInvalidToken(expired, 'token expired');
  });

  it('GET /admin with a valid token without the role → 403 Bearer error="insufficient_scope"', async () => {
    const res = await get('/admin', `Bearer ${session.tokens.access_token}`);
    expectError(res, 403, 'insufficient_scope');
    const c = challenge(res);
    expect(c?.scheme).toBe('Bearer');
    expect(c?.params.error).toBe('insufficient_scope');
  });

  it('GET /admin with a bad token → 401 invalid_token, not 403', async () => {
    expectInvalidToken(await get('/admin', 'Bearer not-a-jwt'));
  });

  it('two Authorization headers → 401 invalid_token everywhere, whichever comes first', async () => {
    const admin = await login(example.url, ADMIN);
    const user = `Bearer ${session.tokens.access_token}`;
    for (const pair of [
      [`Bearer ${admin.access_token}`, user],
      [user, `Bearer ${admin.access_token}`],
      [user, user],
    ]) {
      for (const path of ['/admin', '/protected', '/auth/me']) {
        const res = await rawRequest(example.url, path, {
          method: 'GET',
          headers: { authorization: pair },
        });
        expectInvalidToken(res);
      }
    }
  });

  it('the seeded admin (AUTH_ADMIN_USERNAME/PASSWORD) → GET /admin 200 {"message":"admin only content"}', async () => {
    const tokens = await login(example.url, ADMIN);
    expect(decodeJwt(tokens.access_token).payload.roles).toContain('admin');
    const res = await get('/admin', `Bearer ${tokens.access_token}`);
    expectJson(res, 200);
    expect(res.body).toEqual({ message: 'admin only content' });
    const protectedRes = await get('/protected', `Bearer ${tokens.access_token}`);
    expectJson(protectedRes, 200);
    const me = await get('/auth/me', `Bearer ${tokens.access_token}`);
    expectJson(me, 200);
    expect((me.body as { username: string }).username).toBe(ADMIN.username);
    expect((me.body as { roles: string[] }).roles).toContain('admin');
  });

  it("the app's own routes send the JSON type of the auth routes: application/json; charset=utf-8", async () => {
    const admin = await login(example.url, ADMIN);
    const me = await get('/auth/me', `Bearer ${session.tokens.access_token}`);
    expectJson(me, 200);
    expect(me.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const cases: Array<[string, string | undefined]> = [
      ['/ping', undefined],
      ['/protected', session.tokens.access_token],
      ['/admin', admin.access_token],
    ];
    for (const [path, token] of cases) {
      const res = await get(path, token && `Bearer ${token}`);
      expectJson(res, 200);
      expect(res.headers.get('content-type'), `Content-Type of ${res.label}`).toBe(
        'application/json; charset=utf-8',
      );
    }
  });

  it('GET /auth/me → 200 {"id","username","roles"} and nothing else', async () => {
    const res = await get('/auth/me', `Bearer ${session.tokens.access_token}`);
    expectJson(res, 200);
    expect(res.body).toEqual({
      id: session.user.id,
      username: session.user.username,
      roles: ['user'],
    });
  });

  it('GET /auth/me for a user that does not exist → 401', async () => {
    const token = forgeJwt({ claims: goodClaims(randomUUID()) });
    const res = await get('/auth/me', `Bearer ${token}`);
    expectError(res, 401);
    expect(challenge(res)?.scheme).toBe('Bearer');
    expectInvalidToken(await get('/auth/me', 'Bearer not-a-jwt'));
  });
}
