/**
 * Signing and verification keys. The first key signs; every key verifies (rotation keeps
 * retired keys for verification until their tokens expire). Keys are imported once.
 */
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { AuthConfigError } from '../errors.js';

/** Algorithms the core signs and verifies with. */
export const SUPPORTED_ALGORITHMS = ['HS256', 'EdDSA', 'ES256'] as const;
/** One of {@link SUPPORTED_ALGORITHMS}. */
export type SigningAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** An HMAC key. */
export interface SecretKeyOption {
  alg: 'HS256';
  /** At least 32 bytes (UTF-8 for a string). */
  secret: string | Uint8Array;
  /** Key id; required when several keys are configured. */
  kid?: string;
}

/** An asymmetric key: a private JWK signs and verifies, a public JWK only verifies. */
export interface AsymmetricKeyOption {
  alg: 'EdDSA' | 'ES256';
  /** Private JWK (an `EdDSA` Ed25519 `OKP` key or an `ES256` P-256 `EC` key). */
  privateKey?: JWK;
  /** Public JWK, for a retired key kept only to verify. */
  publicKey?: JWK;
  /** Key id; defaults to the RFC 7638 thumbprint of the public key. */
  kid?: string;
}

/** A key of the `keys` option. */
export type KeyOption = SecretKeyOption | AsymmetricKeyOption;

/** An imported key. */
export interface LoadedKey {
  readonly alg: SigningAlgorithm;
  readonly kid: string | undefined;
  /** Verification key (the secret or the public key). */
  readonly verifyKey: CryptoKey | Uint8Array;
  /** Signing key, when this key can sign. */
  readonly signKey: CryptoKey | Uint8Array | undefined;
  /** Public JWK to publish, for asymmetric keys. */
  readonly publicJwk: JWK | undefined;
}

/** The key set of an auth instance. */
export interface KeySet {
  readonly signing: LoadedKey;
  readonly all: readonly LoadedKey[];
  readonly byKid: ReadonlyMap<string, LoadedKey>;
  readonly algorithms: readonly SigningAlgorithm[];
}

const encoder = new TextEncoder();

/** Byte length of a secret option. */
export function secretBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? encoder.encode(secret) : secret;
}

/**
 * The members of an OKP or EC public key (RFC 8037, RFC 7518 §6.2.1). Everything else stays
 * behind: the private part, and the private key's own `key_ops` / `use` / `alg` / `ext`,
 * which would forbid verifying with it (`key_ops: ["sign"]`) or say the wrong thing in the
 * JWKS.
 */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y'] as const;

function publicPart(jwk: JWK): JWK {
  const out: JWK = {};
  for (const name of PUBLIC_MEMBERS) {
    if (jwk[name] !== undefined) out[name] = jwk[name];
  }
  return out;
}

function expectedCurve(alg: 'EdDSA' | 'ES256'): { kty: string; crv: string } {
  return alg === 'EdDSA' ? { kty: 'OKP', crv: 'Ed25519' } : { kty: 'EC', crv: 'P-256' };
}

async function loadOne(option: KeyOption, index: number): Promise<LoadedKey> {
  const where = `keys[${index}]`;
  if (option.alg === 'HS256') {
    const secret = secretBytes(option.secret);
    return {
      alg: 'HS256',
      kid: option.kid,
      verifyKey: secret,
      signKey: secret,
      publicJwk: undefined,
    };
  }
  const jwk = option.privateKey ?? option.publicKey;
  if (!jwk) throw new AuthConfigError(where, `${option.alg} needs a privateKey or publicKey JWK`);
  const curve = expectedCurve(option.alg);
  if (jwk.kty !== curve.kty || jwk.crv !== curve.crv) {
    throw new AuthConfigError(where, `${option.alg} needs a ${curve.kty} JWK on ${curve.crv}`);
  }
  if (option.privateKey && typeof option.privateKey.d !== 'string') {
    throw new AuthConfigError(`${where}.privateKey`, 'is not a private key (no "d")');
  }
  const pub = publicPart(jwk);
  try {
    const verifyKey = await importJWK(pub, option.alg);
    const signKey = option.privateKey ? await importJWK(option.privateKey, option.alg) : undefined;
    const kid = option.kid ?? (await calculateJwkThumbprint(pub));
    const publicJwk: JWK = { ...pub, kid, alg: option.alg, use: 'sig' };
    return {
      alg: option.alg,
      kid,
      verifyKey: verifyKey as CryptoKey,
      signKey: signKey as CryptoKey | undefined,
      publicJwk,
    };
  } catch (cause) {
    if (cause instanceof AuthConfigError) throw cause;
    throw new AuthConfigError(where, `is not a valid ${option.alg} JWK`);
  }
}

/**
 * Imports the configured keys once.
 * @throws AuthConfigError for a malformed JWK or a key set that cannot sign.
 */
export async function loadKeys(options: readonly KeyOption[]): Promise<KeySet> {
  const all = await Promise.all(options.map(loadOne));
  const signing = all[0];
  if (!signing?.signKey) throw new AuthConfigError('keys[0]', 'the first key must be able to sign');
  const byKid = new Map<string, LoadedKey>();
  for (const key of all) if (key.kid !== undefined) byKid.set(key.kid, key);
  const algorithms = [...new Set(all.map((k) => k.alg))];
  return { signing, all, byKid, algorithms };
}

/**
 * Generates a fresh private JWK for `alg` (for development; persist keys in production).
 * @example
 * ```ts
 * const privateKey = await generatePrivateJwk('EdDSA');
 * createAuth({ keys: { alg: 'EdDSA', privateKey }, … });
 * ```
 */
export async function generatePrivateJwk(alg: 'EdDSA' | 'ES256'): Promise<JWK> {
  const options = alg === 'EdDSA' ? { extractable: true, crv: 'Ed25519' } : { extractable: true };
  const { privateKey } = await generateKeyPair(alg, options);
  return exportJWK(privateKey);
}
