/**
 * AUTH_ALG=ES256 with AUTH_PRIVATE_KEY, and AUTH_ISSUER / AUTH_AUDIENCE: the JWKS publishes
 * the public key (RFC 7517) and a client can verify access tokens with it alone.
 */
import { createPublicKey, generateKeyPairSync, type JsonWebKey, verify } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectInvalidToken, expectJson, request } from '../http.js';
import { decodeJwt, forgeJwt, goodClaims } from '../jwt.js';
import { login, registerUser } from '../users.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PRIVATE_JWK = privateKey.export({ format: 'jwk' });

/** The environment of the ES256 instance. */
export const ES256_ENV = {
  AUTH_ALG: 'ES256',
  AUTH_PRIVATE_KEY: JSON.stringify(PRIVATE_JWK),
  AUTH_ISSUER: 'urn:contract-tests:issuer',
  AUTH_AUDIENCE: 'urn:contract-tests:audience',
  AUTH_COOKIE_SECURE: 'true',
} as const;

/** Cases for an instance started with {@link ES256_ENV}. */
export function es256Cases(example: ExampleRef): void {
  it('GET /.well-known/jwks.json → 200 {"keys":[the public key]} with no private member', async () => {
    const res = await request(example.url, '/.well-known/jwks.json');
    expectJson(res, 200);
    const { keys } = res.body as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', x: PRIVATE_JWK.x, y: PRIVATE_JWK.y });
    for (const member of PRIVATE_MEMBERS) expect(key, member).not.toHaveProperty(member);
    expect(res.text).not.toContain(PRIVATE_JWK.d!);
  });

  it('access tokens are ES256 with AUTH_ISSUER/AUTH_AUDIENCE and verify with the JWKS key alone', async () => {
    const user = await registerUser(example.url, 'es256');
    const tokens = await login(example.url, user);
    const { header, payload } = decodeJwt(tokens.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload.iss).toBe(ES256_ENV.AUTH_ISSUER);
    expect([payload.aud].flat()).toContain(ES256_ENV.AUTH_AUDIENCE);
    expect(payload.sub).toBe(user.id);

    const jwks = (await request(example.url, '/.well-known/jwks.json')).body as {
      keys: Array<JsonWebKey & { kid?: string }>;
    };
    const key =
      header.kid === undefined ? jwks.keys[0] : jwks.keys.find((k) => k.kid === header.kid);
    expect(key, `a JWKS key for kid ${String(header.kid)}`).toBeDefined();
    const [h, p, s] = tokens.access_token.split('.');
    const valid = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: createPublicKey({ key: key!, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(s!, 'base64url'),
    );
    expect(valid).toBe(true);
    expectJson(await request(example.url, '/protected', { token: tokens.access_token }), 200);
  });

  it('an HS256 token (algorithm confusion) or one for the default issuer → 401 invalid_token', async () => {
    const user = await registerUser(example.url, 'confused');
    const claims = {
      ...goodClaims(user.id),
      iss: ES256_ENV.AUTH_ISSUER,
      aud: ES256_ENV.AUTH_AUDIENCE,
    };
    const jwks = (await request(example.url, '/.well-known/jwks.json')).text;
    for (const token of [
      forgeJwt({ claims }),
      forgeJwt({ claims, secret: jwks }),
      forgeJwt({ claims: goodClaims(user.id) }),
    ]) {
      expectInvalidToken(await request(example.url, '/protected', { token }));
    }
  });
}
