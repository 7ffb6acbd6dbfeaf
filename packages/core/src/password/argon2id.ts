import { PASSWORD_MAX } from './length.js';
import { deriveKey } from './lib/derive.js';
import { createKdfHasher, type KdfSpec } from './lib/kdf-hasher.js';
import { integerOption, lengthOptions } from './lib/options.js';
import { HASH_LIMITS } from './params.js';
import type { SchemeHasher } from './scheme.js';

/**
 * Options of {@link argon2id}. Defaults are the OWASP Password Storage Cheat Sheet minimum
 * (m = 19 MiB, t = 2, p = 1). Lower costs are accepted, for tests only.
 */
export interface Argon2idOptions {
  /** Memory cost `m`, in KiB. Default `19456` (19 MiB). Range `8·parallelism..2^21` (2 GiB). */
  memoryCost?: number;
  /** Time cost `t`, in passes. Default `2`. Range `1..32`, with `memoryCost·timeCost ≤ 2^22`. */
  timeCost?: number;
  /** Parallelism `p`, in lanes (computed sequentially in JS). Default `1`. Range `1..64`. */
  parallelism?: number;
  /** Salt length, in bytes. Default `16`. Range `16..64`. */
  saltLength?: number;
  /** Hash (derived key) length, in bytes. Default `32`. Range `16..64`. */
  hashLength?: number;
  /** Longest accepted password, in code points. Default {@link PASSWORD_MAX}. Range `1..4096`. */
  maxPasswordLength?: number;
}

/** The defaults of {@link argon2id}. */
export const ARGON2ID_DEFAULTS = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  saltLength: 16,
  hashLength: 32,
  maxPasswordLength: PASSWORD_MAX,
} as const satisfies Required<Argon2idOptions>;

/**
 * Validates {@link Argon2idOptions} into the internal spec of an Argon2id hasher.
 * @internal Used by the pure hasher and the Node worker pool.
 * @throws AuthConfigError naming the bad option, e.g. `password.memoryCost`
 */
export function argon2idSpec(opts: Argon2idOptions = {}): KdfSpec {
  const d = ARGON2ID_DEFAULTS;
  const limits = HASH_LIMITS.argon2;
  const p = integerOption('parallelism', opts.parallelism, d.parallelism, 1, limits.maxParallelism);
  const m = integerOption('memoryCost', opts.memoryCost, d.memoryCost, 8 * p, limits.maxMemory);
  const maxTime = Math.min(limits.maxTime, Math.floor(limits.maxWork / m));
  const t = integerOption('timeCost', opts.timeCost, d.timeCost, 1, maxTime);
  return {
    ids: ['argon2id', 'argon2i', 'argon2d'],
    params: { alg: 'argon2id', version: 0x13, m, t, p },
    ...lengthOptions(opts, d),
  };
}

/**
 * An Argon2id {@link PasswordHasher} (RFC 9106) in pure JS, writing argon2-cffi's format:
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
 *
 * `verify` reads the costs from the stored hash and also accepts `$argon2i$` and `$argon2d$`
 * hashes (and `v=16`), compares in constant time, and refuses hashes beyond
 * {@link HASH_LIMITS}. `needsRehash` is true when the variant, version, `m`, `t`, `p`, salt
 * length or hash length differ from the current options, or the hash is not Argon2.
 * Hashing yields to the event loop every 10 ms; on Node, prefer the worker pool.
 *
 * @param opts - costs and lengths, see {@link Argon2idOptions}
 * @returns a hasher for the `argon2id`, `argon2i` and `argon2d` PHC ids
 * @throws AuthConfigError naming the bad option, e.g. `password.memoryCost`
 * @example
 * ```ts
 * const hasher = argon2id();                                // OWASP minimum costs
 * const hash = await hasher.hash('correct horse battery staple');
 * await hasher.verify(hash, 'correct horse battery staple'); // true
 * ```
 */
export function argon2id(opts: Argon2idOptions = {}): SchemeHasher {
  return createKdfHasher(argon2idSpec(opts), deriveKey);
}
