/** `POST /auth/refresh`: rotation, the grace window, invalid tokens, concurrency. */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectJson, request } from '../http.js';
import { decodeJwt } from '../jwt.js';
import { expectTokens, login, refresh, registerUser } from '../users.js';

/** Refresh cases on an instance with the default grace window (10 s). */
export function refreshCases(example: ExampleRef): void {
  it('rotation: a new token response with a new refresh token; JSON and form both work', async () => {
    const user = await registerUser(example.url, 'rot');
    const first = await login(example.url, user);
    const second = expectTokens(await refresh(example.url, first.refresh_token), 900);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(decodeJwt(second.access_token).payload.sub).toBe(user.id);
    const ok = await request(example.url, '/protected', { token: second.access_token });
    expectJson(ok, 200);
    const third = expectTokens(
      await request(example.url, '/auth/refresh', {
        form: { refresh_token: second.refresh_token },
      }),
    );
    expect(third.refresh_token).not.toBe(second.refresh_token);
  });

  it('a rotated token presented again within the grace window is a benign retry, not theft', async () => {
    const user = await registerUser(example.url, 'grace');
    const first = await login(example.url, user);
    const second = expectTokens(await refresh(example.url, first.refresh_token));
    const retry = expectTokens(await refresh(example.url, first.refresh_token));
    expect(retry.refresh_token).not.toBe(second.refresh_token);
    // The retry superseded the first answer: never two valid descendants.
    expectError(await refresh(example.url, second.refresh_token), 401, 'invalid_grant');
    // The family was not revoked: its newest token still rotates.
    const next = expectTokens(await refresh(example.url, retry.refresh_token));
    expect(next.refresh_token).not.toBe(retry.refresh_token);
  });

  it('a rotated token presented again after its successor was used is theft, even within the window', async () => {
    const first = await login(example.url, await registerUser(example.url, 'moved'));
    const second = expectTokens(await refresh(example.url, first.refresh_token));
    const third = expectTokens(await refresh(example.url, second.refresh_token));
    expectError(await refresh(example.url, first.refresh_token), 401, 'invalid_grant');
    // The whole family is revoked: the newest token stops working too.
    expectError(await refresh(example.url, third.refresh_token), 401, 'invalid_grant');
  });

  it('unknown or malformed refresh tokens → 401 invalid_grant', async () => {
    const session = await login(example.url, await registerUser(example.url, 'badrt'));
    const tokens = [
      randomBytes(32).toString('base64url'),
      'not-a-refresh-token',
      `${session.refresh_token}x`,
      session.refresh_token.slice(1),
      'a'.repeat(600),
      session.access_token,
    ];
    for (const token of tokens) {
      const res = await refresh(example.url, token);
      expectError(res, 401, 'invalid_grant');
      // RFC 9110 §15.5.2: a 401 carries a WWW-Authenticate challenge.
      expect(res.headers.get('www-authenticate'), 'WWW-Authenticate of a 401').toMatch(/^Bearer\b/);
    }
    // The real one is unharmed.
    expectTokens(await refresh(example.url, session.refresh_token));
  });

  it('a missing refresh_token → 400 invalid_request', async () => {
    for (const json of [
      {},
      { refresh_token: '' },
      { refresh_token: 42 },
      { refresh_token: null },
    ]) {
      const res = await request(example.url, '/auth/refresh', { json });
      expectError(res, 400, 'invalid_request');
    }
  });

  it('concurrent refreshes of one token never fork the family', async () => {
    const user = await registerUser(example.url, 'race');
    const first = await login(example.url, user);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => refresh(example.url, first.refresh_token)),
    );
    const winners = answers.filter((res) => res.status === 200).map((res) => expectTokens(res));
    for (const res of answers) {
      if (res.status !== 200) expectError(res, 401, 'invalid_grant');
    }
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const issued = new Set(winners.map((t) => t.refresh_token));
    expect(issued.size).toBe(winners.length);
    // Exactly one descendant is valid, whichever order they are presented in.
    const valid = [];
    for (const tokens of winners) {
      const res = await refresh(example.url, tokens.refresh_token);
      if (res.status === 200) valid.push(expectTokens(res));
      else expectError(res, 401, 'invalid_grant');
    }
    expect(valid).toHaveLength(1);
    // Every descendant belongs to the one family: logging out with any one ends them all.
    const logout = await request(example.url, '/auth/logout', {
      json: { refresh_token: winners[0]!.refresh_token },
    });
    expect(logout.status).toBe(204);
    expectError(await refresh(example.url, valid[0]!.refresh_token), 401, 'invalid_grant');
  });
}
