import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth.js';
import { AuthError } from '../src/errors.js';
import { memoryStorage } from '../src/storage/memory.js';
import { generatePrivateJwk } from '../src/tokens/keys.js';
import type { Principal } from '../src/tokens/principal.js';
import { AUDIENCE, cheapHasher, harness, ISSUER, registerAndLogin, SECRET } from './helpers.js';

const secretBytes = new TextEncoder().encode(SECRET);

async function expectCode(promise: Promise<unknown>, code: string, description?: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
  if (description) expect((error as AuthError).message).toMatch(description);
  return error as AuthError;
}

const HMAC = { HS256: 'SHA-256', HS384: 'SHA-384' } as const;

/** Signs any header and payload by hand with HMAC, so tests can build what jose would refuse to. */
async function forge(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  nowSeconds: number,
  key: Uint8Array = secretBytes,
): Promise<string> {
  const fullHeader = { alg: 'HS256', typ: 'at+jwt', ...header };
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: nowSeconds,
    exp: nowSeconds + 900,
    jti: 'jti-1',
    roles: ['user'],
    ...claims,
  };
  const input = `${base64url.encode(JSON.stringify(fullHeader))}.${base64url.encode(JSON.stringify(payload))}`;
  const hash = HMAC[fullHeader.alg as keyof typeof HMAC] ?? 'SHA-256';
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(input)),
  );
  return `${input}.${base64url.encode(signature)}`;
}

describe('access tokens', () => {
  it('carry typ at+jwt and the RFC 9068 claims', async () => {
    const h = harness();
    const { user, tokens } = await registerAndLogin(h);
    expect(decodeProtectedHeader(tokens.access_token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: user.id, roles: ['user'] });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.iat).toBe(Math.floor(h.clock.now() / 1000));
    const principal = await h.auth.authenticate(`Bearer ${tokens.access_token}`);
    expect(principal).toMatchObject({ userId: user.id, roles: ['user'] });
  });

  it('accept a token forged correctly with the right secret (control case)', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    await expect(h.auth.verifyAccessToken(await forge({}, {}, now))).resolves.toMatchObject({
      userId: 'user-1',
    });
  });

  it('refuse alg none', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const payload = base64url.encode(
      JSON.stringify({
        iss: ISSUER,
        aud: AUDIENCE,
        sub: 'u',
        iat: now,
        exp: now + 60,
        jti: 'j',
        roles: ['admin'],
      }),
    );
    await expectCode(h.auth.verifyAccessToken(`${header}.${payload}.`), 'invalid_token');
  });

  it('refuse HS384 signed with the same secret', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    await expectCode(
      h.auth.verifyAccessToken(await forge({ alg: 'HS384' }, {}, now)),
      'invalid_token',
      /algorithm/,
    );
  });

  it('refuse a wrong secret, a tampered payload and garbage', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const other = new TextEncoder().encode('another-secret-that-is-32-bytes-long!!!');
    await expectCode(
      h.auth.verifyAccessToken(await forge({}, {}, now, other)),
      'invalid_token',
      /signature/,
    );
    const good = await forge({}, {}, now);
    const [head, , sig] = good.split('.');
    const tampered = base64url.encode(JSON.stringify({ ...decodeJwt(good), roles: ['admin'] }));
    await expectCode(
      h.auth.verifyAccessToken(`${head}.${tampered}.${sig}`),
      'invalid_token',
      /signature/,
    );
    await expectCode(h.auth.verifyAccessToken('not-a-jwt'), 'invalid_token', /malformed/);
    await expectCode(h.auth.verifyAccessToken('a.b.c'), 'invalid_token');
    await expectCode(h.auth.verifyAccessToken('x'.repeat(9000)), 'invalid_token', /too large/);
  });

  it('refuse wrong iss, aud and typ', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    await expectCode(
      h.auth.verifyAccessToken(await forge({}, { iss: 'urn:evil' }, now)),
      'invalid_token',
      /iss/,
    );
    await expectCode(
      h.auth.verifyAccessToken(await forge({}, { aud: 'urn:other' }, now)),
      'invalid_token',
      /aud/,
    );
    await expectCode(
      h.auth.verifyAccessToken(await forge({ typ: 'JWT' }, {}, now)),
      'invalid_token',
      /typ/,
    );
  });

  it('refuse a sub or jti that is not a non-empty string, and a malformed nbf, on both paths', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ sub: 12345 }, /'sub'/],
      [{ sub: '' }, /'sub'/],
      [{ jti: 5 }, /'jti'/],
      [{ jti: '' }, /'jti'/],
      [{ nbf: 'soon' }, /unexpected 'nbf' claim value/],
      [{ nbf: null }, /unexpected 'nbf' claim value/],
    ];
    for (const [claims, description] of cases) {
      const token = await forge({}, claims, now);
      await expectCode(h.auth.verifyAccessToken(token), 'invalid_token', description);
      expect(() => h.auth.authenticateSync(`Bearer ${token}`)).toThrow(description);
    }
  });

  it('refuse a token without exp', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const token = await new SignJWT({ roles: ['user'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('u')
      .setIssuedAt(now)
      .setJti('j')
      .sign(secretBytes);
    await expectCode(h.auth.verifyAccessToken(token), 'invalid_token', /exp/);
  });

  it('refuse a token without roles', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    await expectCode(
      h.auth.verifyAccessToken(await forge({}, { roles: 'admin' }, now)),
      'invalid_token',
      /roles/,
    );
  });

  it('expire at their exp by the manual clock (RFC 7519 §4.1.4: no leeway by default), and say so', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const { exp } = decodeJwt(tokens.access_token) as { exp: number };
    await h.auth.authenticate(`Bearer ${tokens.access_token}`); // now cached
    h.clock.set(exp * 1000 - 1);
    await expect(h.auth.authenticate(`Bearer ${tokens.access_token}`)).resolves.toBeDefined();
    expect(h.auth.authenticateSync(`Bearer ${tokens.access_token}`)).toBeDefined();
    h.clock.advance(1);
    const error = await expectCode(
      h.auth.authenticate(`Bearer ${tokens.access_token}`),
      'token_expired',
    );
    expect(error.message).toBe('token expired');
    expect(error.challenge('auth')).toBe(
      'Bearer error="invalid_token", error_description="token expired"',
    );
    expect(() => h.auth.authenticateSync(`Bearer ${tokens.access_token}`)).toThrow('token expired');
  });

  it('accept a token up to clockTolerance seconds after its exp when one is set', async () => {
    const h = harness({ clockTolerance: 2 });
    const { tokens } = await registerAndLogin(h);
    const { exp } = decodeJwt(tokens.access_token) as { exp: number };
    h.clock.set((exp + 2) * 1000 - 1);
    await expect(h.auth.authenticate(`Bearer ${tokens.access_token}`)).resolves.toBeDefined();
    h.clock.advance(1);
    await expectCode(h.auth.authenticate(`Bearer ${tokens.access_token}`), 'token_expired');
  });

  it('refuse a token that is not yet valid (nbf)', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const token = await forge({}, { nbf: now + 60 }, now);
    await expectCode(h.auth.verifyAccessToken(token), 'invalid_token', /not yet valid/);
    h.clock.advanceSeconds(60);
    await expect(h.auth.verifyAccessToken(token)).resolves.toBeDefined();
  });

  it('with clockTolerance, accept an nbf up to that many seconds ahead, and no further', async () => {
    const h = harness({ clockTolerance: 30 });
    const now = Math.floor(h.clock.now() / 1000);
    await expect(
      h.auth.verifyAccessToken(await forge({}, { nbf: now + 10, jti: 'a' }, now)),
    ).resolves.toBeDefined();
    await expectCode(
      h.auth.verifyAccessToken(await forge({}, { nbf: now + 31, jti: 'b' }, now)),
      'invalid_token',
      /not yet valid/,
    );
  });

  it('refuse an unknown crit header', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    const token = await forge({ crit: ['x-custom'], 'x-custom': 1 }, {}, now);
    await expectCode(h.auth.verifyAccessToken(token), 'invalid_token');
  });

  it('refuse jku, x5u and jwk headers without fetching anything', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    for (const header of [
      { jku: 'http://127.0.0.1:1/jwks' },
      { x5u: 'http://127.0.0.1:1/x5u' },
      { jwk: { kty: 'oct' } },
    ]) {
      await expectCode(
        h.auth.verifyAccessToken(await forge(header, {}, now)),
        'invalid_token',
        /header is not accepted/,
      );
    }
  });

  it('refuse a kid that names no key', async () => {
    const h = harness();
    const now = Math.floor(h.clock.now() / 1000);
    await expectCode(
      h.auth.verifyAccessToken(await forge({ kid: 'nope' }, {}, now)),
      'invalid_token',
      /key id/,
    );
  });
});

describe('asymmetric keys and rotation', () => {
  async function asymmetric(alg: 'EdDSA' | 'ES256') {
    const privateKey = await generatePrivateJwk(alg);
    return createAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg, privateKey },
      storage: memoryStorage(),
      password: { hasher: cheapHasher() },
    });
  }

  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: signs with kid, verifies, and publishes only public parts`, async () => {
      const auth = await asymmetric(alg);
      await auth.register({ username: 'bob', password: 'password-123' });
      const tokens = await auth.login({ username: 'bob', password: 'password-123' });
      const header = decodeProtectedHeader(tokens.access_token);
      expect(header.alg).toBe(alg);
      expect(header.kid).toEqual(expect.any(String));
      await expect(auth.verifyAccessToken(tokens.access_token)).resolves.toBeDefined();
      const { keys } = await auth.jwks();
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kid: header.kid, alg, use: 'sig' });
      expect(keys[0]).not.toHaveProperty('d');
    });
  }

  it('refuse an HS256 token signed with the public key bytes (algorithm confusion)', async () => {
    const privateKey = await generatePrivateJwk('EdDSA');
    const auth = createAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg: 'EdDSA', privateKey },
      storage: memoryStorage(),
      password: { hasher: cheapHasher() },
    });
    const { keys } = await auth.jwks();
    const publicBytes = new TextEncoder().encode(JSON.stringify(keys[0]));
    const now = Math.floor(auth.clock.now() / 1000);
    const token = await forge({ kid: (keys[0] as { kid: string }).kid }, {}, now, publicBytes);
    await expectCode(auth.verifyAccessToken(token), 'invalid_token', /algorithm/);
    const rawX = base64url.decode((keys[0] as { x: string }).x);
    await expectCode(auth.verifyAccessToken(await forge({}, {}, now, rawX)), 'invalid_token');
  });

  it('keep verifying tokens of a retired key until they expire', async () => {
    const old = await generatePrivateJwk('EdDSA');
    const storage = memoryStorage();
    const common = {
      issuer: ISSUER,
      audience: AUDIENCE,
      storage,
      password: { hasher: cheapHasher() },
    };
    const { manualClock } = await import('../src/clock.js');
    const clock = manualClock();
    const before = createAuth({
      ...common,
      clock,
      keys: { alg: 'EdDSA', privateKey: old, kid: 'k1' },
    });
    await before.register({ username: 'carol', password: 'password-123' });
    const oldToken = (await before.login({ username: 'carol', password: 'password-123' }))
      .access_token;

    const { privateKey: nextKey } = await generateKeyPair('ES256', { extractable: true });
    const oldPublic = { ...old };
    delete oldPublic.d;
    const after = createAuth({
      ...common,
      clock,
      keys: [
        { alg: 'ES256', privateKey: await exportJWK(nextKey), kid: 'k2' },
        { alg: 'EdDSA', publicKey: oldPublic, kid: 'k1' },
      ],
    });
    const fresh = (await after.login({ username: 'carol', password: 'password-123' })).access_token;
    expect(decodeProtectedHeader(fresh).kid).toBe('k2');
    await expect(after.verifyAccessToken(oldToken)).resolves.toBeDefined();
    expect((await after.jwks()).keys.map((k) => (k as { kid: string }).kid)).toEqual(['k2', 'k1']);
    clock.advanceSeconds(902);
    await expectCode(after.verifyAccessToken(oldToken), 'token_expired');
  });

  it('fails ready() with a clear config error on a malformed JWK', async () => {
    const auth = createAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg: 'ES256', privateKey: { kty: 'EC', crv: 'P-256', x: 'bad', y: 'bad', d: 'bad' } },
      storage: memoryStorage(),
    });
    await expect(auth.ready()).rejects.toThrow(/keys\[0\]/);
  });
});

describe('the verified-token cache', () => {
  it('stays within its cap and keeps the newest entries', async () => {
    const { VerifiedTokenCache } = await import('../src/tokens/verified-cache.js');
    const cache = new VerifiedTokenCache(64);
    const principal = (i: number) =>
      ({
        userId: `u${i}`,
        roles: [],
        sessionId: undefined,
        tokenId: `${i}`,
        issuedAt: 0,
        expiresAt: 10_000,
        claims: {},
      }) as const;
    for (let i = 0; i < 1000; i++) cache.set(`t${i}`, principal(i));
    expect(cache.size).toBeLessThanOrEqual(64);
    expect(cache.get('t999', 0, 0)?.userId).toBe('u999');
    expect(cache.get('t0', 0, 0)).toBeUndefined();
  });

  it('answers only the exact token, not one that shares its signature', async () => {
    const { VerifiedTokenCache } = await import('../src/tokens/verified-cache.js');
    const cache = new VerifiedTokenCache(8);
    const signature = 'S'.repeat(43);
    const principal = { userId: 'u1', expiresAt: 10_000 } as unknown as Principal;
    cache.set(`header.payload.${signature}`, principal);
    expect(cache.get(`header.payload.${signature}`, 0, 0)).toBe(principal);
    expect(cache.get(`header.forged.${signature}`, 0, 0)).toBeUndefined();
    expect(cache.get(`header.payload.${signature}`, 10_001, 0)).toBeUndefined();
  });

  it('finds a token behind exactly `Bearer <token>`, and under no other header', async () => {
    const { VerifiedTokenCache } = await import('../src/tokens/verified-cache.js');
    const cache = new VerifiedTokenCache(8);
    const token = `header.payload.${'S'.repeat(43)}`;
    const principal = { userId: 'u1', expiresAt: 10_000 } as unknown as Principal;
    cache.set(token, principal);
    expect(cache.getByHeader(`Bearer ${token}`, 0, 0)).toBe(principal);
    for (const other of [
      token,
      `bearer ${token}`,
      `Bearer  ${token}`,
      `Bearer ${token} `,
      `Basic ${token}`,
      `Bearer x${token}`,
      `Bearer ${token.slice(1)}`,
    ]) {
      expect(cache.getByHeader(other, 0, 0)).toBeUndefined();
    }
    expect(cache.getByHeader(`Bearer ${token}`, 10_001, 0)).toBeUndefined();
    // The expired entry is gone for both ways of asking.
    expect(cache.get(token, 0, 0)).toBeUndefined();
  });

  it('keeps tokens with the same last characters apart: each answers only itself', async () => {
    const { VerifiedTokenCache } = await import('../src/tokens/verified-cache.js');
    const cache = new VerifiedTokenCache(8);
    const end = 'SAMEND';
    const first = { userId: 'u1', expiresAt: 10_000 } as unknown as Principal;
    const second = { userId: 'u2', expiresAt: 10_000 } as unknown as Principal;
    cache.set(`a.b.${end}`, first);
    expect(cache.get(`a.b.${end}`, 0, 0)).toBe(first);
    cache.set(`c.d.${end}`, second);
    expect(cache.get(`c.d.${end}`, 0, 0)).toBe(second);
    expect(cache.getByHeader(`Bearer c.d.${end}`, 0, 0)).toBe(second);
    // Sharing a bucket, the later one took its place: the first is a miss, never `second`.
    expect(cache.get(`a.b.${end}`, 0, 0)).toBeUndefined();
    expect(cache.getByHeader(`Bearer a.b.${end}`, 0, 0)).toBeUndefined();
    for (const short of ['', 'a', 'ab', 'abcde']) {
      cache.set(short, first);
      expect(cache.get(short, 0, 0)).toBe(first);
      expect(cache.getByHeader(`Bearer ${short}`, 0, 0)).toBe(first);
    }
  });

  it('never answers a token that only shares the end of a cached one', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const good = tokens.access_token;
    await h.auth.authenticate(`Bearer ${good}`);
    const [head, payload, sig] = good.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const forged = `${head}.${base64url.encode(JSON.stringify({ ...claims, roles: ['admin'] }))}.${sig}`;
    await expectCode(h.auth.authenticate(`Bearer ${forged}`), 'invalid_token', /signature/);
    expect(() => h.auth.authenticateSync(`Bearer ${forged}`)).toThrow(/signature/);
  });
});
