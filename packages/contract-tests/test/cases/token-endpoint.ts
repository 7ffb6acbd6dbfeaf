/** `POST /auth/token`, the OAuth 2.0 token endpoint (RFC 6749 §4.3, §6, §5.2). */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, request } from '../http.js';
import { decodeJwt } from '../jwt.js';
import { expectTokens, registerUser, uniqueName } from '../users.js';

/** Token-endpoint cases. */
export function tokenEndpointCases(example: ExampleRef): void {
  const token = (form: Record<string, string>) => request(example.url, '/auth/token', { form });

  it('grant_type=password → 200 token response; grant_type=refresh_token → 200 with a new refresh token', async () => {
    const user = await registerUser(example.url, 'oauth');
    const first = expectTokens(
      await token({ grant_type: 'password', username: user.username, password: user.password }),
      900,
    );
    expect(decodeJwt(first.access_token).payload.sub).toBe(user.id);
    const second = expectTokens(
      await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
      900,
    );
    expect(second.refresh_token).not.toBe(first.refresh_token);
  });

  it('errors are RFC 6749 §5.2: 400 invalid_request, invalid_grant, unsupported_grant_type', async () => {
    const cases: Array<[Record<string, string> | string, string]> = [
      [{}, 'invalid_request'],
      [{ username: 'someone', password: 'something' }, 'invalid_request'],
      [{ grant_type: 'password', username: uniqueName('oa') }, 'invalid_request'],
      [{ grant_type: 'password', password: 'some-password' }, 'invalid_request'],
      [{ grant_type: 'refresh_token' }, 'invalid_request'],
      [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
      [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
      [
        { grant_type: 'refresh_token', refresh_token: randomBytes(32).toString('base64url') },
        'invalid_grant',
      ],
      [{ grant_type: 'refresh_token', refresh_token: 'garbage' }, 'invalid_grant'],
      [
        { grant_type: 'password', username: uniqueName('nobody'), password: 'wrong-password' },
        'invalid_grant',
      ],
      // A repeated parameter (RFC 6749 §3.2).
      [
        'grant_type=password&grant_type=password&username=a-user&password=a-password',
        'invalid_request',
      ],
    ];
    for (const [form, code] of cases) {
      const res =
        typeof form === 'string'
          ? await request(example.url, '/auth/token', {
              body: form,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            })
          : await token(form);
      expectError(res, 400, code);
      expect(res.text).not.toMatch(/access_token/);
    }
  });

  it('takes the form encoding only (RFC 6749 §4.3): JSON → 400 invalid_request (§5.2), no token', async () => {
    const user = await registerUser(example.url, 'oajson');
    const res = await request(example.url, '/auth/token', {
      json: { grant_type: 'password', username: user.username, password: user.password },
    });
    expectError(res, 400, 'invalid_request');
    expect(res.text).not.toMatch(/access_token/);
  });

  it('a scope it cannot grant → 400 invalid_scope (RFC 6749 §3.3, §5.2); an empty one is no scope', async () => {
    const user = await registerUser(example.url, 'oascope');
    const password = { grant_type: 'password', username: user.username, password: user.password };
    const refused = await token({ ...password, scope: 'admin' });
    expectError(refused, 400, 'invalid_scope');
    expect(refused.text).not.toMatch(/access_token/);
    const tokens = expectTokens(await token({ ...password, scope: '' }), 900);
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    expectError(await token({ ...refresh, scope: 'admin' }), 400, 'invalid_scope');
    // The refused request spent nothing: the refresh token still rotates.
    expectTokens(await token(refresh), 900);
  });
}
