/**
 * Cases that need a differently configured instance: AUTH_ACCESS_TTL=1 (expiry),
 * AUTH_REFRESH_REUSE_GRACE=0 (reuse detection) and AUTH_LOGIN_MAX_ATTEMPTS=3 (rate limit).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectInvalidToken, expectJson, rawRequest, request } from '../http.js';
import { decodeJwt } from '../jwt.js';
import { expectTokens, login, refresh, registerUser, uniqueName } from '../users.js';

/** The environment of the strict instance. */
export const STRICT_ENV = {
  AUTH_ACCESS_TTL: '1',
  AUTH_REFRESH_REUSE_GRACE: '0',
  AUTH_LOGIN_MAX_ATTEMPTS: '3',
  AUTH_LOGIN_WINDOW: '8',
} as const;
const WINDOW = 8;

/** Cases for an instance started with {@link STRICT_ENV}. */
export function strictCases(example: ExampleRef): void {
  it('AUTH_ACCESS_TTL=1: expires_in 1, then 401 error="invalid_token", error_description="token expired"', async () => {
    const user = await registerUser(example.url, 'ttl');
    const res = await request(example.url, '/auth/login', {
      json: { username: user.username, password: user.password },
    });
    const tokens = expectTokens(res, 1);
    const { payload } = decodeJwt(tokens.access_token);
    expect(payload.exp).toBe((payload.iat as number) + 1);
    // Valid before its exp (when there is time left to ask), refused from its exp on
    // (RFC 7519 §4.1.4: the current time "MUST be before" it).
    if (Date.now() < (payload.exp as number) * 1000 - 200) {
      expectJson(await request(example.url, '/protected', { token: tokens.access_token }), 200);
    }
    await sleep(Math.max(0, (payload.exp as number) * 1000 + 20 - Date.now()));
    for (const path of ['/protected', '/auth/me']) {
      expectInvalidToken(
        await request(example.url, path, { token: tokens.access_token }),
        'token expired',
      );
    }
    // The refresh token outlives the access token.
    const next = expectTokens(await refresh(example.url, tokens.refresh_token), 1);
    expectJson(await request(example.url, '/protected', { token: next.access_token }), 200);
  });

  it('reuse of a rotated refresh token after the grace window → 401 invalid_grant and the family is revoked', async () => {
    const user = await registerUser(example.url, 'reuse');
    const first = await login(example.url, user);
    const second = expectTokens(await refresh(example.url, first.refresh_token));
    expectError(await refresh(example.url, first.refresh_token), 401, 'invalid_grant');
    // The newest token of the family stops working too.
    expectError(await refresh(example.url, second.refresh_token), 401, 'invalid_grant');
    // A new login is a new family and works.
    expectTokens(await refresh(example.url, (await login(example.url, user)).refresh_token));
  });

  it('concurrent refreshes of one token yield at most one valid descendant', async () => {
    const user = await registerUser(example.url, 'race');
    const first = await login(example.url, user);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => refresh(example.url, first.refresh_token)),
    );
    const winners = answers.filter((res) => res.status === 200).map((res) => expectTokens(res));
    for (const res of answers) {
      if (res.status !== 200) expectError(res, 401, 'invalid_grant');
    }
    expect(winners.length).toBeLessThanOrEqual(1);
    let live = 0;
    for (const tokens of winners) {
      const res = await refresh(example.url, tokens.refresh_token);
      if (res.status === 200) live++;
      else expectError(res, 401, 'invalid_grant');
    }
    expect(live).toBeLessThanOrEqual(1);
  });

  it('AUTH_LOGIN_MAX_ATTEMPTS=3: a burst of 10 wrong passwords sent at once → at most 3 checked, the rest 429; then the right one 429', async () => {
    const user = await registerUser(example.url, 'burst');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(example.url, '/auth/login', {
          json: { username: user.username, password: `wrong-${i}-password` },
        }),
      ),
    );
    const refused = answers.filter((res) => res.status === 401);
    const limited = answers.filter((res) => res.status === 429);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(refused.length + limited.length).toBe(10);
    for (const res of refused) expectError(res, 401, 'invalid_credentials');
    for (const res of limited) expectError(res, 429, 'rate_limited');
    const right = await request(example.url, '/auth/login', {
      json: { username: user.username, password: user.password },
    });
    expectError(right, 429, 'rate_limited');
  });

  it('AUTH_LOGIN_MAX_ATTEMPTS=3: 3 failures, then 429 rate_limited with Retry-After, even for the right password, until AUTH_LOGIN_WINDOW passes', async () => {
    const user = await registerUser(example.url, 'limited');
    const bystander = await registerUser(example.url, 'bystander');
    const attempt = (password: string, headers: Record<string, string> = {}) =>
      request(example.url, '/auth/login', { json: { username: user.username, password }, headers });
    for (let i = 0; i < 3; i++) {
      expectError(await attempt(`wrong-password-${i}`), 401, 'invalid_credentials');
    }
    for (const password of ['wrong-password-4', user.password]) {
      const res = await attempt(password);
      expectError(res, 429, 'rate_limited');
      const retryAfter = res.headers.get('retry-after');
      expect(retryAfter, 'Retry-After').toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW);
      expect(res.text).not.toMatch(/access_token/);
    }
    // The same login through the token endpoint and form encoding is limited too.
    const viaToken = await request(example.url, '/auth/token', {
      form: { grant_type: 'password', username: user.username, password: user.password },
    });
    expectError(viaToken, 429, 'rate_limited');
    expect(viaToken.headers.get('retry-after')).toMatch(/^\d+$/);
    // Forwarded headers do not make the same client another one.
    const spoofed = await attempt(user.password, {
      'x-forwarded-for': '203.0.113.7',
      'x-real-ip': '203.0.113.7',
      forwarded: 'for=203.0.113.7',
    });
    expectError(spoofed, 429, 'rate_limited');
    // Other usernames from the same client are not affected.
    await login(example.url, bystander);
    expectError(
      await request(example.url, '/auth/login', {
        json: { username: uniqueName('ghost'), password: 'some-password' },
      }),
      401,
      'invalid_credentials',
    );
    // Another client (another loopback address) is not affected.
    const body = Buffer.from(JSON.stringify({ username: user.username, password: user.password }));
    const other = await rawRequest(example.url, '/auth/login', {
      localAddress: '127.0.0.2',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      chunks: [body],
    });
    expectTokens(other, 1);
    // When the window has passed, the right password works again from this client.
    const last = await attempt(user.password);
    if (last.status === 429) {
      await sleep(Number(last.headers.get('retry-after')) * 1000 + 300);
      expectTokens(await attempt(user.password), 1);
    } else {
      expectTokens(last, 1);
    }
  });
}
