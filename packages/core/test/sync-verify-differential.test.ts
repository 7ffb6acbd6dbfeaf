/**
 * The synchronous verifier must answer exactly as jose does, with the default entry's
 * checks (@noble/hashes HS256) and with the `node` entry's (node:crypto, every algorithm):
 * for signed tokens with arbitrary headers and claims, and for arbitrary corruptions of a
 * good token, both accept with the same payload or both refuse with the same code and
 * description.
 */
import fc from 'fast-check';
import { base64url, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../src/clock.js';
import { AuthError } from '../src/errors.js';
import { nodeSignatureChecks } from '../src/node/signature-checks.js';
import { joseKeySetVerifier, type PayloadVerifier } from '../src/tokens/access-verify.js';
import { generatePrivateJwk, type KeyOption, loadKeys } from '../src/tokens/keys.js';
import { pureSignatureChecks, type SignatureChecks } from '../src/tokens/signature.js';
import { createSyncVerifier } from '../src/tokens/sync-verify.js';
import { AUDIENCE, ISSUER, SECRET } from './helpers.js';

const runs = Number(process.env.FC_RUNS ?? 200);
const params = { numRuns: runs, seed: Number(process.env.FC_SEED ?? 9068) };
const clock = manualClock();
const now = Math.floor(clock.now() / 1000);
const settings = { issuer: ISSUER, audience: AUDIENCE, clockTolerance: 1 };
const encoder = new TextEncoder();
const OTHER_SECRET = 'another-secret-that-is-32-bytes-long!';

type Signer = (input: Uint8Array) => Promise<Uint8Array>;

async function signer(option: KeyOption): Promise<Signer> {
  if (option.alg === 'HS256') {
    const raw = typeof option.secret === 'string' ? encoder.encode(option.secret) : option.secret;
    const hmac = { name: 'HMAC', hash: 'SHA-256' };
    const key = await crypto.subtle.importKey('raw', new Uint8Array(raw), hmac, false, ['sign']);
    return async (input) =>
      new Uint8Array(await crypto.subtle.sign('HMAC', key, new Uint8Array(input)));
  }
  const key = (await importJWK(option.privateKey!, option.alg)) as CryptoKey;
  const algorithm =
    option.alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  return async (input) =>
    new Uint8Array(await crypto.subtle.sign(algorithm, key, new Uint8Array(input)));
}

async function sign(header: unknown, payload: unknown, by: Signer): Promise<string> {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${input}.${base64url.encode(await by(encoder.encode(input)))}`;
}

async function outcome(verify: PayloadVerifier, token: string): Promise<string> {
  try {
    return `ok ${JSON.stringify(await verify(token))}`;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return `${(error as AuthError).code}: ${(error as AuthError).message}`;
  }
}

const [ed1, ed2, es1, es2] = await Promise.all([
  generatePrivateJwk('EdDSA'),
  generatePrivateJwk('EdDSA'),
  generatePrivateJwk('ES256'),
  generatePrivateJwk('ES256'),
]);

interface Setup {
  name: string;
  /** The configured keys, every one with `kid` unless the setup is one kid-less HS256 key. */
  keys: KeyOption[];
  /** A key of the same algorithm that is not configured, per configured key. */
  strangers: KeyOption[];
  checks: SignatureChecks;
}

const hsOne: KeyOption[] = [{ alg: 'HS256', secret: SECRET }];
const hsTwo: KeyOption[] = [
  { alg: 'HS256', secret: SECRET, kid: 'k1' },
  { alg: 'HS256', secret: OTHER_SECRET, kid: 'k2' },
];
const mixed: KeyOption[] = [
  { alg: 'EdDSA', privateKey: ed1, kid: 'k1' },
  { alg: 'ES256', privateKey: es1, kid: 'k2' },
  { alg: 'HS256', secret: SECRET, kid: 'k3' },
];
const hsStranger: KeyOption = { alg: 'HS256', secret: new Uint8Array(32) };
const setups: Setup[] = [
  {
    name: 'default checks, one HS256 key',
    keys: hsOne,
    strangers: [hsStranger],
    checks: pureSignatureChecks,
  },
  {
    name: 'default checks, two HS256 keys',
    keys: hsTwo,
    strangers: [hsStranger, hsStranger],
    checks: pureSignatureChecks,
  },
  {
    name: 'node checks, one HS256 key',
    keys: hsOne,
    strangers: [hsStranger],
    checks: nodeSignatureChecks,
  },
  {
    name: 'node checks, EdDSA + ES256 + HS256',
    keys: mixed,
    strangers: [{ alg: 'EdDSA', privateKey: ed2 }, { alg: 'ES256', privateKey: es2 }, hsStranger],
    checks: nodeSignatureChecks,
  },
];

const claimValue = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: now - 2000, max: now + 2000 }),
  fc.constantFrom(now - 1, now, now + 1, now + 2),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
);
const payload = fc.record(
  {
    iss: fc.constantFrom(ISSUER, 'urn:other', 5),
    aud: fc.constantFrom(AUDIENCE, 'urn:other', [AUDIENCE, 'x'], ['x'], 1),
    sub: fc.constantFrom('user-1', 9, ''),
    jti: fc.constantFrom('j', '', 4),
    iat: claimValue,
    exp: claimValue,
    nbf: claimValue,
    roles: fc.constantFrom(['user'], 'admin'),
  },
  { requiredKeys: [] },
);

/** `good` four times in five, else anything `payload` would give for the claim. */
const mostly = <T>(good: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: other });
/** Claims that each hold most of the time, so that a whole token often passes. */
const nearlyValidPayload = fc.record({
  iss: mostly(fc.constant(ISSUER), fc.constantFrom('urn:other', 5, undefined)),
  aud: mostly(fc.constantFrom(AUDIENCE, [AUDIENCE, 'x']), fc.constantFrom(['x'], 1, undefined)),
  sub: mostly(fc.constant('user-1'), fc.constantFrom(9, '', undefined)),
  jti: mostly(fc.constant('j'), fc.constantFrom('', 4, undefined)),
  iat: mostly(fc.constantFrom(now, now - 60, undefined), claimValue),
  exp: mostly(fc.integer({ min: now + 1, max: now + 2000 }), claimValue),
  nbf: mostly(fc.constantFrom(undefined, now, now + 1), claimValue),
  roles: mostly(fc.constant(['user']), fc.constantFrom('admin', undefined)),
});

function headerOf(setup: Setup) {
  return fc.record(
    {
      alg: fc.constantFrom('HS256', 'HS384', 'none', 'ES256', 'EdDSA', 'RS256', '', 7),
      typ: fc.constantFrom('at+jwt', 'AT+JWT', 'application/at+jwt', 'JWT', 3),
      kid: fc.constantFrom('k1', 'k2', 'k3', 'nope', 5),
      crit: fc.constantFrom([], ['b64'], ['exp'], 'b64', [''], ['b64', 'x']),
      b64: fc.constantFrom(true, false, 'yes'),
      jku: fc.constant('http://127.0.0.1:1/keys'),
    },
    // A kid-less key is found by algorithm; otherwise leave the kid to the generator.
    { requiredKeys: setup.keys[0]!.kid === undefined ? ['alg'] : ['alg', 'kid'] },
  );
}

describe.each(setups)('the synchronous verifier agrees with jose ($name)', (setup) => {
  const ready = (async () => {
    const keys = await loadKeys(setup.keys);
    const sync = createSyncVerifier(keys, setup.checks, clock, settings);
    if (!sync) throw new Error('every key of the setup has a synchronous check');
    const signers = await Promise.all(setup.keys.map(signer));
    const strangers = await Promise.all(setup.strangers.map(signer));
    return { sync, jose: joseKeySetVerifier(keys, clock, settings), keys, signers, strangers };
  })();

  it('on signed tokens with arbitrary headers and claims', async () => {
    const { sync, jose, keys, signers, strangers } = await ready;
    await fc.assert(
      fc.asyncProperty(
        headerOf(setup),
        payload,
        fc.nat({ max: setup.keys.length - 1 }),
        fc.boolean(),
        async (h, p, pick, rightKey) => {
          // Signed by the key the header names when there is one, else by any key.
          const named = keys.all.findIndex((k) => k.kid !== undefined && k.kid === h.kid);
          const index = named >= 0 ? named : pick;
          const token = await sign(h, p, (rightKey ? signers : strangers)[index]!);
          expect(await outcome(sync, token)).toBe(await outcome(jose, token));
        },
      ),
      params,
    );
  });

  it('on well-formed headers with arbitrary claims, where the claim checks decide', async () => {
    const { sync, jose, keys, signers, strangers } = await ready;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: setup.keys.length - 1 }),
        fc.constantFrom('at+jwt', 'AT+JWT', 'application/at+jwt'),
        nearlyValidPayload,
        fc.boolean(),
        async (index, typ, p, rightKey) => {
          // The header a key accepts, so the signature and the claims are what is tested.
          const kid = keys.all[index]!.kid;
          const header = {
            alg: setup.keys[index]!.alg,
            typ,
            ...(kid === undefined ? {} : { kid }),
          };
          const token = await sign(header, p, (rightKey ? signers : strangers)[index]!);
          const answer = await outcome(sync, token);
          if (answer.startsWith('ok ')) accepted++;
          expect(answer).toBe(await outcome(jose, token));
        },
      ),
      params,
    );
    // The generator reaches acceptance, not only refusals.
    expect(accepted).toBeGreaterThan(0);
  });

  it.each(setup.keys.map((k, i) => [k.alg, i] as const))(
    'on corruptions of a good %s token',
    async (alg, i) => {
      const { sync, jose, keys, signers } = await ready;
      const kid = keys.all[i]!.kid;
      const good = await sign(
        { alg, typ: 'at+jwt', ...(kid === undefined ? {} : { kid }) },
        {
          iss: ISSUER,
          aud: AUDIENCE,
          sub: 'u',
          jti: 'j',
          iat: now,
          exp: now + 900,
          roles: ['user'],
        },
        signers[i]!,
      );
      expect(await outcome(sync, good)).toMatch(/^ok /);
      const mutated = fc
        .tuple(fc.nat({ max: good.length - 1 }), fc.stringMatching(/^[A-Za-z0-9_.-]{1,3}$/))
        .map(([at, s]) => good.slice(0, at) + s + good.slice(at + s.length))
        .filter((t) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t));
      await fc.assert(
        fc.asyncProperty(mutated, async (token) => {
          expect(await outcome(sync, token)).toBe(await outcome(jose, token));
        }),
        params,
      );
    },
  );

  it('accepts, as jose does, a signature whose last character differs only in unused bits', async () => {
    const { sync, jose, signers } = await ready;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const kid = setup.keys[0]!.kid;
    const good = await sign(
      { alg: setup.keys[0]!.alg, typ: 'at+jwt', ...(kid === undefined ? {} : { kid }) },
      { iss: ISSUER, aud: AUDIENCE, sub: 'u', jti: 'j', iat: now, exp: now + 900, roles: ['user'] },
      signers[0]!,
    );
    // 32 bytes leave 2 unused bits in the last of 43 characters; 64 bytes leave 4 of 86.
    const last = alphabet.indexOf(good.at(-1)!);
    const twin = `${good.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(twin).not.toBe(good);
    expect(await outcome(sync, twin)).toMatch(/^ok /);
    expect(await outcome(sync, twin)).toBe(await outcome(jose, twin));
    // A change in a data bit of the same character is a wrong signature for both.
    const wrong = `${good.slice(0, -1)}${alphabet[last ^ 32]}`;
    expect(await outcome(sync, wrong)).toBe('invalid_token: signature verification failed');
    expect(await outcome(sync, wrong)).toBe(await outcome(jose, wrong));
  });

  it('refuses a truncated or lengthened signature', async () => {
    const { sync, jose, signers } = await ready;
    const kid = setup.keys[0]!.kid;
    const good = await sign(
      { alg: setup.keys[0]!.alg, typ: 'at+jwt', ...(kid === undefined ? {} : { kid }) },
      { iss: ISSUER, aud: AUDIENCE, sub: 'u', jti: 'j', iat: now, exp: now + 900, roles: ['user'] },
      signers[0]!,
    );
    const dot = good.lastIndexOf('.') + 1;
    for (const token of [
      good.slice(0, -2),
      // Cut to lengths a base64url signature can have: the signature itself must be refused
      // (a check that compared only the given prefix would let 1 in 4096 forgeries through).
      good.slice(0, -3),
      good.slice(0, -4),
      good.slice(0, dot + 2),
      good.slice(0, dot + 4),
      `${good}AA`,
      good.slice(0, dot),
    ]) {
      const answer = await outcome(sync, token);
      expect(answer).toMatch(/^invalid_token: (signature verification failed|malformed token)$/);
      expect(answer).toBe(await outcome(jose, token));
    }
  });
});
