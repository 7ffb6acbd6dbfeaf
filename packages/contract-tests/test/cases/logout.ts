/** `POST /auth/logout`: one family, the bearer's session, every session; always 204. */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectJson, expectNosniff, type HttpResponse, request } from '../http.js';
import { expectTokens, login, refresh, registerUser } from '../users.js';

function expect204(res: HttpResponse): void {
  expect(res.status, `${res.label} → ${res.status} ${res.text}`).toBe(204);
  expect(res.text).toBe('');
  // No body, so no Content-Type either.
  expect(res.headers.get('content-type'), `Content-Type of ${res.label}`).toBeNull();
  // RFC 9110 §8.6: a server MUST NOT send Content-Length in a 204.
  expect(res.headers.get('content-length'), `Content-Length of ${res.label}`).toBeNull();
  expectNosniff(res);
}

/** Logout cases. */
export function logoutCases(example: ExampleRef): void {
  it('logout with a refresh token → 204 and the family is revoked', async () => {
    const user = await registerUser(example.url, 'out');
    const first = await login(example.url, user);
    const second = expectTokens(await refresh(example.url, first.refresh_token));
    // Logging out with an older token of the family revokes the whole family.
    expect204(
      await request(example.url, '/auth/logout', { json: { refresh_token: first.refresh_token } }),
    );
    expectError(await refresh(example.url, second.refresh_token), 401, 'invalid_grant');
    expectError(await refresh(example.url, first.refresh_token), 401, 'invalid_grant');
  });

  it('logout → 204 also for unknown, malformed or missing tokens', async () => {
    const bodies: Array<Parameters<typeof request>[2]> = [
      { json: { refresh_token: randomBytes(32).toString('base64url') } },
      { json: { refresh_token: 'garbage' } },
      { form: { refresh_token: randomBytes(32).toString('base64url') } },
      { json: {} },
      { method: 'POST' },
    ];
    for (const options of bodies) expect204(await request(example.url, '/auth/logout', options));
  });

  it('logout with only a bearer token → 204 and that session is revoked', async () => {
    const user = await registerUser(example.url, 'outb');
    const tokens = await login(example.url, user);
    expect204(
      await request(example.url, '/auth/logout', { method: 'POST', token: tokens.access_token }),
    );
    expectError(await refresh(example.url, tokens.refresh_token), 401, 'invalid_grant');
  });

  it('logout with a bearer token and {"all":true} → 204 and every session of the user is revoked', async () => {
    const user = await registerUser(example.url, 'outall');
    const other = await registerUser(example.url, 'bystander');
    const a = await login(example.url, user);
    const b = await login(example.url, user);
    const c = await login(example.url, other);
    expect204(
      await request(example.url, '/auth/logout', { json: { all: true }, token: a.access_token }),
    );
    expectError(await refresh(example.url, a.refresh_token), 401, 'invalid_grant');
    expectError(await refresh(example.url, b.refresh_token), 401, 'invalid_grant');
    // Another user's session is untouched.
    expectTokens(await refresh(example.url, c.refresh_token));
    expectJson(await request(example.url, '/protected', { token: c.access_token }), 200);
  });

  it('logout {"all":true} without a valid bearer token → 204 all the same, and revokes nothing', async () => {
    const session = await login(example.url, await registerUser(example.url, 'outnone'));
    for (const token of [undefined, 'not.a.token', `${session.access_token}x`]) {
      expect204(await request(example.url, '/auth/logout', { json: { all: true }, token }));
    }
    expectTokens(await refresh(example.url, session.refresh_token));
  });
}
