import { describe, expect, it } from 'vitest';
import { AuthConfigError, AuthError } from '../src/errors.js';
import type { PasswordHasher } from '../src/password/types.js';
import { hashRefreshToken } from '../src/tokens/refresh-token.js';
import { cheapHasher, harness, registerAndLogin } from './helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    return (e as AuthError).code;
  }
  throw new Error('expected a rejection');
}

/** The cheap test hasher, counting its verifications. */
function countingHasher(): PasswordHasher & { readonly verifications: number } {
  const inner = cheapHasher();
  let verifications = 0;
  return {
    hash: inner.hash,
    verify: (hash, password) => {
      verifications++;
      return inner.verify(hash, password);
    },
    needsRehash: inner.needsRehash,
    get verifications() {
      return verifications;
    },
  };
}

describe('register', () => {
  it('canonicalises usernames: trimmed, NFKC, case-insensitive', async () => {
    const h = harness();
    const user = await h.auth.register({ username: '  Ａlice ', password: 'password-1' });
    expect(user).toEqual({ id: expect.any(String), username: 'Alice', roles: ['user'] });
    expect(await codeOf(h.auth.register({ username: 'alice', password: 'password-1' }))).toBe(
      'username_taken',
    );
    expect(await codeOf(h.auth.register({ username: 'ALICE', password: 'password-1' }))).toBe(
      'username_taken',
    );
  });

  it('ignores other fields, so a client cannot give itself roles', async () => {
    const h = harness();
    const input = {
      username: 'mallory',
      password: 'password-1',
      roles: ['admin'],
      disabled: false,
    };
    expect((await h.auth.register(input)).roles).toEqual(['user']);
  });

  it('validates lengths with field-level issues', async () => {
    const h = harness();
    for (const input of [
      { username: 'ab', password: 'password-1' },
      { username: 'x'.repeat(65), password: 'password-1' },
      { username: 'bob', password: 'short' },
      { username: 'bob', password: 'p'.repeat(1025) },
      { username: 'bob' },
      { username: 42, password: 'password-1' },
    ]) {
      const error = await h.auth.register(input as never).catch((e: AuthError) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('invalid_request');
      expect((error as AuthError).issues?.length).toBeGreaterThan(0);
    }
  });

  it('says what is wrong with each field, once, in plain words', async () => {
    const h = harness();
    const issues = async (input: unknown) =>
      ((await h.auth.register(input as never).catch((e: AuthError) => e)) as AuthError).issues;
    expect(await issues({ username: 'bob', password: 12345678 })).toEqual([
      { path: 'password', message: 'must be a string' },
    ]);
    expect(await issues({ username: 'bob' })).toEqual([
      { path: 'password', message: 'is required' },
    ]);
    expect(await issues({ username: 'bob', password: 'p'.repeat(5000) })).toEqual([
      { path: 'password', message: 'must be at most 1024 characters' },
    ]);
    expect(await issues({ username: 'x'.repeat(300), password: 'password-1' })).toEqual([
      { path: 'username', message: 'must be at most 64 characters' },
    ]);
    const login = await h.auth.login({ username: 'bob', password: 7 } as never).catch((e) => e);
    expect(login.issues).toEqual([{ path: 'password', message: 'must be a string' }]);
  });

  it('refuses at login a username no registration lets in: ill-formed, control characters, too long', async () => {
    const h = harness();
    await h.auth.register({ username: '\ufffdsur', password: 'password-1' });
    await h.auth.register({ username: 'a'.repeat(64), password: 'password-1' });
    for (const username of [
      '\ud800sur',
      'a\u0000bc',
      'q\u0007rs',
      'a'.repeat(65),
      'a'.repeat(300),
    ]) {
      const error = await h.auth
        .login({ username, password: 'password-1' }, { clientAddress: '203.0.113.1' })
        .catch((e: AuthError) => e);
      expect((error as AuthError).code, JSON.stringify(username)).toBe('invalid_request');
    }
    const tooLong = await h.auth.login({ username: 'a'.repeat(65), password: 'x' }).catch((e) => e);
    expect((tooLong as AuthError).issues).toEqual([
      { path: 'username', message: 'must be at most 64 characters' },
    ]);
    // What could name a user still gets the one answer of a failed login.
    expect(await codeOf(h.auth.login({ username: 'b'.repeat(64), password: 'password-1' }))).toBe(
      'invalid_credentials',
    );
    await expect(
      h.auth.login({ username: 'a'.repeat(64), password: 'password-1' }),
    ).resolves.toBeDefined();
  });

  it('refuses lone surrogates in a password: they would hash as U+FFFD', async () => {
    const h = harness();
    const lone = '\ud800'.repeat(8);
    expect(await codeOf(h.auth.register({ username: 'bob', password: lone }))).toBe(
      'invalid_request',
    );
    await h.auth.register({ username: 'bob', password: '\ufffd'.repeat(8) });
    expect(await codeOf(h.auth.login({ username: 'bob', password: lone }))).toBe('invalid_request');
    await expect(
      h.auth.login({ username: 'bob', password: '\ufffd'.repeat(8) }),
    ).resolves.toBeDefined();
  });

  it('refuses an over-long password before any hashing', async () => {
    let hashes = 0;
    const inner = cheapHasher();
    const counting: PasswordHasher = {
      hash: (p) => {
        hashes++;
        return inner.hash(p);
      },
      verify: inner.verify,
      needsRehash: inner.needsRehash,
    };
    const h = harness({ password: { hasher: counting } });
    await expect(h.auth.register({ username: 'bob', password: 'p'.repeat(5000) })).rejects.toThrow(
      AuthError,
    );
    expect(hashes).toBe(0);
  });

  it('8 parallel registrations of one name give exactly one user', async () => {
    const h = harness();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        h.auth.register({ username: i % 2 ? 'Dave' : 'dave', password: 'password-1' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as AuthError).code).toBe('username_taken');
  });
});

describe('login', () => {
  it('answers unknown user and wrong password alike, doing one verification each', async () => {
    const counting = countingHasher();
    const h = harness({ password: { hasher: counting } });
    await h.auth.register({ username: 'erin', password: 'password-1' });
    const wrong = await h.auth
      .login({ username: 'erin', password: 'wrong-pass' })
      .catch((e: AuthError) => e);
    expect(counting.verifications).toBe(1);
    const unknown = await h.auth
      .login({ username: 'nobody', password: 'wrong-pass' })
      .catch((e: AuthError) => e);
    expect(counting.verifications).toBe(2);
    for (const e of [wrong, unknown]) {
      expect(e).toBeInstanceOf(AuthError);
      expect((e as AuthError).code).toBe('invalid_credentials');
      expect((e as AuthError).message).toBe((wrong as AuthError).message);
    }
    expect(
      h.events.filter((e) => e.type === 'login_failure').map((e) => 'reason' in e && e.reason),
    ).toEqual(['wrong_password', 'unknown_user']);
  });

  it('an over-long password is the same 400 for a known and an unknown user, before any hashing', async () => {
    const counting = countingHasher();
    const h = harness({ password: { hasher: counting } });
    await h.auth.register({ username: 'erin', password: 'password-1' });
    const answers: string[] = [];
    for (const username of ['erin', 'nobody']) {
      const e = await h.auth
        .login({ username, password: 'p'.repeat(1025) })
        .catch((error: AuthError) => error);
      expect(e).toBeInstanceOf(AuthError);
      answers.push(
        `${(e as AuthError).status} ${(e as AuthError).code} ${(e as AuthError).message}`,
      );
    }
    // Otherwise the answer would tell which usernames exist.
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).toMatch(/^400 invalid_request /);
    expect(counting.verifications).toBe(0);
  });

  it('is case-insensitive on the username', async () => {
    const h = harness();
    await h.auth.register({ username: 'Frank', password: 'password-1' });
    await expect(
      h.auth.login({ username: 'FRANK', password: 'password-1' }),
    ).resolves.toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
    });
  });

  it('rehashes an outdated hash on the first successful login', async () => {
    const old = cheapHasher();
    const h = harness({ password: { hasher: old } });
    const user = await h.auth.register({ username: 'gina', password: 'password-1' });
    const { argon2id } = await import('../src/password/argon2id.js');
    const stronger = argon2id({ memoryCost: 128, timeCost: 1, parallelism: 1 });
    const h2 = harness({ password: { hasher: stronger }, storage: h.storage });
    const before = (await h.storage.users.findUserById(user.id))!.passwordHash;
    expect(stronger.needsRehash(before)).toBe(true);
    await h2.auth.login({ username: 'gina', password: 'password-1' });
    const after = (await h.storage.users.findUserById(user.id))!.passwordHash;
    expect(after).not.toBe(before);
    expect(stronger.needsRehash(after)).toBe(false);
    expect(h2.events.some((e) => e.type === 'password_rehashed')).toBe(true);
  });

  it('throttles one username from one client, also for the right password, until the window passes', async () => {
    const h = harness({ rateLimit: { maxAttempts: 3, window: 60 } });
    await h.auth.register({ username: 'hank', password: 'password-1' });
    const from = { clientAddress: '203.0.113.9' };
    for (let i = 0; i < 3; i++) {
      expect(await codeOf(h.auth.login({ username: 'hank', password: 'nope-nope' }, from))).toBe(
        'invalid_credentials',
      );
    }
    const limited = await h.auth
      .login({ username: 'hank', password: 'password-1' }, from)
      .catch((e: AuthError) => e);
    expect((limited as AuthError).code).toBe('rate_limited');
    expect((limited as AuthError).retryAfter).toBe(60);
    // Other clients and other usernames are unaffected.
    await expect(
      h.auth.login({ username: 'hank', password: 'password-1' }, { clientAddress: '203.0.113.10' }),
    ).resolves.toBeDefined();
    await h.auth.register({ username: 'ivan', password: 'password-1' });
    await expect(
      h.auth.login({ username: 'ivan', password: 'password-1' }, from),
    ).resolves.toBeDefined();
    h.clock.advanceSeconds(30);
    expect(
      (
        (await h.auth
          .login({ username: 'hank', password: 'password-1' }, from)
          .catch((e) => e)) as AuthError
      ).retryAfter,
    ).toBe(30);
    h.clock.advanceSeconds(30);
    await expect(
      h.auth.login({ username: 'hank', password: 'password-1' }, from),
    ).resolves.toBeDefined();
  });

  it('counts failures in a sliding window: a burst across a window edge gets no more than the limit', async () => {
    const h = harness({ rateLimit: { maxAttempts: 3, window: 10 } });
    await h.auth.register({ username: 'hank', password: 'password-1' });
    const from = { clientAddress: '203.0.113.9' };
    const fail = () => codeOf(h.auth.login({ username: 'hank', password: 'nope-nope' }, from));
    expect(await fail()).toBe('invalid_credentials'); // t = 0
    h.clock.advanceSeconds(8);
    expect(await fail()).toBe('invalid_credentials'); // t = 8
    expect(await fail()).toBe('invalid_credentials'); // t = 8: three within 10 s
    const limited = await h.auth
      .login({ username: 'hank', password: 'password-1' }, from)
      .catch((e: AuthError) => e);
    expect((limited as AuthError).code).toBe('rate_limited');
    expect((limited as AuthError).retryAfter).toBe(2); // when the failure at t = 0 leaves
    h.clock.advanceSeconds(3); // t = 11: the two at t = 8 still count, so one more try only
    expect(await fail()).toBe('invalid_credentials');
    const again = await h.auth
      .login({ username: 'hank', password: 'password-1' }, from)
      .catch((e: AuthError) => e);
    expect((again as AuthError).code).toBe('rate_limited');
    expect((again as AuthError).retryAfter).toBe(7); // t = 18, when those at t = 8 leave
    h.clock.advanceSeconds(7);
    await expect(
      h.auth.login({ username: 'hank', password: 'password-1' }, from),
    ).resolves.toBeDefined();
  });

  it('logins sent at once take turns: past the limit they are refused unhashed, the right password too', async () => {
    let verified = 0;
    const inner = cheapHasher();
    const counting: PasswordHasher = {
      hash: inner.hash,
      verify: (hash, password) => {
        verified++;
        return inner.verify(hash, password);
      },
      needsRehash: inner.needsRehash,
    };
    const h = harness({
      rateLimit: { maxAttempts: 3, window: 60 },
      password: { hasher: counting },
    });
    await h.auth.register({ username: 'hank', password: 'password-1' });
    const from = { clientAddress: '203.0.113.9' };
    verified = 0;
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(
          h.auth.login(
            { username: 'hank', password: i === 19 ? 'password-1' : `nope-${i}-x` },
            from,
          ),
        ),
      ),
    );
    expect(burst.filter((c) => c === 'invalid_credentials')).toHaveLength(3);
    expect(burst.filter((c) => c === 'rate_limited')).toHaveLength(17);
    expect(burst[19]).toBe('rate_limited');
    expect(verified).toBe(3);
    // Once the window has passed, a burst of right passwords all get in: turns, not refusals.
    h.clock.advanceSeconds(60);
    const logins = await Promise.all(
      Array.from({ length: 12 }, () =>
        h.auth.login({ username: 'hank', password: 'password-1' }, from),
      ),
    );
    expect(new Set(logins.map((t) => t.refresh_token)).size).toBe(12);
  });

  it('caps failures per client across usernames at a higher limit', async () => {
    const h = harness({ rateLimit: { maxAttempts: 2, window: 60, perClientMultiplier: 3 } });
    const from = { clientAddress: '203.0.113.7' };
    for (let i = 0; i < 6; i++)
      await codeOf(h.auth.login({ username: `user${i}`, password: 'whatever1' }, from));
    expect(
      await codeOf(h.auth.login({ username: 'fresh-name', password: 'whatever1' }, from)),
    ).toBe('rate_limited');
    expect(
      await codeOf(
        h.auth.login({ username: 'fresh-name', password: 'whatever1' }, { clientAddress: 'x' }),
      ),
    ).toBe('invalid_credentials');
  });

  it('refuses disabled users with the same answer', async () => {
    const h = harness();
    const user = await h.auth.register({ username: 'judy', password: 'password-1' });
    await h.auth.users.disable(user.id);
    expect(await codeOf(h.auth.login({ username: 'judy', password: 'password-1' }))).toBe(
      'invalid_credentials',
    );
    await h.auth.users.enable(user.id);
    await expect(h.auth.login({ username: 'judy', password: 'password-1' })).resolves.toBeDefined();
  });

  it('fails closed on a stored hash of unknown format', async () => {
    const h = harness();
    const user = await h.auth.register({ username: 'kate', password: 'password-1' });
    await h.storage.users.updateUser(user.id, { passwordHash: '$md5$whatever' }, h.clock.now());
    expect(await codeOf(h.auth.login({ username: 'kate', password: 'password-1' }))).toBe(
      'invalid_credentials',
    );
    expect(h.events.at(-1)).toMatchObject({ type: 'login_failure', reason: 'unsupported_hash' });
  });
});

describe('refresh tokens', () => {
  it('are 256-bit opaque strings stored only as hashes', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const record = await h.storage.sessions.findToken(hashRefreshToken(tokens.refresh_token));
    expect(record).not.toBeNull();
    expect(JSON.stringify(record)).not.toContain(tokens.refresh_token);
    expect(await h.storage.sessions.findToken(tokens.refresh_token)).toBeNull();
  });

  it('rotate: the presented token is spent, the new one works, roles are re-read', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    await h.auth.users.setRoles(user.id, ['admin']);
    const next = await h.auth.refresh(tokens.refresh_token);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const principal = await h.auth.verifyAccessToken(next.access_token);
    expect(principal.roles).toEqual(['admin']);
    expect(h.auth.hasRole(principal, 'user')).toBe(true);
    await expect(h.auth.refresh(next.refresh_token)).resolves.toBeDefined();
  });

  it('treat a replay within the grace window as a retry that does not fork the family', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const first = await h.auth.refresh(tokens.refresh_token);
    h.clock.advanceSeconds(5);
    const retry = await h.auth.refresh(tokens.refresh_token);
    // The first successor is superseded: the family has one live token, the retry's.
    const superseded = await h.storage.sessions.findToken(hashRefreshToken(first.refresh_token));
    const live = await h.storage.sessions.findToken(hashRefreshToken(retry.refresh_token));
    expect(superseded?.spentAt).not.toBeNull();
    expect(live?.spentAt).toBeNull();
    expect(live?.familyId).toBe(superseded?.familyId);
    // The superseded successor is dead, and presenting it is not taken for theft.
    expect(await codeOf(h.auth.refresh(first.refresh_token))).toBe('invalid_grant');
    expect(h.events.some((e) => e.type === 'refresh_reuse_detected')).toBe(false);
    await expect(h.auth.refresh(retry.refresh_token)).resolves.toBeDefined();
  });

  it('take a superseded token presented after the grace window for theft (RFC 9700 §4.14.2)', async () => {
    const h = harness({ refreshReuseGrace: 10 });
    const { tokens } = await registerAndLogin(h);
    // The client rotates; a thief replays the same token within the window and takes over.
    const client = await h.auth.refresh(tokens.refresh_token);
    h.clock.advanceSeconds(2);
    const thief = await h.auth.refresh(tokens.refresh_token);
    // Just inside the window its holder may still be racing the retry: refused, not theft.
    h.clock.advanceSeconds(10);
    expect(await codeOf(h.auth.refresh(client.refresh_token))).toBe('invalid_grant');
    expect(h.events.some((e) => e.type === 'refresh_reuse_detected')).toBe(false);
    // Past it, the client coming back with its token means two parties hold the family.
    h.clock.advanceSeconds(1);
    expect(await codeOf(h.auth.refresh(client.refresh_token))).toBe('invalid_grant');
    expect(h.events.filter((e) => e.type === 'refresh_reuse_detected')).toHaveLength(1);
    expect(await codeOf(h.auth.refresh(thief.refresh_token))).toBe('invalid_grant');
  });

  it('take a replay within the grace window for theft once the successor was used', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const next = await h.auth.refresh(tokens.refresh_token);
    h.clock.advanceSeconds(1);
    const newest = await h.auth.refresh(next.refresh_token);
    h.clock.advanceSeconds(1);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    expect(h.events.some((e) => e.type === 'refresh_reuse_detected')).toBe(true);
    expect(await codeOf(h.auth.refresh(newest.refresh_token))).toBe('invalid_grant');
  });

  it('leave one live descendant after concurrent refreshes within the grace window', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.auth.refresh(tokens.refresh_token)),
    );
    const live = [];
    for (const r of results) {
      const record = await h.storage.sessions.findToken(hashRefreshToken(r.refresh_token));
      if (record?.spentAt === null) live.push(r);
    }
    expect(live).toHaveLength(1);
    // Every other descendant is refused, even presented within the window, without revoking.
    for (const r of results) {
      if (r === live[0]) continue;
      expect(await codeOf(h.auth.refresh(r.refresh_token))).toBe('invalid_grant');
    }
    await expect(h.auth.refresh(live[0]!.refresh_token)).resolves.toBeDefined();
  });

  it('revoke the whole family when a spent token is replayed after the grace window', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const next = await h.auth.refresh(tokens.refresh_token);
    h.clock.advanceSeconds(11);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    expect(h.events.some((e) => e.type === 'refresh_reuse_detected')).toBe(true);
    expect(await codeOf(h.auth.refresh(next.refresh_token))).toBe('invalid_grant');
  });

  it('with grace 0, any replay is theft', async () => {
    const h = harness({ refreshReuseGrace: 0 });
    const { tokens } = await registerAndLogin(h);
    const next = await h.auth.refresh(tokens.refresh_token);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    expect(await codeOf(h.auth.refresh(next.refresh_token))).toBe('invalid_grant');
  });

  it('expire by the clock', async () => {
    const h = harness({ refreshTokenTtl: 60 });
    const { tokens } = await registerAndLogin(h);
    h.clock.advanceSeconds(60);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
  });

  it('refuse malformed and unknown tokens alike', async () => {
    const h = harness();
    for (const t of ['', 'short', 'x'.repeat(43), '!'.repeat(43)]) {
      expect(await codeOf(h.auth.refresh(t))).toBe('invalid_grant');
    }
  });

  it('concurrent refreshes of one token never yield two valid descendants', async () => {
    const h = harness({ refreshReuseGrace: 0 });
    const { tokens } = await registerAndLogin(h);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => h.auth.refresh(tokens.refresh_token)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
  });

  it('stop for a user disabled in storage behind the library (no revocation): family revoked', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    // As another process or an SQL admin would: only the flag, the sessions still live.
    await h.storage.users.updateUser(user.id, { disabled: true }, h.clock.now());
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    const [session] = await h.auth.users.listSessions(user.id);
    expect(session).toBeUndefined();
  });

  it('stop for a disabled or deleted user', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    await h.auth.users.disable(user.id);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    const h2 = harness();
    const b = await registerAndLogin(h2, 'bobby');
    await h2.auth.users.delete(b.user.id);
    expect(await codeOf(h2.auth.refresh(b.tokens.refresh_token))).toBe('invalid_grant');
  });
});

describe('logout', () => {
  it('revokes one family; logoutAll revokes every family of the user', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    const second = await h.auth.login({ username: 'alice', password: 'correct horse battery' });
    await h.auth.logout(tokens.refresh_token);
    expect(await codeOf(h.auth.refresh(tokens.refresh_token))).toBe('invalid_grant');
    expect(await h.auth.users.listSessions(user.id)).toHaveLength(1);
    await expect(h.auth.logout('unknown-token')).resolves.toBeUndefined();
    expect(await h.auth.logoutAll(user.id)).toBe(1);
    expect(await codeOf(h.auth.refresh(second.refresh_token))).toBe('invalid_grant');
    expect(h.events.map((e) => e.type)).toContain('logout_all');
  });
});

describe('me and authorize', () => {
  it('me reads storage: a deleted or disabled user is refused', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    const principal = await h.auth.verifyAccessToken(tokens.access_token);
    await expect(h.auth.me(principal)).resolves.toEqual(user);
    await h.auth.users.disable(user.id);
    expect(await codeOf(h.auth.me(principal))).toBe('invalid_token');
  });

  it('authorize checks roles with inheritance and permissions', async () => {
    const h = harness();
    const admin = { roles: ['admin'] };
    const user = { roles: ['user'] };
    expect(() => h.auth.authorize(admin, { role: 'user' })).not.toThrow();
    expect(() =>
      h.auth.authorize(admin, { permission: ['users:write', 'profile:read'] }),
    ).not.toThrow();
    expect(() => h.auth.authorize(user, { role: 'admin' })).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
    expect(() => h.auth.authorize(user, { permission: 'users:write' })).toThrow(AuthError);
    expect(h.auth.can(user, 'profile:read')).toBe(true);
  });

  it('authenticate: no credentials or another scheme is unauthorized', async () => {
    const h = harness();
    expect(await codeOf(h.auth.authenticate(undefined))).toBe('unauthorized');
    expect(await codeOf(h.auth.authenticate('Basic dXNlcjpwYXNz'))).toBe('unauthorized');
    expect(await codeOf(h.auth.authenticate('Bearer'))).toBe('invalid_token');
  });
});

describe('user admin', () => {
  it('verifyPassword: true only for the current password of an existing user', async () => {
    let verified = 0;
    const inner = cheapHasher();
    const h = harness({
      password: {
        hasher: {
          ...inner,
          verify: (hash, password) => {
            verified++;
            return inner.verify(hash, password);
          },
        },
      },
    });
    const user = await h.auth.register({ username: 'vera', password: 'password-1' });
    await expect(h.auth.users.verifyPassword(user.id, 'password-1')).resolves.toBe(true);
    await expect(h.auth.users.verifyPassword(user.id, 'password-2')).resolves.toBe(false);
    await expect(h.auth.users.verifyPassword('no-such-id', 'password-1')).resolves.toBe(false);
    verified = 0;
    // Past the policy's length: refused before any hashing.
    await expect(h.auth.users.verifyPassword(user.id, 'x'.repeat(1025))).resolves.toBe(false);
    expect(verified).toBe(0);
    await h.auth.users.setPassword(user.id, 'password-2');
    await expect(h.auth.users.verifyPassword(user.id, 'password-2')).resolves.toBe(true);
  });

  it('setRoles: only roles the roles option defines; the user keeps theirs otherwise', async () => {
    const h = harness();
    const user = await h.auth.register({ username: 'rhea', password: 'password-1' });
    await expect(h.auth.users.setRoles(user.id, ['admin', 'superuser'])).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('"superuser"'),
    });
    expect((await h.storage.users.findUserById(user.id))?.roles).toEqual(['user']);
    await expect(h.auth.users.setRoles(user.id, ['admin'])).resolves.toMatchObject({
      roles: ['admin'],
    });
    // Without a roles option, role names are free-form.
    const free = harness({ roles: undefined });
    const other = await free.auth.register({ username: 'rhea', password: 'password-1' });
    await expect(free.auth.users.setRoles(other.id, ['superuser'])).resolves.toMatchObject({
      roles: ['superuser'],
    });
  });

  it('checkRequirement: names the role or permission the roles option lacks', () => {
    const h = harness();
    expect(() => h.auth.checkRequirement({ role: 'amdin' })).toThrow(AuthConfigError);
    expect(() =>
      h.auth.checkRequirement({ role: 'admin', permission: 'users:write' }),
    ).not.toThrow();
  });
});
