/** `POST /auth/login`: the token response, the JWT, and failures that reveal nothing. */
import { expect, it } from 'vitest';
import type { ExampleRef, SessionRef } from '../fixture.js';
import { challenge, expectError, request } from '../http.js';
import { AUDIENCE, decodeJwt, ISSUER, nowSeconds } from '../jwt.js';
import { expectTokens, registerUser, uniqueName } from '../users.js';

/** Login cases; `session` is a user logged in with JSON in `beforeAll`. */
export function loginCases(example: ExampleRef, session: SessionRef): void {
  it('JSON login → 200 token response: Bearer, expires_in 900, Cache-Control: no-store', async () => {
    const res = await request(example.url, '/auth/login', {
      json: { username: session.user.username, password: session.user.password },
    });
    const tokens = expectTokens(res, 900);
    expect(tokens.refresh_token).not.toBe(session.tokens.refresh_token);
  });

  it('the access token is a JWT: typ at+jwt, iss, aud, sub = user id, iat, exp, jti, roles', () => {
    const { header, payload } = decodeJwt(session.tokens.access_token);
    expect(header.typ).toBe('at+jwt');
    expect(header.alg).toBe('HS256');
    expect(payload.iss).toBe(ISSUER);
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    expect(aud).toContain(AUDIENCE);
    expect(payload.sub).toBe(session.user.id);
    expect(Number.isInteger(payload.iat)).toBe(true);
    expect(Math.abs((payload.iat as number) - nowSeconds())).toBeLessThan(120);
    expect(payload.exp).toBe((payload.iat as number) + 900);
    expect(payload.jti).toBeTypeOf('string');
    expect((payload.jti as string).length).toBeGreaterThan(0);
    expect(payload.roles).toEqual(['user']);
  });

  it('form-encoded login → the same token response, with a new jti and refresh token', async () => {
    const res = await request(example.url, '/auth/login', {
      form: { username: session.user.username, password: session.user.password },
    });
    const tokens = expectTokens(res, 900);
    const first = decodeJwt(session.tokens.access_token).payload;
    const second = decodeJwt(tokens.access_token).payload;
    expect(second.sub).toBe(first.sub);
    expect(second.jti).not.toBe(first.jti);
    expect(tokens.refresh_token).not.toBe(session.tokens.refresh_token);
  });

  it('wrong password and unknown user → the very same 401 invalid_credentials, WWW-Authenticate: Bearer', async () => {
    const wrong = await request(example.url, '/auth/login', {
      json: { username: session.user.username, password: `${session.user.password}-wrong` },
    });
    const unknown = await request(example.url, '/auth/login', {
      json: { username: uniqueName('ghost'), password: session.user.password },
    });
    for (const res of [wrong, unknown]) {
      expectError(res, 401, 'invalid_credentials');
      expect(challenge(res)?.raw).toBe('Bearer');
      expect(res.text).not.toMatch(/access_token|refresh_token/);
    }
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.text).toBe(wrong.text);
    for (const name of ['www-authenticate', 'content-type', 'cache-control']) {
      expect(unknown.headers.get(name), name).toBe(wrong.headers.get(name));
    }
  });

  it('wrong password and unknown user take about the same time', async () => {
    const user = await registerUser(example.url, 'timing');
    const time = async (username: string) => {
      const started = performance.now();
      const res = await request(example.url, '/auth/login', {
        json: { username, password: 'not-the-password' },
      });
      expectError(res, 401, 'invalid_credentials');
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push(await time(user.username));
      unknown.push(await time(uniqueName('ghost')));
    }
    // Both verify an argon2id hash; a shortcut for unknown users would be ~100× faster.
    const ratio = median(unknown) / median(wrong);
    expect(
      ratio,
      `unknown ${unknown.map(Math.round)} ms, wrong ${wrong.map(Math.round)} ms`,
    ).toBeGreaterThan(0.25);
    expect(
      ratio,
      `unknown ${unknown.map(Math.round)} ms, wrong ${wrong.map(Math.round)} ms`,
    ).toBeLessThan(4);
  });

  it('missing or non-string fields → 400 invalid_request, no token', async () => {
    const bodies: unknown[] = [
      {},
      { username: session.user.username },
      { password: session.user.password },
      { username: '', password: '' },
      { username: 42, password: session.user.password },
      { username: session.user.username, password: { $ne: null } },
    ];
    for (const json of bodies) {
      const res = await request(example.url, '/auth/login', { json });
      expectError(res, 400, 'invalid_request');
      expect(res.text).not.toMatch(/access_token/);
    }
  });
}
