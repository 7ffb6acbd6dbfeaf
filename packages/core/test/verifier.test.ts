import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth.js';
import { manualClock } from '../src/clock.js';
import { AuthConfigError, AuthError } from '../src/errors.js';
import { memoryStorage } from '../src/storage/memory.js';
import { generatePrivateJwk } from '../src/tokens/keys.js';
import { createVerifier } from '../src/tokens/verifier.js';
import { AUDIENCE, cheapHasher, ISSUER } from './helpers.js';

async function issuer(alg: 'EdDSA' | 'ES256' = 'EdDSA') {
  const clock = manualClock();
  const privateKey = await generatePrivateJwk(alg);
  const auth = createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg, privateKey },
    storage: memoryStorage(),
    clock,
    password: { hasher: cheapHasher() },
  });
  await auth.register({ username: 'rs-user', password: 'password-1' });
  const tokens = await auth.login({ username: 'rs-user', password: 'password-1' });
  return { auth, clock, tokens, privateKey };
}

describe('createVerifier (resource server with only the JWKS)', () => {
  it('verifies with a local JWKS and refuses other issuers and audiences', async () => {
    const { auth, clock, tokens } = await issuer();
    const jwks = (await auth.jwks()) as Parameters<typeof createVerifier>[0]['jwks'];
    const verifier = createVerifier({ jwks, issuer: ISSUER, audience: AUDIENCE, clock });
    await expect(verifier.authenticate(`Bearer ${tokens.access_token}`)).resolves.toMatchObject({
      roles: ['user'],
    });
    const wrongAud = createVerifier({ jwks, issuer: ISSUER, audience: 'urn:other', clock });
    await expect(wrongAud.verify(tokens.access_token)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(verifier.authenticate(undefined)).rejects.toMatchObject({ code: 'unauthorized' });
    clock.advanceSeconds(906);
    await expect(verifier.verify(tokens.access_token)).rejects.toMatchObject({
      code: 'token_expired',
    });
  });

  it('refuses a token signed by the right key but typed JWT, not at+jwt (RFC 9068 §4)', async () => {
    const { auth, clock, privateKey } = await issuer();
    const jwks = (await auth.jwks()) as Parameters<typeof createVerifier>[0]['jwks'];
    const verifier = createVerifier({ jwks, issuer: ISSUER, audience: AUDIENCE, clock });
    const now = Math.floor(clock.now() / 1000);
    const sign = async (typ: string) =>
      new SignJWT({ roles: ['user'], sid: 's' })
        .setProtectedHeader({ alg: 'EdDSA', typ, kid: jwks!.keys[0]!.kid as string })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('u')
        .setJti('j')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(await importJWK(privateKey, 'EdDSA'));
    await expect(verifier.verify(await sign('at+jwt'))).resolves.toMatchObject({ userId: 'u' });
    for (const typ of ['JWT', 'jwt']) {
      await expect(verifier.verify(await sign(typ)), typ).rejects.toMatchObject({
        code: 'invalid_token',
      });
      await expect(auth.verifyAccessToken(await sign(typ)), typ).rejects.toMatchObject({
        code: 'invalid_token',
      });
    }
  });

  it('fetches a remote JWKS once, caches it, and refuses tokens of unknown keys', async () => {
    const { auth, clock, tokens } = await issuer('ES256');
    let fetches = 0;
    const fakeFetch = (async () => {
      fetches++;
      return new Response(JSON.stringify(await auth.jwks()), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    const verifier = createVerifier({
      jwksUrl: 'https://issuer.test/.well-known/jwks.json',
      issuer: ISSUER,
      audience: AUDIENCE,
      clock,
      cacheSize: 0,
      fetch: fakeFetch,
    });
    for (let i = 0; i < 5; i++) await verifier.verify(tokens.access_token);
    expect(fetches).toBe(1);
    const other = await issuer('ES256');
    const error = await verifier.verify(other.tokens.access_token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('invalid_token');
  });

  it('never accepts HS256 tokens and needs exactly one key source', async () => {
    const hs = createAuth({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { alg: 'HS256', secret: 'a-secret-that-is-at-least-32-bytes!!' },
      storage: memoryStorage(),
      password: { hasher: cheapHasher() },
    });
    await hs.register({ username: 'hs-user', password: 'password-1' });
    const token = (await hs.login({ username: 'hs-user', password: 'password-1' })).access_token;
    const { auth } = await issuer();
    const verifier = createVerifier({
      jwks: (await auth.jwks()) as never,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
    expect(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE })).toThrow(AuthConfigError);
  });
});
