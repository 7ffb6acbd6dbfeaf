/**
 * The synchronous HS256 verifier must answer exactly as jose does: for signed tokens with
 * arbitrary headers and claims, and for arbitrary corruptions of a good token, both accept
 * with the same payload or both refuse with the same code and description.
 */
import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../src/clock.js';
import { AuthError } from '../src/errors.js';
import { joseKeySetVerifier, type PayloadVerifier } from '../src/tokens/access-verify.js';
import { createHs256Verifier } from '../src/tokens/hs256.js';
import { loadKeys } from '../src/tokens/keys.js';
import { AUDIENCE, ISSUER, SECRET } from './helpers.js';

const runs = Number(process.env.FC_RUNS ?? 300);
const params = { numRuns: runs, seed: Number(process.env.FC_SEED ?? 9068) };
const clock = manualClock();
const now = Math.floor(clock.now() / 1000);
const settings = { issuer: ISSUER, audience: AUDIENCE, clockTolerance: 1 };
const secret = new TextEncoder().encode(SECRET);

async function sign(header: unknown, payload: unknown, key = secret): Promise<string> {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  const k = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(input)));
  return `${input}.${base64url.encode(sig)}`;
}

async function outcome(verify: PayloadVerifier, token: string): Promise<string> {
  try {
    return `ok ${JSON.stringify(await verify(token))}`;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return `${(error as AuthError).code}: ${(error as AuthError).message}`;
  }
}

const setups = [
  { name: 'one key without kid', keys: [{ alg: 'HS256' as const, secret: SECRET }] },
  {
    name: 'two keys with kids',
    keys: [
      { alg: 'HS256' as const, secret: SECRET, kid: 'k1' },
      { alg: 'HS256' as const, secret: 'another-secret-that-is-32-bytes-long!', kid: 'k2' },
    ],
  },
];

const claimValue = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: now - 2000, max: now + 2000 }),
  fc.constantFrom(now - 1, now, now + 1, now + 2),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
);
const header = fc.record(
  {
    alg: fc.constantFrom('HS256', 'HS384', 'none', 'ES256', '', 7),
    typ: fc.constantFrom('at+jwt', 'AT+JWT', 'application/at+jwt', 'JWT', 3),
    kid: fc.constantFrom('k1', 'k2', 'nope', 5),
    crit: fc.constantFrom([], ['b64'], ['exp'], 'b64', [''], ['b64', 'x']),
    b64: fc.constantFrom(true, false, 'yes'),
    jku: fc.constant('http://127.0.0.1:1/keys'),
  },
  { requiredKeys: ['alg'] },
);
const payload = fc.record(
  {
    iss: fc.constantFrom(ISSUER, 'urn:other', 5),
    aud: fc.constantFrom(AUDIENCE, 'urn:other', [AUDIENCE, 'x'], ['x'], 1),
    sub: fc.constantFrom('user-1', 9),
    jti: fc.constant('j'),
    iat: claimValue,
    exp: claimValue,
    nbf: claimValue,
    roles: fc.constantFrom(['user'], 'admin'),
  },
  { requiredKeys: [] },
);

describe.each(setups)('HS256 fast path agrees with jose ($name)', ({ keys: options }) => {
  const ready = loadKeys(options).then((keys) => ({
    fast: createHs256Verifier(keys, clock, settings),
    jose: joseKeySetVerifier(keys, clock, settings),
  }));

  it('on signed tokens with arbitrary headers and claims', async () => {
    const { fast, jose } = await ready;
    await fc.assert(
      fc.asyncProperty(header, payload, fc.boolean(), async (h, p, rightKey) => {
        const token = await sign(h, p, rightKey ? secret : new Uint8Array(32));
        expect(await outcome(fast, token)).toBe(await outcome(jose, token));
      }),
      params,
    );
  });

  it('on corruptions of a good token', async () => {
    const { fast, jose } = await ready;
    const kid = options.length > 1 ? { kid: 'k1' } : {};
    const good = await sign(
      { alg: 'HS256', typ: 'at+jwt', ...kid },
      { iss: ISSUER, aud: AUDIENCE, sub: 'u', jti: 'j', iat: now, exp: now + 900, roles: ['user'] },
    );
    expect(await outcome(fast, good)).toMatch(/^ok /);
    const mutated = fc
      .tuple(fc.nat({ max: good.length - 1 }), fc.stringMatching(/^[A-Za-z0-9_.-]{1,3}$/))
      .map(([i, s]) => good.slice(0, i) + s + good.slice(i + s.length))
      .filter((t) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t));
    await fc.assert(
      fc.asyncProperty(mutated, async (token) => {
        expect(await outcome(fast, token)).toBe(await outcome(jose, token));
      }),
      params,
    );
  });
});
